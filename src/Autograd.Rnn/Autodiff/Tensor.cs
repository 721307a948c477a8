using System.Numerics;
using System.Runtime.CompilerServices;

namespace Autograd.Rnn;

/// <summary>
/// An immutable, row-major n-d array of <c>float</c> or <c>double</c> that can be differentiated through.
/// A tensor is either a constant or, inside a <see cref="Grad"/> call, carries a node of the computation graph.
/// Ops never change a tensor: they return new ones. Tensors are safe to share between threads.
/// </summary>
/// <typeparam name="T"><see cref="float"/> (the training default) or <see cref="double"/> (for gradient checks).</typeparam>
public sealed partial class Tensor<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    // The element type is checked when a tensor is made, not in a static constructor: a static constructor's
    // exception reaches the user wrapped in a TypeInitializationException ("The type initializer for
    // 'Autograd.Rnn.Tensor`1' threw an exception"), and every later use rethrows that same wrapper. For float and
    // double the JIT folds the check away.
    private static void RequireSupportedElementType()
    {
        if (typeof(T) != typeof(float) && typeof(T) != typeof(double))
            throw new NotSupportedException(
                $"Tensor<{typeof(T).Name}>: only float and double tensors are supported (float for training, double for gradient checks).");
    }

    internal Tensor(NdArray<T> value)
    {
        RequireSupportedElementType();
        Value = value;
    }

    private Tensor(Tensor<T> primal, Node<T> node)
    {
        Value = primal.Value;
        Primal = primal;
        Node = node;
    }

    // A batched tensor: its primal is the whole batch, so its own value only carries the shape of one example. The numbers
    // are a view of the batch's first elements, never read: every read of a batched tensor's values throws (NoteValueRead)
    // and every op runs on the batch through its batching rule (Trace). A view costs no copy per op.
    private Tensor(NdArray<T> shapeCarrier, Tensor<T> batch, Node<T> node)
    {
        Value = shapeCarrier;
        Primal = batch;
        Node = node;
    }

    /// <summary>The numbers, whatever the tracing level.</summary>
    internal NdArray<T> Value { get; }

    /// <summary>When traced: this tensor one differentiation level down (itself possibly traced at an outer level).</summary>
    internal Tensor<T>? Primal { get; }

    internal Node<T>? Node { get; }

    /// <summary>The innermost differentiation level this tensor is traced at; 0 for a constant.</summary>
    internal long Tag => Node?.Tag ?? 0;

    /// <summary>This tensor with level <paramref name="tag"/> stripped, or itself when it is not traced at that level.</summary>
    internal Tensor<T> PrimalAt(long tag) => Node is not null && Node.Tag == tag ? Primal! : this;

    /// <summary>
    /// This tensor with the levels of returned <see cref="Grad"/> calls stripped (see <see cref="Autograd.Rnn.Level"/>):
    /// what every op reads, so that a tensor that escaped its call is its value there, still traced at the live
    /// levels under it.
    /// </summary>
    internal Tensor<T> Live
    {
        get
        {
            var tensor = this;
            while (tensor.Node is { Level.IsLive: false } node)
            {
                // One level down, a batched tensor is a whole batch of another shape: there is no single value to fall back to.
                if (node.Level.IsBatching)
                    throw new InvalidOperationException(
                        "Grad.Vmap: a tensor of a Vmap call that has returned was used (kept in a closure or a field); only the call's result leaves it.");
                tensor = tensor.Primal!;
            }
            return tensor;
        }
    }

    /// <summary>This tensor with every level of tracing removed.</summary>
    internal Tensor<T> Constant
    {
        get
        {
            var live = Live;
            if (live.Node is null) return live;
            // A batch stays a batch: the constant of a batched tensor is the constant of its batch, batched the same way.
            for (var tensor = live; tensor.Node is not null; tensor = tensor.Primal!.Live)
                if (tensor.Node.Level.IsBatching)
                    return tensor == live
                        ? Batch(live.Primal!.Constant, live.Node.BatchAxis, live.Node.Level, "Constant")
                        : tensor.Constant;
            live.NoteValueRead("as a constant: StopGradient, a Where mask");
            return new Tensor<T>(Value);
        }
    }

    /// <summary>
    /// A batched tensor at batching level <paramref name="level"/>: <paramref name="batch"/> holds the examples along
    /// <paramref name="axis"/>, and the tensor has the shape of one example.
    /// </summary>
    internal static Tensor<T> Batch(Tensor<T> batch, int axis, Level level, string operation) =>
        new(batch.Value.View(0, batch.Shape.Without(axis)), batch, new Node<T>(level, operation, [], null, batchAxis: axis));

    internal static Tensor<T> Leaf(Tensor<T> primal, Level level) => new(primal, new Node<T>(level, "leaf", [], null));

    /// <summary>A dual number at forward level <paramref name="level"/>: <paramref name="primal"/> perturbed along <paramref name="tangent"/> (same shape).</summary>
    internal static Tensor<T> Dual(Tensor<T> primal, Level level, string operation, Tensor<T> tangent) =>
        new(primal, new Node<T>(level, operation, [], null, tangent: tangent));

    internal static Tensor<T> Record(Tensor<T> primalResult, Level level, string operation, Tensor<T>?[] inputs, VjpRule<T> vjp,
        NarrowSlice? slice = null, RowContractionRule<T>? rowContraction = null, PlanStep<T>? step = null) =>
        new(primalResult, new Node<T>(level, operation, inputs, vjp, slice, rowContraction, step));

    /// <summary>
    /// Notes that the caller reads this tensor's numbers (<paramref name="what"/>). A function being recorded into a plan
    /// that reads a value it traces cannot be replayed — the value may steer it differently next time — so the recording
    /// level is marked and the plan's users run the function eagerly instead.
    /// </summary>
    internal void NoteValueRead(string what)
    {
        for (var tensor = this; tensor.Node is not null; tensor = tensor.Primal!)
        {
            if (tensor.Node.Level.IsBatching && tensor.Node.Level.IsLive)
                throw new InvalidOperationException(
                    $"Grad.Vmap: the function reads the values of a batched tensor ({what}); under Vmap a tensor stands for a whole batch, " +
                    "so its numbers are not one value. Return the tensor from the function instead.");
            if (tensor.Node.Level.IsPlanning && tensor.Node.Level.IsLive)
                tensor.Node.Level.MarkUnplannable($"it reads the values of a traced tensor ({what})");
        }
    }

    /// <summary>The dimensions.</summary>
    public Shape Shape => Value.Shape;

    /// <summary>The number of dimensions.</summary>
    public int Rank => Value.Shape.Rank;

    /// <summary>The number of elements.</summary>
    public int Size => Value.Size;

    /// <summary>
    /// Whether this tensor carries a computation-graph node of a <see cref="Grad"/> call that has not returned yet
    /// (it was made inside that call from a traced input). Once a call returns, tracing at its level no longer counts:
    /// a tensor kept from inside it is what it was one level down, a constant unless enclosing calls trace it.
    /// </summary>
    public bool IsTraced => Live.Node is not null;

    /// <summary>The value of a tensor with exactly one element (a scalar or any shape of size 1).</summary>
    /// <exception cref="InvalidOperationException">The tensor has more or fewer than one element.</exception>
    public T Item
    {
        get
        {
            if (Node is not null) NoteValueRead("Item");
            return Size == 1
                ? Value.Span[0]
                : throw new InvalidOperationException($"Tensor.Item: tensor of shape {Shape} has {Size} elements, not 1.");
        }
    }

    /// <summary>The element at <paramref name="index"/> (one index per dimension).</summary>
    /// <exception cref="ArgumentException">The number of indices differs from the rank.</exception>
    /// <exception cref="IndexOutOfRangeException">An index is out of range.</exception>
    [IndexerName("Element")]
    public T this[params int[] index]
    {
        get
        {
            if (Node is not null) NoteValueRead("the indexer");
            return Value[index];
        }
    }

    /// <summary>A copy of the elements in row-major order.</summary>
    public T[] ToArray()
    {
        if (Node is not null) NoteValueRead("ToArray");
        return Value.ToArray();
    }

    /// <summary>A copy of a 2-D tensor's elements as a rectangular array.</summary>
    /// <exception cref="InvalidOperationException">The tensor is not 2-D.</exception>
    public T[,] ToArray2D()
    {
        if (Rank != 2) throw new InvalidOperationException($"Tensor.ToArray2D: tensor of shape {Shape} is not 2-D.");
        if (Node is not null) NoteValueRead("ToArray2D");
        int rows = Shape[0], columns = Shape[1];
        var result = new T[rows, columns];
        var span = Value.Span;
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < columns; c++)
                result[r, c] = span[r * columns + c];
        return result;
    }

    /// <summary>
    /// Whether every element is within <c>absoluteTolerance + relativeTolerance·|other|</c> of <paramref name="other"/>'s
    /// (NumPy's rule). Shapes must be equal; NaNs are never close; an infinity is close only to the same infinity.
    /// </summary>
    public bool AllClose(Tensor<T> other, double relativeTolerance = 1e-5, double absoluteTolerance = 1e-8)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (Node is not null) NoteValueRead("AllClose");
        if (other.Node is not null) other.NoteValueRead("AllClose");
        if (Shape != other.Shape) return false;
        var a = Value.Span;
        var b = other.Value.Span;
        for (int i = 0; i < a.Length; i++)
        {
            double x = double.CreateTruncating(a[i]), y = double.CreateTruncating(b[i]);
            if (x == y) continue; // includes equal infinities
            // An infinity is close only to itself (NumPy's rule); without this, |x − ∞| ≤ rtol·∞ would hold for any x.
            if (double.IsInfinity(x) || double.IsInfinity(y)) return false;
            if (!(Math.Abs(x - y) <= absoluteTolerance + relativeTolerance * Math.Abs(y))) return false;
        }
        return true;
    }

    /// <summary>Shape and values, eliding the middle of large dimensions, e.g. <c>Tensor[2,2] [[1, 2], [3, 4]]</c>.</summary>
    public override string ToString()
    {
        if (Node is not null) NoteValueRead("ToString");
        return TensorFormatter.Format(Value);
    }
}

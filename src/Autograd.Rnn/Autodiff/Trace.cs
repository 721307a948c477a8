using System.Numerics;

namespace Autograd.Rnn;

/// <summary>
/// How every primitive op records itself. Inputs are first read at their live levels (<see cref="Tensor{T}.Live"/>).
/// An op's result is traced at the innermost level among its inputs:
/// the op runs again one level down (on the inputs' primals, which may be traced at outer levels), and a node
/// at this level remembers which inputs to send cotangents to. On constants it runs the kernel and records nothing.
/// At a forward level nothing is remembered: the op's JVP rule maps the tangents of the inputs traced there to the
/// result's tangent at once (one term per such input, summed), from the same primals one level down, so the tangent
/// is itself traced at the outer levels and differentiable there, exactly like a VJP's cotangent.
/// At a batching level (<see cref="Grad.Vmap{T}(Func{Tensor{T}, Tensor{T}}, Tensor{T}, int, int)"/>) an input stands for a
/// batch held one level down: the op's batching rule runs the op once on the batches (public ops, so the result is traced
/// at the outer levels too) and says where the result's batch axis is.
/// </summary>
internal static class Trace
{
    /// <summary>An elementwise op of one input: its kernel is its <paramref name="form"/>, which plans also fuse.</summary>
    public static Tensor<T> Unary<T>(
        string operation,
        Tensor<T> x,
        ElementwiseUnary<T> form,
        Func<Tensor<T>, Tensor<T>> self,
        Func<Tensor<T>, Tensor<T>, Tensor<T>, Tensor<T>> vjp,
        Func<Tensor<T>, Tensor<T>, Tensor<T>, Tensor<T>> jvp,
        UnaryBatch<T> batch)
        where T : unmanaged, IFloatingPointIeee754<T> => Unary(operation, x, null, self, vjp, jvp, batch, form: form);

    public static Tensor<T> Unary<T>(
        string operation,
        Tensor<T> x,
        Func<NdArray<T>, NdArray<T>>? kernel,
        Func<Tensor<T>, Tensor<T>> self,
        Func<Tensor<T>, Tensor<T>, Tensor<T>, Tensor<T>> vjp,
        Func<Tensor<T>, Tensor<T>, Tensor<T>, Tensor<T>> jvp,
        UnaryBatch<T> batch,
        NarrowSlice? slice = null,
        PlanForm<T>? form = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        x = x.Live;
        if (x.Node is null)
        {
            var constant = new Tensor<T>(kernel is null ? ((ElementwiseUnary<T>)form!).Apply(x.Value) : kernel(x.Value));
            return Anomaly.Active ? Anomaly.Check(operation, constant, null, [x]) : constant;
        }
        if (x.Node.Level.IsBatching) return Batched(batch(x.Primal!, x.Node.BatchAxis), x.Node.Level, operation);
        var xPrimal = x.Primal!;
        Tensor<T> y;
        if (!Anomaly.Active) y = self(xPrimal);
        else using (Anomaly.Suppress()) y = self(xPrimal);
        if (x.Node.Level.IsForward)
            return Checked(Tensor<T>.Dual(y, x.Node.Level, operation, Fit(jvp(xPrimal, y, x.Node.Tangent!), y, operation)), [x]);
        var step = x.Node.Level.IsPlanning
            ? PlanStep<T>.Capture(x.Node.Level, operation,
                kernel is null ? values => ((ElementwiseUnary<T>)form!).Apply(values[0]) : values => kernel(values[0]), form, [x])
            : null;
        return Checked(Tensor<T>.Record(y, x.Node.Level, operation, [x], (g, _) => vjp(xPrimal, y, g), slice, step: step), [x]);
    }

    /// <summary>An elementwise op of two inputs: its kernel is its <paramref name="form"/>, which plans also fuse.</summary>
    public static Tensor<T> Binary<T>(
        string operation,
        Tensor<T> a,
        Tensor<T> b,
        ElementwiseBinary<T> form,
        Func<Tensor<T>, Tensor<T>, Tensor<T>> self,
        BinaryVjp<T> vjp,
        BinaryJvp<T> jvp,
        BinaryBatch<T> batch)
        where T : unmanaged, IFloatingPointIeee754<T> => Binary(operation, a, b, null, self, vjp, jvp, batch, form: form);

    public static Tensor<T> Binary<T>(
        string operation,
        Tensor<T> a,
        Tensor<T> b,
        Func<NdArray<T>, NdArray<T>, NdArray<T>>? kernel,
        Func<Tensor<T>, Tensor<T>, Tensor<T>> self,
        BinaryVjp<T> vjp,
        BinaryJvp<T> jvp,
        BinaryBatch<T> batch,
        BinaryRowContraction<T>? rowContraction = null,
        PlanForm<T>? form = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        a = a.Live;
        b = b.Live;
        var level = Innermost(a.Node?.Level, b.Node?.Level);
        if (level is null)
        {
            var constant = new Tensor<T>(kernel is null ? ((ElementwiseBinary<T>)form!).Apply(a.Value, b.Value, operation) : kernel(a.Value, b.Value));
            return Anomaly.Active ? Anomaly.Check(operation, constant, null, [a, b]) : constant;
        }
        if (level.IsBatching) return Batched(batch(At(a, level), At(b, level)), level, operation);
        long tag = level.Id;
        var aPrimal = a.PrimalAt(tag);
        var bPrimal = b.PrimalAt(tag);
        Tensor<T> y;
        if (!Anomaly.Active) y = self(aPrimal, bPrimal);
        else using (Anomaly.Suppress()) y = self(aPrimal, bPrimal);
        if (level.IsForward)
        {
            // x·x passes the same dual twice: both terms count.
            var tangent = a.Tag == tag ? jvp(aPrimal, bPrimal, y, a.Node!.Tangent!, 0) : null;
            if (b.Tag == tag)
            {
                var term = jvp(aPrimal, bPrimal, y, b.Node!.Tangent!, 1);
                tangent = tangent is null ? term : tangent + term;
            }
            return Checked(Tensor<T>.Dual(y, level, operation, Fit(tangent!, y, operation)), [a, b]);
        }
        var step = level.IsPlanning
            ? PlanStep<T>.Capture(level, operation,
                kernel is null ? values => ((ElementwiseBinary<T>)form!).Apply(values[0], values[1], operation) : values => kernel(values[0], values[1]),
                form, [a, b])
            : null;
        return Checked(Tensor<T>.Record(y, level, operation,
            [a.Tag == tag ? a : null, b.Tag == tag ? b : null],
            (g, i) => vjp(aPrimal, bPrimal, y, g, i),
            rowContraction: rowContraction is null ? null : (g, i) => rowContraction(aPrimal, bPrimal, g, i), step: step), [a, b]);
    }

    // In anomaly mode, each op's result is checked once, at the level it is recorded at.
    private static Tensor<T> Checked<T>(Tensor<T> result, ReadOnlySpan<Tensor<T>> inputs) where T : unmanaged, IFloatingPointIeee754<T> =>
        Anomaly.Active ? Anomaly.Check(result.Node!.Operation, result, result.Node.Level, inputs) : result;

    // A JVP term of a broadcasting op may keep its input's smaller shape (Add's term for b [n] is b's tangent): the
    // result's tangent has the result's shape.
    private static Tensor<T> Fit<T>(Tensor<T> tangent, Tensor<T> y, string operation) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (tangent.Shape == y.Shape) return tangent;
        if (!Broadcasting.CanBroadcastTo(tangent.Shape, y.Shape))
            throw new InvalidOperationException($"{operation}: its JVP returned a tangent of shape {tangent.Shape} for a result of shape {y.Shape}.");
        return BroadcastToOp.Apply(tangent, y.Shape);
    }

    // At a batching level an op runs once, on the batches one level down, through its batching rule: nothing is recorded,
    // and the result is the rule's batch, batched at this level. An input not batched here is passed as it is (axis −1).
    private static Tensor<T> Batched<T>(Batched<T> result, Level level, string operation) where T : unmanaged, IFloatingPointIeee754<T> =>
        result.IsBatched
            ? Tensor<T>.Batch(result.Value, result.Axis, level, operation)
            : throw new InvalidOperationException($"{operation}: its batching rule returned an unbatched result.");

    private static Batched<T> At<T>(Tensor<T> input, Level level) where T : unmanaged, IFloatingPointIeee754<T> =>
        input.Tag == level.Id ? new(input.Primal!, input.Node!.BatchAxis) : new(input, -1);

    // Live levels on one thread are nested, so the latest of them is the innermost.
    private static Level? Innermost(Level? a, Level? b) => a is null ? b : b is null || a.Id >= b.Id ? a : b;

    public static Tensor<T> Nary<T>(
        string operation,
        Tensor<T>[] inputs,
        Func<NdArray<T>[], NdArray<T>> kernel,
        Func<Tensor<T>[], Tensor<T>> self,
        NaryVjp<T> vjp,
        NaryJvp<T> jvp,
        NaryBatch<T> batch,
        PlanForm<T>? form = null,
        NaryRowContraction<T>? rowContraction = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        inputs = Array.ConvertAll(inputs, input => input.Live);
        Level? level = null;
        foreach (var input in inputs) level = Innermost(level, input.Node?.Level);
        if (level is null)
        {
            var values = new NdArray<T>[inputs.Length];
            for (int i = 0; i < inputs.Length; i++) values[i] = inputs[i].Value;
            var constant = new Tensor<T>(kernel(values));
            return Anomaly.Active ? Anomaly.Check(operation, constant, null, inputs) : constant;
        }
        if (level.IsBatching) return Batched(batch(Array.ConvertAll(inputs, input => At(input, level))), level, operation);
        long tag = level.Id;
        var primals = new Tensor<T>[inputs.Length];
        var traced = new Tensor<T>?[inputs.Length];
        for (int i = 0; i < inputs.Length; i++)
        {
            primals[i] = inputs[i].PrimalAt(tag);
            traced[i] = inputs[i].Tag == tag ? inputs[i] : null;
        }
        Tensor<T> y;
        if (!Anomaly.Active) y = self(primals);
        else using (Anomaly.Suppress()) y = self(primals);
        if (level.IsForward)
        {
            var tangents = new Tensor<T>?[inputs.Length];
            for (int i = 0; i < inputs.Length; i++) tangents[i] = traced[i]?.Node!.Tangent;
            return Checked(Tensor<T>.Dual(y, level, operation, Fit(jvp(primals, y, tangents), y, operation)), inputs);
        }
        var step = level.IsPlanning ? PlanStep<T>.Capture(level, operation, kernel, form, inputs) : null;
        return Checked(Tensor<T>.Record(y, level, operation, traced, (g, i) => vjp(primals, y, g, i),
            rowContraction: rowContraction is null ? null : (g, i) => rowContraction(primals, g, i), step: step), inputs);
    }
}

/// <summary>The cotangent of input <paramref name="inputIndex"/> (0 for a, 1 for b) given the output cotangent <paramref name="g"/>.</summary>
internal delegate Tensor<T> BinaryVjp<T>(Tensor<T> a, Tensor<T> b, Tensor<T> y, Tensor<T> g, int inputIndex)
    where T : unmanaged, IFloatingPointIeee754<T>;

/// <summary>
/// The term of the result's tangent due to input <paramref name="inputIndex"/> (0 for a, 1 for b) moving along
/// <paramref name="tangent"/>: ∂y/∂input · tangent, linear in the tangent, shaped like y or broadcasting to it.
/// </summary>
internal delegate Tensor<T> BinaryJvp<T>(Tensor<T> a, Tensor<T> b, Tensor<T> y, Tensor<T> tangent, int inputIndex)
    where T : unmanaged, IFloatingPointIeee754<T>;

/// <summary>The factors (L, R) with cotangent Lᵀ·R for input <paramref name="inputIndex"/>, or null when it has another form.</summary>
internal delegate (Tensor<T> Left, Tensor<T> Right)? BinaryRowContraction<T>(Tensor<T> a, Tensor<T> b, Tensor<T> g, int inputIndex)
    where T : unmanaged, IFloatingPointIeee754<T>;

/// <summary>The factors (L, R) with cotangent Lᵀ·R for input <paramref name="inputIndex"/>, or null when it has another form.</summary>
internal delegate (Tensor<T> Left, Tensor<T> Right)? NaryRowContraction<T>(Tensor<T>[] inputs, Tensor<T> g, int inputIndex)
    where T : unmanaged, IFloatingPointIeee754<T>;

/// <summary>The cotangent of input <paramref name="inputIndex"/> given the output cotangent <paramref name="g"/>.</summary>
internal delegate Tensor<T> NaryVjp<T>(Tensor<T>[] inputs, Tensor<T> y, Tensor<T> g, int inputIndex)
    where T : unmanaged, IFloatingPointIeee754<T>;

/// <summary>
/// The result's tangent given the inputs' tangents (null for an input that does not move at this level): Σᵢ ∂y/∂inputᵢ · tangentᵢ,
/// taken in one go, since one op (Concat) builds it from all the tangents at once.
/// </summary>
internal delegate Tensor<T> NaryJvp<T>(Tensor<T>[] inputs, Tensor<T> y, Tensor<T>?[] tangents)
    where T : unmanaged, IFloatingPointIeee754<T>;

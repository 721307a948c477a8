using System.Numerics;

namespace Autograd.Rnn;

/// <summary>How an op of a fused region reads one operand over a block of positions.</summary>
internal enum OperandKind
{
    /// <summary>A value of the region's size: its elements at the block's positions.</summary>
    Full,

    /// <summary>A value computed earlier in the region and kept only for the current block.</summary>
    Scratch,

    /// <summary>A one-element value, broadcast.</summary>
    Scalar,

    /// <summary>A value repeated along leading axes (a row vector [n] under [batch, n]): element p % Period.</summary>
    Periodic,

    /// <summary>
    /// A value repeated along trailing axes (a column [batch, 1] under [batch, n], such as a row's mean): element
    /// p / Period, one scalar for each run of Period positions.
    /// </summary>
    Column,
}

/// <summary>One operand of a region op; <see cref="Period"/> is the run length of a periodic or column operand.</summary>
internal readonly record struct RegionOperand<T>(OperandKind Kind, PlanInput<T> Input, int Scratch, int Period)
    where T : unmanaged, IFloatingPointIeee754<T>;

/// <summary>One elementwise op of a region: its form, operands and where its result goes (a slot's buffer, or scratch).</summary>
internal readonly record struct RegionOp<T>(PlanForm<T> Form, RegionOperand<T> A, RegionOperand<T> B, int Output, int Scratch)
    where T : unmanaged, IFloatingPointIeee754<T>;

/// <summary>
/// A maximal run of elementwise ops over values of one size, executed block by block: for each block of positions
/// (small enough to stay in L1), every op's span kernel runs once on that block, so no intermediate value is written to
/// a full-size array unless something outside the region reads it, and each op (a transcendental included) is computed
/// once per element. Blocks start at multiples of <see cref="BlockSize"/> and are never shorter than a 512-bit vector
/// (except a region smaller than one), so a span kernel sees the same vector paths as on the whole value and gives the
/// same bits for every element; kernels that work in chunks of 256 (softplus) see the same chunks. A large region's
/// blocks are shared out between threads (the same blocks, so the same bits whatever the thread count), except on a
/// thread that already runs one of several parallel parts (<see cref="Kernels.KernelThreads"/>).
/// </summary>
internal sealed class FusedRegion<T>(int size, RegionOp<T>[] ops, int scratchCount) : PlanInstruction<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    internal const int BlockSize = 1024;
    private const int ShortestTail = 64;

    /// <summary>
    /// From this many elements (64 blocks) a region is split between threads. A Parallel.For round trip costs a few
    /// microseconds here; 64 blocks of an LSTM's gate arithmetic take well over 50.
    /// </summary>
    internal const int ParallelThreshold = 64 * BlockSize;

    private readonly T[][] scratch = CreateScratch(size, scratchCount);
    // Each op's form, cast once: a run only indexes these.
    private readonly ElementwiseUnary<T>?[] unaries = ops.Select(op => op.Form as ElementwiseUnary<T>).ToArray();
    private readonly ElementwiseBinary<T>?[] binaries = ops.Select(op => op.Form as ElementwiseBinary<T>).ToArray();
    private readonly int scratchCount = scratchCount;
    private T[][]?[]? threadScratch;

    public int Size => size;

    public int OpCount => ops.Length;

    private static T[][] CreateScratch(int size, int count)
    {
        int length = size <= 2 * BlockSize ? size : BlockSize + ShortestTail;
        var result = new T[count][];
        for (int i = 0; i < count; i++) result[i] = new T[length];
        return result;
    }

    public override void Run(NdArray<T>[] values, ArraySegment<T>[] buffers)
    {
        if (size <= 2 * BlockSize)
        {
            RunBlock(values, buffers, 0, size, scratch);
            return;
        }
        int blocks = BlockCount(size);
        int parts = size >= ParallelThreshold && Kernels.KernelThreads.ParallelAllowed ? Math.Min(Environment.ProcessorCount, blocks) : 1;
        if (parts <= 1)
        {
            RunBlocks(values, buffers, 0, blocks, scratch);
            return;
        }
        RunParallel(values, buffers, blocks, parts);
    }

    // Apart from Run, so that the lambda's captured locals are allocated only when the region is split between threads
    // (a closure over Run's own parameters would be allocated on every run, three times per step of a small LSTM).
    private void RunParallel(NdArray<T>[] values, ArraySegment<T>[] buffers, int blocks, int parts)
    {
        threadScratch ??= new T[][]?[parts];
        if (threadScratch.Length < parts) Array.Resize(ref threadScratch, parts);
        int perPart = (blocks + parts - 1) / parts;
        Parallel.For(0, parts, part =>
        {
            var own = part == 0 ? scratch : threadScratch[part] ??= CreateScratch(size, scratchCount);
            RunBlocks(values, buffers, part * perPart, Math.Min(blocks, (part + 1) * perPart), own);
        });
    }

    // Block b covers [b·BlockSize, (b+1)·BlockSize), except that the last block also takes a tail shorter than
    // ShortestTail, so every block but a region smaller than one vector is at least that long.
    private static int BlockCount(int size)
    {
        int blocks = (size + BlockSize - 1) / BlockSize;
        return blocks > 1 && size - (blocks - 1) * BlockSize < ShortestTail ? blocks - 1 : blocks;
    }

    private void RunBlocks(NdArray<T>[] values, ArraySegment<T>[] buffers, int firstBlock, int endBlock, T[][] scratchSet)
    {
        int blocks = BlockCount(size);
        for (int b = firstBlock; b < endBlock; b++)
            RunBlock(values, buffers, b * BlockSize, b == blocks - 1 ? size : (b + 1) * BlockSize, scratchSet);
    }

    private void RunBlock(NdArray<T>[] values, ArraySegment<T>[] buffers, int start, int end, T[][] blockScratch)
    {
        int length = end - start;
        for (int i = 0; i < ops.Length; i++)
        {
            ref readonly var op = ref ops[i];
            Span<T> destination = op.Scratch >= 0 ? blockScratch[op.Scratch].AsSpan(0, length) : buffers[op.Output].AsSpan(start, length);
            if (unaries[i] is { } unary)
            {
                unary.Invoke(Read(op.A, values, start, length, blockScratch), destination);
                continue;
            }
            var binary = binaries[i]!;
            var (a, b) = (op.A, op.B);
            if (a.Kind == OperandKind.Scalar) binary.Invoke(a.Input.Read(values).Span[0], Read(b, values, start, length, blockScratch), destination);
            else if (b.Kind == OperandKind.Scalar) binary.Invoke(Read(a, values, start, length, blockScratch), b.Input.Read(values).Span[0], destination);
            else if (IsWhole(a.Kind) && IsWhole(b.Kind))
                binary.Invoke(Read(a, values, start, length, blockScratch), Read(b, values, start, length, blockScratch), destination);
            else InvokeSegments(binary, a, b, values, start, length, destination, blockScratch);
        }
    }

    private static bool IsWhole(OperandKind kind) => kind is not (OperandKind.Periodic or OperandKind.Column);

    // A periodic operand repeats every Period positions and a column operand holds one value for each run of Period
    // positions: the block is cut where either wraps, one call per piece, as the eager broadcasting loop makes one call
    // per run (a column's value passed as the scalar, on its own side of the operator, as that loop passes it).
    private static void InvokeSegments(ElementwiseBinary<T> binary, RegionOperand<T> a, RegionOperand<T> b, NdArray<T>[] values,
        int start, int length, Span<T> destination, T[][] blockScratch)
    {
        var aSpan = IsWhole(a.Kind) ? Read(a, values, start, length, blockScratch) : a.Input.Read(values).Span;
        var bSpan = IsWhole(b.Kind) ? Read(b, values, start, length, blockScratch) : b.Input.Read(values).Span;
        for (int offset = 0; offset < length;)
        {
            int position = start + offset;
            int piece = Math.Min(length - offset, Math.Min(RunLeft(a, position), RunLeft(b, position)));
            var d = destination.Slice(offset, piece);
            if (a.Kind == OperandKind.Column) binary.Invoke(aSpan[position / a.Period], Piece(b, bSpan, offset, position, piece), d);
            else if (b.Kind == OperandKind.Column) binary.Invoke(Piece(a, aSpan, offset, position, piece), bSpan[position / b.Period], d);
            else binary.Invoke(Piece(a, aSpan, offset, position, piece), Piece(b, bSpan, offset, position, piece), d);
            offset += piece;
        }
    }

    // How many positions from `position` on the operand reads without wrapping (periodic) or changing value (column).
    private static int RunLeft(RegionOperand<T> operand, int position) =>
        IsWhole(operand.Kind) ? int.MaxValue : operand.Period - position % operand.Period;

    private static ReadOnlySpan<T> Piece(RegionOperand<T> operand, ReadOnlySpan<T> span, int offset, int position, int piece) =>
        operand.Kind == OperandKind.Periodic ? span.Slice(position % operand.Period, piece) : span.Slice(offset, piece);

    private static ReadOnlySpan<T> Read(RegionOperand<T> operand, NdArray<T>[] values, int start, int length, T[][] blockScratch) =>
        operand.Kind == OperandKind.Scratch
            ? blockScratch[operand.Scratch].AsSpan(0, length)
            : operand.Input.Read(values).Span.Slice(start, length);
}

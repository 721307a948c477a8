#if TORCH
using TorchSharp;
#endif

namespace Autograd.Rnn.Conformance.Tests;

/// <summary>The built-in recurrent cells that libtorch also has (our Cho-variant GRU has no libtorch counterpart).</summary>
public enum RecurrentKind
{
    RnnTanh,
    RnnRelu,
    Lstm,
    Gru,
}

/// <summary>
/// One configuration of a recurrent layer, run by us (<see cref="RecurrentLayer{T}"/>) and by libtorch
/// (<c>nn.RNN/LSTM/GRU</c>, with packed sequences when <see cref="Lengths"/> is set) with the same weights.
/// </summary>
public sealed record RecurrentLayerCase(RecurrentKind Kind, int NumLayers, bool Bidirectional, bool BatchFirst, int[]? Lengths,
    bool GivenInitialState = false)
{
    // Small sizes: the whole matrix of configurations runs in seconds.
    public const int Batch = 3, Time = 5, InputSize = 4, HiddenSize = 3;

    public string Name =>
        $"{Kind} layers={NumLayers} {(Bidirectional ? "bidirectional" : "unidirectional")} " +
        $"{(BatchFirst ? "batch-first" : "time-first")} {(Lengths is null ? "full-length" : $"lengths=[{string.Join(",", Lengths)}]")}" +
        (GivenInitialState ? " given-initial-state" : "");

    public bool HasCell => Kind == RecurrentKind.Lstm;

    public int Directions => Bidirectional ? 2 : 1;

    public int[] InputShape => BatchFirst ? [Batch, Time, InputSize] : [Time, Batch, InputSize];

    public int[] OutputShape => BatchFirst ? [Batch, Time, Directions * HiddenSize] : [Time, Batch, Directions * HiddenSize];

    /// <summary>PyTorch's h_n, c_n (and h_0, c_0): [layers·directions, batch, hidden].</summary>
    public int[] StateShape => [NumLayers * Directions, Batch, HiddenSize];

    /// <summary>Our layer for this configuration.</summary>
    public RecurrentLayer<double> OurLayer()
    {
        var options = new RecurrentLayerOptions { NumLayers = NumLayers, Bidirectional = Bidirectional, BatchFirst = BatchFirst };
        return Kind switch
        {
            RecurrentKind.RnnTanh => RecurrentLayer.Rnn<double>(InputSize, HiddenSize, options, Nonlinearity.Tanh),
            RecurrentKind.RnnRelu => RecurrentLayer.Rnn<double>(InputSize, HiddenSize, options, Nonlinearity.Relu),
            RecurrentKind.Lstm => RecurrentLayer.Lstm<double>(InputSize, HiddenSize, options),
            RecurrentKind.Gru => RecurrentLayer.Gru<double>(InputSize, HiddenSize, options),
            _ => throw new ArgumentOutOfRangeException(nameof(Kind)),
        };
    }

#if TORCH
    /// <summary>libtorch's float64 module for this configuration (its parameters still to be overwritten with ours).</summary>
    public torch.nn.Module TorchModule() => Kind switch
    {
        RecurrentKind.RnnTanh or RecurrentKind.RnnRelu => torch.nn.RNN(InputSize, HiddenSize, NumLayers,
            Kind == RecurrentKind.RnnTanh ? torch.nn.NonLinearities.Tanh : torch.nn.NonLinearities.ReLU,
            bias: true, batchFirst: BatchFirst, dropout: 0.0, bidirectional: Bidirectional, dtype: torch.float64),
        RecurrentKind.Lstm => torch.nn.LSTM(InputSize, HiddenSize, NumLayers,
            bias: true, batchFirst: BatchFirst, dropout: 0.0, bidirectional: Bidirectional, dtype: torch.float64),
        RecurrentKind.Gru => torch.nn.GRU(InputSize, HiddenSize, NumLayers,
            bias: true, batchFirst: BatchFirst, dropout: 0.0, bidirectional: Bidirectional, dtype: torch.float64),
        _ => throw new ArgumentOutOfRangeException(nameof(Kind)),
    };

    /// <summary>
    /// Runs libtorch's module on <paramref name="input"/> from (h_0, c_0), zeros when null: (output, h_n, c_n or null). With lengths,
    /// the input goes through pack_padded_sequence (enforce_sorted: false) and the output back through
    /// pad_packed_sequence, padded with zeros to the full time length.
    /// </summary>
    public (torch.Tensor Output, torch.Tensor FinalHidden, torch.Tensor? FinalCell) RunTorch(torch.nn.Module module, torch.Tensor input,
        torch.Tensor? h0 = null, torch.Tensor? c0 = null)
    {
        h0 ??= torch.zeros(StateShape.Select(d => (long)d).ToArray(), dtype: torch.float64);
        c0 ??= torch.zeros(StateShape.Select(d => (long)d).ToArray(), dtype: torch.float64);
        if (Lengths is null)
        {
            switch (module)
            {
                case TorchSharp.Modules.LSTM lstm:
                    {
                        var (output, h, c) = lstm.call(input, (h0, c0));
                        return (output, h, c);
                    }
                case TorchSharp.Modules.GRU gru:
                    {
                        var (output, h) = gru.call(input, h0);
                        return (output, h, null);
                    }
                case TorchSharp.Modules.RNN rnn:
                    {
                        var (output, h) = rnn.call(input, h0);
                        return (output, h, null);
                    }
            }
            throw new ArgumentException($"Unexpected module {module.GetType()}.");
        }

        var lengths = torch.tensor(Array.ConvertAll(Lengths, l => (long)l), dtype: torch.int64);
        var packed = torch.nn.utils.rnn.pack_padded_sequence(input, lengths, batch_first: BatchFirst, enforce_sorted: false);
        torch.nn.utils.rnn.PackedSequence packedOutput;
        torch.Tensor finalHidden;
        torch.Tensor? finalCell = null;
        switch (module)
        {
            case TorchSharp.Modules.LSTM lstm:
                (packedOutput, finalHidden, finalCell) = lstm.call(packed, (h0, c0));
                break;
            case TorchSharp.Modules.GRU gru:
                (packedOutput, finalHidden) = gru.call(packed, h0);
                break;
            case TorchSharp.Modules.RNN rnn:
                (packedOutput, finalHidden) = rnn.call(packed, h0);
                break;
            default:
                throw new ArgumentException($"Unexpected module {module.GetType()}.");
        }
        var (padded, _) = torch.nn.utils.rnn.pad_packed_sequence(packedOutput, batch_first: BatchFirst, padding_value: 0.0, total_length: Time);
        return (padded, finalHidden, finalCell);
    }

#endif

    public override string ToString() => Name;
}

/// <summary>A single step of a built-in cell against libtorch's nn.RNNCell/LSTMCell/GRUCell.</summary>
public sealed record RecurrentCellCase(RecurrentKind Kind)
{
    public const int Batch = 3, InputSize = 4, HiddenSize = 3;

    public string Name => $"{Kind} cell, one step";

    public bool HasCell => Kind == RecurrentKind.Lstm;

    public Cell<double> OurCell() => Kind switch
    {
        RecurrentKind.RnnTanh => Cells.Rnn<double>(Nonlinearity.Tanh),
        RecurrentKind.RnnRelu => Cells.Rnn<double>(Nonlinearity.Relu),
        RecurrentKind.Lstm => Cells.Lstm<double>(),
        RecurrentKind.Gru => Cells.Gru<double>(),
        _ => throw new ArgumentOutOfRangeException(nameof(Kind)),
    };

#if TORCH
    public torch.nn.Module TorchModule() => Kind switch
    {
        RecurrentKind.RnnTanh => torch.nn.RNNCell(InputSize, HiddenSize, torch.nn.NonLinearities.Tanh, bias: true, dtype: torch.float64),
        RecurrentKind.RnnRelu => torch.nn.RNNCell(InputSize, HiddenSize, torch.nn.NonLinearities.ReLU, bias: true, dtype: torch.float64),
        RecurrentKind.Lstm => torch.nn.LSTMCell(InputSize, HiddenSize, bias: true, dtype: torch.float64),
        RecurrentKind.Gru => torch.nn.GRUCell(InputSize, HiddenSize, bias: true, dtype: torch.float64),
        _ => throw new ArgumentOutOfRangeException(nameof(Kind)),
    };

    /// <summary>One step of libtorch's cell from (h, c): (h', c' or null).</summary>
    public static (torch.Tensor Hidden, torch.Tensor? Cell) StepTorch(torch.nn.Module module, torch.Tensor input, torch.Tensor h, torch.Tensor? c)
    {
        switch (module)
        {
            case TorchSharp.Modules.LSTMCell lstm:
                {
                    var (h1, c1) = lstm.call(input, (h, c!));
                    return (h1, c1);
                }
            case TorchSharp.Modules.GRUCell gru:
                return (gru.call(input, h), null);
            case TorchSharp.Modules.RNNCell rnn:
                return (rnn.call(input, h), null);
        }
        throw new ArgumentException($"Unexpected module {module.GetType()}.");
    }

#endif

    public override string ToString() => Name;
}

/// <summary>The registry of recurrent configurations.</summary>
public static class RecurrentCases
{
    /// <summary>Lengths of the variable-length cases: unsorted (so enforce_sorted: false matters), the longest the full time.</summary>
    public static readonly int[] VariableLengths = [5, 2, 4];

    /// <summary>Every kind × 1 or 2 layers × one or two directions × time- or batch-first × full or variable lengths.</summary>
    public static IEnumerable<RecurrentLayerCase> Layers()
    {
        foreach (var kind in Enum.GetValues<RecurrentKind>())
            foreach (int layers in new[] { 1, 2 })
                foreach (bool bidirectional in new[] { false, true })
                    foreach (bool batchFirst in new[] { false, true })
                        foreach (var lengths in new[] { null, VariableLengths })
                            yield return new RecurrentLayerCase(kind, layers, bidirectional, batchFirst, lengths);
        // Given (non-zero) initial states, whose gradients are compared too: with packed sequences libtorch permutes
        // h_0 into its sorted order and back, so this checks that our batch order of initial states is PyTorch's.
        foreach (var kind in Enum.GetValues<RecurrentKind>())
            foreach (var lengths in new[] { null, VariableLengths })
                yield return new RecurrentLayerCase(kind, 2, true, true, lengths, GivenInitialState: true);
    }

    public static IEnumerable<RecurrentCellCase> CellSteps() => Enum.GetValues<RecurrentKind>().Select(kind => new RecurrentCellCase(kind));
}

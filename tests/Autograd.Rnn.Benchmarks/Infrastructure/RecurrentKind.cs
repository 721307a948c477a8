namespace Autograd.Rnn.Benchmarks;

public enum RecurrentKind { Lstm, Gru, Rnn, PeepholeLstm }

public static class RecurrentKinds
{
    /// <summary>Gate blocks in the weight matrices: G in weight_ih [G·H, I].</summary>
    public static int Gates(this RecurrentKind kind) => kind switch
    {
        RecurrentKind.Lstm or RecurrentKind.PeepholeLstm => 4,
        RecurrentKind.Gru => 3,
        _ => 1,
    };

    /// <summary>
    /// [B,H] tensors one step must keep for the backward pass: LSTM i, f, g, o, c, h (6; the peephole LSTM the
    /// same); GRU r, z, n, W_hn·h + b_hn, h (5); Elman RNN h (1).
    /// </summary>
    public static int ActivationsPerStep(this RecurrentKind kind) => kind switch
    {
        RecurrentKind.Lstm or RecurrentKind.PeepholeLstm => 6,
        RecurrentKind.Gru => 5,
        _ => 1,
    };

    /// <summary>Parameters of one layer (the peephole LSTM has one bias and three peephole vectors).</summary>
    public static long ParameterCount(this RecurrentKind kind, RnnShape s)
    {
        long g = kind.Gates(), h = s.Hidden;
        long weights = g * h * (s.Input + h);
        return kind == RecurrentKind.PeepholeLstm ? weights + g * h + 3 * h : weights + 2 * g * h;
    }

    /// <summary>
    /// The bytes that backpropagation through time must hold for one float32 training step of one layer:
    /// activations per step × [B,H] × T, plus the gradients (one per parameter, and the input's [T,B,I]).
    /// </summary>
    public static long BpttBytes(this RecurrentKind kind, RnnShape s)
    {
        long activations = (long)kind.ActivationsPerStep() * s.Batch * s.Hidden * s.Steps;
        long gradients = kind.ParameterCount(s) + (long)s.Steps * s.Batch * s.Input;
        return sizeof(float) * (activations + gradients);
    }
}

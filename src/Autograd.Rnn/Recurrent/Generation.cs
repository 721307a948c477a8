using System.Numerics;

namespace Autograd.Rnn;

/// <summary>
/// One-to-many: generating a sequence by feeding each output back in as the next input.
/// </summary>
public static class Generation
{
    /// <summary>
    /// Picks a class from <paramref name="logits"/> [classes]: the arg-max when <paramref name="temperature"/> is 0 (greedy),
    /// otherwise a draw from softmax(logits / temperature) using <paramref name="uniform"/> ∈ [0, 1) as the random number.
    /// Low temperatures sharpen the distribution, high ones flatten it.
    /// </summary>
    /// <exception cref="ArgumentException">The logits are not 1-D or contain NaN, or the temperature is negative.</exception>
    public static int Choose<T>(Tensor<T> logits, double temperature, double uniform) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(logits);
        if (logits.Rank != 1 || logits.Size == 0)
            throw new ArgumentException($"Generation.Choose: logits {logits.Shape} must be a non-empty vector [classes].");
        if (!(temperature >= 0)) throw new ArgumentException($"Generation.Choose: temperature {temperature} is negative.");
        var values = logits.ToArray();
        int best = 0;
        for (int i = 0; i < values.Length; i++)
        {
            if (T.IsNaN(values[i])) throw new ArgumentException($"Generation.Choose: logit {i} is NaN.");
            if (values[i] > values[best]) best = i;
        }
        if (temperature == 0) return best;
        // Softmax with the maximum subtracted, so exp never overflows.
        double max = double.CreateChecked(values[best]), total = 0;
        var weights = new double[values.Length];
        for (int i = 0; i < values.Length; i++) total += weights[i] = Math.Exp((double.CreateChecked(values[i]) - max) / temperature);
        double target = uniform * total, cumulative = 0;
        for (int i = 0; i < weights.Length; i++)
        {
            cumulative += weights[i];
            if (target < cumulative) return i;
        }
        return values.Length - 1;
    }

    /// <summary>
    /// Runs <paramref name="cell"/> for <paramref name="steps"/> steps from <paramref name="state"/> (batch 1), starting from
    /// <paramref name="firstToken"/>: at each step the token is embedded (<paramref name="embed"/>: token -> [1, features]),
    /// the cell steps, <paramref name="readout"/> maps the hidden state [1, hidden] to logits [1, classes], and the chosen
    /// token (see <see cref="Choose{T}"/>) is fed back in. The same seed gives the same tokens.
    /// </summary>
    /// <returns>The generated tokens (not including <paramref name="firstToken"/>).</returns>
    public static int[] Sample<T>(Cell<T> cell, Params<T> parameters, RecurrentState<T> state, int firstToken, int steps,
        Func<int, Tensor<T>> embed, Func<Tensor<T>, Tensor<T>> readout, double temperature, ulong seed)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(cell);
        ArgumentNullException.ThrowIfNull(embed);
        ArgumentNullException.ThrowIfNull(readout);
        ArgumentOutOfRangeException.ThrowIfNegative(steps);
        var random = new SplitMix64(seed);
        var tokens = new int[steps];
        int token = firstToken;
        for (int i = 0; i < steps; i++)
        {
            state = cell.Step(parameters, state, embed(token));
            var logits = readout(state.Hidden);
            token = Choose(logits.Reshape(-1), temperature, random.NextDouble());
            tokens[i] = token;
        }
        return tokens;
    }
}

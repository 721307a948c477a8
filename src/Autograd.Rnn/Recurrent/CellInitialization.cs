using System.Numerics;

namespace Autograd.Rnn;

/// <summary>How a weight matrix of a built-in cell is initialised.</summary>
public enum WeightInitialization
{
    /// <summary>PyTorch's default for recurrent layers: U(−1/√hidden, 1/√hidden).</summary>
    PyTorchDefault,

    /// <summary>Xavier/Glorot uniform, per gate block [hidden, fanIn].</summary>
    XavierUniform,

    /// <summary>An orthogonal matrix per gate block [hidden, fanIn] (Saxe et al. 2014); usual for recurrent weights.</summary>
    Orthogonal,
}

/// <summary>
/// How a built-in cell (RNN, LSTM, GRU) creates its parameters. The defaults reproduce PyTorch: every weight and bias
/// U(−1/√hidden, 1/√hidden).
/// </summary>
public sealed record CellInitialization
{
    /// <summary>PyTorch's initialisation.</summary>
    public static CellInitialization Default { get; } = new();

    /// <summary>For <c>weight_ih</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to a value that is not a <see cref="WeightInitialization"/>.</exception>
    public WeightInitialization InputWeights { get; init => field = RequireDefined(value, nameof(InputWeights)); } = WeightInitialization.PyTorchDefault;

    /// <summary>For <c>weight_hh</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to a value that is not a <see cref="WeightInitialization"/>.</exception>
    public WeightInitialization RecurrentWeights { get; init => field = RequireDefined(value, nameof(RecurrentWeights)); } = WeightInitialization.PyTorchDefault;

    /// <summary>Whether the cell has the biases <c>bias_ih</c> and <c>bias_hh</c> (PyTorch's <c>bias=True</c>).</summary>
    public bool Bias { get; init; } = true;

    /// <summary>
    /// LSTM only: when set, the forget-gate slice of <c>bias_ih</c> is set to this value and that of <c>bias_hh</c> to 0, so
    /// the forget gate starts near σ(value) (Gers et al. 2000; Jozefowicz et al. 2015 recommend 1). Must be finite.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to NaN or an infinity.</exception>
    public double? ForgetGateBias { get; init => field = value is double v ? Require.Finite(v, nameof(ForgetGateBias), "CellInitialization") : null; }

    /// <summary>A copy with different weight initialisations.</summary>
    public CellInitialization WithWeights(WeightInitialization input, WeightInitialization recurrent) =>
        this with { InputWeights = input, RecurrentWeights = recurrent };

    /// <summary>A copy with the LSTM forget-gate bias set.</summary>
    public CellInitialization WithForgetGateBias(double value) => this with { ForgetGateBias = value };

    /// <summary>A copy with or without biases.</summary>
    public CellInitialization WithBias(bool bias) => this with { Bias = bias };

    /// <summary>
    /// <c>weight_ih</c> [gates·hidden, input], <c>weight_hh</c> [gates·hidden, hidden], and the two biases [gates·hidden].
    /// </summary>
    internal Params<T> Create<T>(int gates, int inputSize, int hiddenSize, ulong seed) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var p = Params<T>.Empty
            .Add("weight_ih", Weight<T>(InputWeights, gates, hiddenSize, inputSize, seed))
            .Add("weight_hh", Weight<T>(RecurrentWeights, gates, hiddenSize, hiddenSize, seed + 1));
        if (!Bias) return p;
        var biasIh = Init.PyTorchDefault<T>([gates * hiddenSize], hiddenSize, seed + 2);
        var biasHh = Init.PyTorchDefault<T>([gates * hiddenSize], hiddenSize, seed + 3);
        if (ForgetGateBias is double forget && gates == 4)
        {
            biasIh = SetSlice(biasIh, hiddenSize, hiddenSize, T.CreateChecked(forget));
            biasHh = SetSlice(biasHh, hiddenSize, hiddenSize, T.Zero);
        }
        return p.Add("bias_ih", biasIh).Add("bias_hh", biasHh);
    }

    /// <summary>The names and shapes <see cref="Create{T}"/> makes, without making them.</summary>
    internal IReadOnlyList<ParameterShape> Shapes(int gates, int inputSize, int hiddenSize)
    {
        ParameterShape[] weights = [new("weight_ih", new Shape(gates * hiddenSize, inputSize)), new("weight_hh", new Shape(gates * hiddenSize, hiddenSize))];
        return Bias ? [.. weights, new("bias_ih", new Shape(gates * hiddenSize)), new("bias_hh", new Shape(gates * hiddenSize))] : weights;
    }

    private static Tensor<T> Weight<T>(WeightInitialization kind, int gates, int hiddenSize, int fanIn, ulong seed)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (kind == WeightInitialization.PyTorchDefault)
            return Init.PyTorchDefault<T>([gates * hiddenSize, fanIn], hiddenSize, seed);
        // Xavier and orthogonal are defined per gate: each gate's block is its own [hidden, fanIn] matrix.
        // Each block's seed is a scrambled draw from the parameter's seed, not an affine function of it: seed·31 + g would
        // make, e.g. for seed 0, block 1 of weight_ih replay weight_hh's numbers (seed + 1) and block 2 replay bias_ih's.
        var blocks = new Tensor<T>[gates];
        var blockSeeds = new SplitMix64(seed);
        for (int g = 0; g < gates; g++)
        {
            ulong blockSeed = blockSeeds.NextUInt64();
            blocks[g] = kind == WeightInitialization.Orthogonal
                ? Init.Orthogonal<T>(hiddenSize, fanIn, blockSeed)
                : Init.XavierUniform<T>(hiddenSize, fanIn, blockSeed);
        }
        return gates == 1 ? blocks[0] : Tensor.Concat(blocks, 0);
    }

    private static WeightInitialization RequireDefined(WeightInitialization value, string name) =>
        Enum.IsDefined(value) ? value
            : throw new ArgumentOutOfRangeException(name, value, $"CellInitialization: {name} must be PyTorchDefault, XavierUniform or Orthogonal.");

    private static Tensor<T> SetSlice<T>(Tensor<T> vector, int start, int length, T value) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var values = vector.ToArray();
        values.AsSpan(start, length).Fill(value);
        return Tensor.FromArray(values, values.Length);
    }
}

namespace Autograd.Rnn.CheckpointKillHelper;

/// <summary>
/// The checkpoint versions the helper writes; the test project compiles this same file to know what each complete
/// version holds. Version v: a 512x512 weight drawn with seed v / <see cref="Series"/> (1 MB, drawn once per helper
/// process so that its time goes into saving, where the kills should land) and a bias filled with v, with
/// "version" = v in the metadata.
/// </summary>
public static class CheckpointVersions
{
    /// <summary>Each helper process writes versions from a multiple of this on.</summary>
    public const int Series = 1_000_000;

    public static Tensor<float> Weight(int version) => Tensor.RandomNormal<float>([512, 512], seed: (ulong)(version / Series));

    public static Params<float> Create(int version) => Create(version, Weight(version));

    /// <summary>Version <paramref name="version"/>, given its <see cref="Weight"/>.</summary>
    public static Params<float> Create(int version, Tensor<float> weight) =>
        Params<float>.Empty.Add("weight", weight).Add("bias", Tensor.Full((float)version, 256));

    public static Dictionary<string, string> Metadata(int version) => new() { ["version"] = version.ToString(System.Globalization.CultureInfo.InvariantCulture) };
}

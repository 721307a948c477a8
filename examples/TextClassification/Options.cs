namespace TextClassification;

/// <summary>
/// Command-line options: <c>--quick</c> (a sample, tiny sizes, seconds, no quality target), <c>--seed N</c>, and
/// <c>--characters</c> (the recurrent model reads characters instead of words), and <c>--members N</c> (train N copies
/// of the recurrent model from different initialisation seeds and average their spam probabilities; default 1),
/// <c>--splits N</c> (repeat the comparison on N splits, seeds N.. N+k), <c>--validation-only</c> (never score test).
/// </summary>
internal sealed record Options(bool Quick, ulong Seed, bool Characters, int Members, int Splits, bool ValidationOnly, Dictionary<string, string> Knobs)
{
    public double Knob(string name, double fallback) => Knobs.TryGetValue(name, out var v) ? double.Parse(v, System.Globalization.CultureInfo.InvariantCulture) : fallback;
    public string Knob(string name, string fallback) => Knobs.GetValueOrDefault(name, fallback);

    public static Options Parse(string[] args)
    {
        bool quick = false, characters = false, validationOnly = false;
        ulong seed = 1;
        int members = 1, splits = 1;
        var knobs = new Dictionary<string, string>();
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--quick":
                    quick = true;
                    break;
                case "--characters":
                    characters = true;
                    break;
                case "--validation-only":
                    validationOnly = true;
                    break;
                case "--seed" when i + 1 < args.Length && ulong.TryParse(args[i + 1], out var value):
                    seed = value;
                    i++;
                    break;
                case "--members" when i + 1 < args.Length && int.TryParse(args[i + 1], out var count) && count > 0:
                    members = count;
                    i++;
                    break;
                case "--splits" when i + 1 < args.Length && int.TryParse(args[i + 1], out var n) && n > 0:
                    splits = n;
                    i++;
                    break;
                case "--set" when i + 1 < args.Length && args[i + 1].Contains('='):
                    var kv = args[i + 1].Split('=', 2);
                    knobs[kv[0]] = kv[1];
                    i++;
                    break;
                default:
                    throw new ArgumentException($"unknown argument '{args[i]}'. Usage: [--quick] [--seed N] [--characters] [--members N]");
            }
        }
        return new Options(quick, seed, characters, members, splits, validationOnly, knobs);
    }
}

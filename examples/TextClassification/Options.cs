namespace TextClassification;

/// <summary>
/// Command-line options: <c>--quick</c> (a sample, tiny sizes, seconds, no quality target), <c>--seed N</c>, and
/// <c>--characters</c> (the recurrent model reads characters instead of words), and <c>--members N</c> (train N copies
/// of the recurrent model from different initialisation seeds and average their spam probabilities; default 1).
/// </summary>
internal sealed record Options(bool Quick, ulong Seed, bool Characters, int Members)
{
    public static Options Parse(string[] args)
    {
        bool quick = false, characters = false;
        ulong seed = 1;
        int members = 1;
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
                case "--seed" when i + 1 < args.Length && ulong.TryParse(args[i + 1], out var value):
                    seed = value;
                    i++;
                    break;
                case "--members" when i + 1 < args.Length && int.TryParse(args[i + 1], out var count) && count > 0:
                    members = count;
                    i++;
                    break;
                default:
                    throw new ArgumentException($"unknown argument '{args[i]}'. Usage: [--quick] [--seed N] [--characters] [--members N]");
            }
        }
        return new Options(quick, seed, characters, members);
    }
}

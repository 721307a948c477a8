namespace TextClassification;

/// <summary>
/// Command-line options: <c>--quick</c> (a sample, tiny sizes, seconds, no quality target), <c>--seed N</c>, and
/// <c>--characters</c> (the recurrent model reads characters instead of words).
/// </summary>
internal sealed record Options(bool Quick, ulong Seed, bool Characters)
{
    public static Options Parse(string[] args)
    {
        bool quick = false, characters = false;
        ulong seed = 1;
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
                default:
                    throw new ArgumentException($"unknown argument '{args[i]}'. Usage: [--quick] [--seed N] [--characters]");
            }
        }
        return new Options(quick, seed, characters);
    }
}

namespace TextClassification;

/// <summary>Command-line options: <c>--quick</c> (tiny sizes, seconds, no quality targets) and <c>--seed N</c>.</summary>
internal sealed record Options(bool Quick, ulong Seed)
{
    public static Options Parse(string[] args)
    {
        bool quick = false;
        ulong seed = 1;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--quick":
                    quick = true;
                    break;
                case "--seed" when i + 1 < args.Length && ulong.TryParse(args[i + 1], out var value):
                    seed = value;
                    i++;
                    break;
                default:
                    throw new ArgumentException($"unknown argument '{args[i]}'. Usage: [--quick] [--seed N]");
            }
        }
        return new Options(quick, seed);
    }
}

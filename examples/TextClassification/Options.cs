namespace TextClassification;

/// <summary>What the recurrent model reads.</summary>
internal enum TextInput
{
    /// <summary>Words, one learned vector per vocabulary word (the default).</summary>
    Words,

    /// <summary>Words whose vectors are built from the word and its hashed character trigrams (<see cref="SubwordEmbedding"/>).</summary>
    Subwords,

    /// <summary>Characters.</summary>
    Characters,
}

/// <summary>
/// Command-line options: <c>--quick</c> (a sample, tiny sizes, seconds, no quality target); <c>--seed N</c> (default 1;
/// it draws the split too); <c>--members N</c> (train N copies of each recurrent model from different seeds and average
/// their spam probabilities; default 3); <c>--splits N</c> (repeat the whole comparison on the N splits of the
/// seeds from <c>--seed</c> on, and print their mean and spread); <c>--validation-only</c> (never score the test split: how settings are
/// chosen); <c>--subwords</c> or <c>--characters</c> (what the recurrent model reads instead of words);
/// <c>--pretrain N</c> (pretrain the word encoder as a language model for N steps first, <see cref="Pretraining"/>;
/// 0 starts from random weights, the default; quick mode runs 10 steps unless told; words only); <c>--moby-dick</c> (the
/// language model also reads Moby-Dick).
/// </summary>
internal sealed record Options(bool Quick, ulong Seed, TextInput Input, int Members, int Splits, bool ValidationOnly, int? Pretrain, bool MobyDick)
{
    private const string Usage = "Usage: [--quick] [--seed N] [--members N] [--splits N] [--validation-only] [--subwords | --characters] [--pretrain N [--moby-dick]]";

    public static Options Parse(string[] args)
    {
        bool quick = false, validationOnly = false, mobyDick = false;
        var input = TextInput.Words;
        ulong seed = 1;
        int members = 3, splits = 1;
        int? pretrain = null;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--quick":
                    quick = true;
                    break;
                case "--characters":
                    input = TextInput.Characters;
                    break;
                case "--subwords":
                    input = TextInput.Subwords;
                    break;
                case "--moby-dick":
                    mobyDick = true;
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
                case "--pretrain" when i + 1 < args.Length && int.TryParse(args[i + 1], out var steps) && steps >= 0:
                    pretrain = steps;
                    i++;
                    break;
                default:
                    throw new ArgumentException($"unknown argument '{args[i]}'. {Usage}");
            }
        }
        return new Options(quick, seed, input, members, splits, validationOnly, pretrain, mobyDick);
    }
}

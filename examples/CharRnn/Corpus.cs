namespace CharRnn;

/// <summary>
/// Moby-Dick split into training text and held-out chapters, with the character vocabulary of the whole book.
/// Every tenth chapter (10, 20, …, 130) is held out, so validation text is unseen prose from across the book.
/// </summary>
sealed class Corpus
{
    public required string Training { get; init; }
    public required string Validation { get; init; }
    public required string Vocabulary { get; init; } // distinct characters, in code order; index = token

    public static Corpus Load(string path)
    {
        string text = File.ReadAllText(path).Replace("\r\n", "\n");
        var chapters = text.Split("\nCHAPTER ", StringSplitOptions.None);
        var training = new List<string>();
        var validation = new List<string>();
        for (int i = 0; i < chapters.Length; i++)
        {
            string chapter = i == 0 ? chapters[i] : "CHAPTER " + chapters[i];
            ((i + 1) % 10 == 0 ? validation : training).Add(chapter);
        }
        var vocabulary = new string(text.Distinct().Order().ToArray());
        return new Corpus { Training = string.Join("\n", training), Validation = string.Join("\n", validation), Vocabulary = vocabulary };
    }

    public int[] Encode(string text)
    {
        var index = new Dictionary<char, int>();
        for (int i = 0; i < Vocabulary.Length; i++) index[Vocabulary[i]] = i;
        return text.Select(c => index[c]).ToArray();
    }

    /// <summary>
    /// Bits per character of the unigram model: each character predicted by its frequency in the training text
    /// (add-one smoothed), measured on the validation text — the baseline a language model must beat.
    /// </summary>
    public double UnigramBitsPerCharacter()
    {
        var counts = new double[Vocabulary.Length];
        foreach (int token in Encode(Training)) counts[token]++;
        double total = counts.Sum() + counts.Length;
        double bits = 0;
        var validation = Encode(Validation);
        foreach (int token in validation) bits -= Math.Log2((counts[token] + 1) / total);
        return bits / validation.Length;
    }

    /// <summary>Finds examples/data by walking up from the program's folder, so any working directory works.</summary>
    public static string FindData(string file)
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            string candidate = Path.Combine(directory.FullName, "examples", "data", file);
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException($"examples/data/{file} not found above {AppContext.BaseDirectory}.");
    }
}

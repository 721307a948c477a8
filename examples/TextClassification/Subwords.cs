using Autograd.Rnn;

namespace TextClassification;

/// <summary>
/// Word vectors built from the word and its pieces, as fastText builds them: a word's vector is the mean of its own
/// row in a word table (words of the training vocabulary; any other word shares the "unknown" row) and of the rows of
/// its character trigrams in a hashed table. The trigrams are those of the word between boundary marks, so "v1agra"
/// is "&lt;v1", "v1a", "1ag", "agr", "gra", "ra&gt;"; each is hashed (FNV-1a) into one of <paramref name="buckets"/>
/// rows. A rare or mangled word thus shares most of its pieces, and so most of its vector, with the words it
/// imitates, which neither a word table nor the bag of words can give it.
/// </summary>
internal sealed class SubwordEmbedding(WordEncoder words, int buckets, int dimension) : ITextEmbedding
{
    // Words longer than this contribute their first pieces only (long tokens are mostly encoded junk or URLs).
    private const int MaxTrigrams = 24;

    public string Description => $"{words.Count} word ids + {buckets} hashed character-trigram buckets, embedding {dimension}";

    public Params<float> Initialize(ulong seed) =>
        // N(0, 0.1²), as for the plain word table (see TokenEmbedding).
        Embedding.Init<float>(words.Count, dimension, seed).Map(w => w * 0.1f).WithPrefix("embedding.")
            .Concat(Embedding.Init<float>(buckets, dimension, seed + 1).Map(w => w * 0.1f).WithPrefix("trigrams."));

    public EmbeddedTexts Embed(Params<float> parameters, Message[] messages, int maxLength)
    {
        // Each distinct word of the batch is built once, then its vector is gathered into every place it occurs.
        var distinct = new Dictionary<string, int>(StringComparer.Ordinal);
        var texts = messages.Select(m => words.Words(m.Text, maxLength).Select(w => Index(distinct, w)).ToArray()).ToArray();
        var vocabulary = distinct.OrderBy(kv => kv.Value).Select(kv => kv.Key).ToArray();
        int count = vocabulary.Length;

        var pieces = vocabulary.Select(Trigrams).ToArray();
        int width = pieces.Max(p => p.Length);
        var trigramIds = new int[width * count];   // [piece, word]; empty slots are masked out
        var present = new float[width * count];
        var share = new float[count];               // 1 / (1 + the word's number of pieces): the mean
        for (int w = 0; w < count; w++)
        {
            for (int k = 0; k < pieces[w].Length; k++)
            {
                trigramIds[k * count + w] = pieces[w][k];
                present[k * count + w] = 1f;
            }
            share[w] = 1f / (1 + pieces[w].Length);
        }
        var wordRows = Embedding.Apply(parameters.Select("embedding."), vocabulary.Select(words.Id).ToArray());
        var trigramRows = Embedding.Apply(parameters.Select("trigrams."), trigramIds, width, count) * Tensor.FromArray(present, width, count, 1);
        var vectors = (wordRows + Tensor.Sum(trigramRows, 0)) * Tensor.FromArray(share, count, 1);

        var lengths = texts.Select(t => t.Length).ToArray();
        int time = lengths.Max(), batch = messages.Length;
        var positions = new int[time * batch]; // time-major; padded steps point at word 0 and are left out by the lengths
        for (int b = 0; b < batch; b++)
            for (int t = 0; t < lengths[b]; t++) positions[t * batch + b] = texts[b][t];
        return new EmbeddedTexts(Tensor.GatherRows(vectors, positions, [time, batch]), lengths);
    }

    private static int Index(Dictionary<string, int> distinct, string word)
    {
        if (!distinct.TryGetValue(word, out int index)) distinct[word] = index = distinct.Count;
        return index;
    }

    private int[] Trigrams(string word)
    {
        string marked = "<" + word + ">";
        int count = Math.Min(MaxTrigrams, marked.Length - 2);
        var ids = new int[count];
        for (int k = 0; k < count; k++)
        {
            uint hash = 2166136261; // FNV-1a, 32 bits: fixed, so the buckets do not depend on the process
            for (int c = k; c < k + 3; c++) hash = (hash ^ marked[c]) * 16777619;
            ids[k] = (int)(hash % (uint)buckets);
        }
        return ids;
    }
}

using Autograd.Rnn;

namespace TextClassification;

/// <summary>A batch of texts as the vectors a recurrent model reads: inputs [time, batch, E], time-major, and each text's length.</summary>
internal sealed record EmbeddedTexts(Tensor<float> Inputs, int[] Lengths);

/// <summary>Turns texts into vectors, with its own parameters (named under its own prefixes).</summary>
internal interface ITextEmbedding
{
    string Description { get; }
    Params<float> Initialize(ulong seed);
    /// <summary>The first <paramref name="maxLength"/> tokens of each message, embedded, the batch padded to its longest text.</summary>
    EmbeddedTexts Embed(Params<float> parameters, Message[] messages, int maxLength);
}

/// <summary>One learned row per token id (<c>Embedding</c> [tokens, E]).</summary>
internal sealed class TokenEmbedding(ITokenEncoder encoder, int dimension) : ITextEmbedding
{
    public string Description => $"{encoder.Count} token ids ({encoder.Name}), embedding {dimension}";

    public Params<float> Initialize(ulong seed) =>
        // N(0, 0.1²) rather than Embedding.Init's N(0, 1): with unit-variance inputs the gates start saturated, and
        // the many rare words' random vectors are loud noise until training quiets them.
        Embedding.Init<float>(encoder.Count, dimension, seed).Map(w => w * 0.1f).WithPrefix("embedding.");

    public EmbeddedTexts Embed(Params<float> parameters, Message[] messages, int maxLength)
    {
        int batch = messages.Length;
        var encoded = messages.Select(m => encoder.Encode(m.Text, maxLength)).ToArray();
        var lengths = encoded.Select(e => e.Length).ToArray();
        int time = lengths.Max();
        var tokens = new int[time * batch]; // time-major; padding is id 0, left out by the lengths
        for (int b = 0; b < batch; b++)
            for (int t = 0; t < lengths[b]; t++) tokens[t * batch + b] = encoded[b][t];
        return new EmbeddedTexts(Embedding.Apply(parameters.Select("embedding."), tokens, time, batch), lengths);
    }
}

/// <summary>Turns a message's text into the token ids a recurrent model reads, ids in [0, <see cref="Count"/>).</summary>
internal interface ITokenEncoder
{
    string Name { get; }
    int Count { get; }
    /// <summary>The ids of the text's first <paramref name="maxLength"/> tokens (at least one).</summary>
    int[] Encode(string text, int maxLength);
}

/// <summary>Characters as tokens: the corpus is ASCII, so an id is the character code (0–127). No vocabulary.</summary>
internal sealed class CharacterEncoder : ITokenEncoder
{
    public string Name => "characters";
    public int Count => 128;

    public int[] Encode(string text, int maxLength)
    {
        var ids = new int[Math.Max(1, Math.Min(text.Length, maxLength))];
        for (int t = 0; t < ids.Length && t < text.Length; t++) ids[t] = Math.Min(text[t], (char)127);
        return ids;
    }
}

/// <summary>
/// Words as tokens (<see cref="BagOfWords.Tokens"/>, the baseline's tokenizer): the words of at least
/// <paramref name="minimumDocuments"/> training messages get an id each; any other word is id 1 (unknown); 0 is
/// never produced (an empty text is one unknown word).
/// </summary>
internal sealed class WordEncoder : ITokenEncoder
{
    private readonly Dictionary<string, int> ids;

    public WordEncoder(Message[] train, int minimumDocuments)
    {
        var documentCounts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var message in train)
            foreach (var token in BagOfWords.Tokens(message.Text).Distinct())
                documentCounts[token] = documentCounts.GetValueOrDefault(token) + 1;
        ids = documentCounts.Where(kv => kv.Value >= minimumDocuments)
            .OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal)
            .Select((kv, index) => (kv.Key, Id: index + 2))
            .ToDictionary(e => e.Key, e => e.Id, StringComparer.Ordinal);
    }

    public string Name => "words";
    public int Count => ids.Count + 2;

    public int[] Encode(string text, int maxLength) => Words(text, maxLength).Select(Id).ToArray();

    /// <summary>The text's first <paramref name="maxLength"/> words; an empty text is one empty word (unknown).</summary>
    public string[] Words(string text, int maxLength)
    {
        var words = BagOfWords.Tokens(text).Take(maxLength).ToArray();
        return words.Length == 0 ? [""] : words;
    }

    /// <summary>The word's id, or 1 (unknown) for a word outside the vocabulary.</summary>
    public int Id(string word) => ids.GetValueOrDefault(word, 1);
}

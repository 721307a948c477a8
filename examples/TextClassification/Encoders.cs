namespace TextClassification;

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

    public int[] Encode(string text, int maxLength)
    {
        var encoded = BagOfWords.Tokens(text).Take(maxLength).Select(w => ids.GetValueOrDefault(w, 1)).ToArray();
        return encoded.Length == 0 ? [1] : encoded;
    }
}

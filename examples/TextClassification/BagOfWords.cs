using Autograd.Rnn;

namespace TextClassification;

/// <summary>
/// The baseline: logistic regression on binary bag-of-words features. The vocabulary is built on the training split
/// only (tokens in at least <paramref name="minimumDocuments"/> training messages, the <paramref name="maximumSize"/>
/// most frequent); a message is a 0/1 vector over it, and <c>Linear</c> [vocabulary, 2] gives the logits (two-class
/// softmax regression is logistic regression). Trained with the same loop as the recurrent model.
/// </summary>
internal sealed class BagOfWords : IClassifier
{
    private readonly Dictionary<string, int> vocabulary;

    public BagOfWords(Message[] train, int minimumDocuments, int maximumSize)
    {
        var documentCounts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var message in train)
            foreach (var token in Tokens(message.Text).Distinct())
                documentCounts[token] = documentCounts.GetValueOrDefault(token) + 1;
        vocabulary = documentCounts.Where(kv => kv.Value >= minimumDocuments)
            .OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal)
            .Take(maximumSize).Select((kv, index) => (kv.Key, index))
            .ToDictionary(e => e.Key, e => e.index, StringComparer.Ordinal);
    }

    public int VocabularySize => vocabulary.Count;

    public Params<float> Initialize(ulong seed) => Linear.Init<float>(VocabularySize, 2, seed).WithPrefix("readout.");

    public Tensor<float> Logits(Params<float> parameters, Message[] messages, ulong? dropoutSeed = null)
    {
        var features = new float[messages.Length * VocabularySize];
        for (int b = 0; b < messages.Length; b++)
            foreach (var token in Tokens(messages[b].Text))
                if (vocabulary.TryGetValue(token, out int index)) features[b * VocabularySize + index] = 1;
        return Linear.Apply(parameters.Select("readout."), Tensor.FromArray(features, messages.Length, VocabularySize));
    }

    /// <summary>Lower-cased runs of letters and digits, and '$' and '!' as tokens of their own (both common in spam).</summary>
    public static IEnumerable<string> Tokens(string text)
    {
        int start = -1;
        for (int i = 0; i <= text.Length; i++)
        {
            bool word = i < text.Length && char.IsLetterOrDigit(text[i]);
            if (word && start < 0) start = i;
            if (!word && start >= 0)
            {
                yield return text[start..i].ToLowerInvariant();
                start = -1;
            }
            if (i < text.Length && text[i] is '$' or '!') yield return text[i].ToString();
        }
    }
}

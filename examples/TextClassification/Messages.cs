namespace TextClassification;

/// <summary>One message of the SpamAssassin subset: its label, source folder, subject and the start of its body.</summary>
internal sealed record Message(bool IsSpam, string Folder, string Id, string Subject, string BodyStart)
{
    /// <summary>What both models read: the subject, a line break, then the start of the body.</summary>
    public string Text => Subject + "\n" + BodyStart;

    /// <summary>Mail that looks like spam (the corpus's hard-ham folder), reported separately.</summary>
    public bool IsHardHam => Folder.StartsWith("hard-ham", StringComparison.Ordinal);
}

/// <summary>The three held-apart parts of the corpus.</summary>
internal sealed record Split(Message[] Train, Message[] Validation, Message[] Test);

/// <summary>Loads <c>examples/data/spam-assassin-subset.tsv</c> and splits it.</summary>
internal static class Messages
{
    public const string FileName = "spam-assassin-subset.tsv";

    /// <summary>Every row after the header: <c>label\tfolder\tid\tsubject\tbody_start</c> (no field holds a tab).</summary>
    public static Message[] Load() =>
        File.ReadLines(DataFiles.Path(FileName)).Skip(1).Where(line => line.Length > 0).Select(line =>
        {
            var f = line.Split('\t');
            if (f.Length != 5) throw new InvalidDataException($"{FileName}: expected 5 tab-separated fields, found {f.Length} in '{line[..Math.Min(60, line.Length)]}'");
            return new Message(f[0] == "spam", f[1], f[2], f[3], f[4]);
        }).ToArray();

    /// <summary>
    /// A seeded split stratified by source folder (so by label too, and the hard-ham folder is in every part in
    /// proportion): each folder is shuffled, and its first <paramref name="trainShare"/> goes to training, the next
    /// <paramref name="validationShare"/> to validation, the rest to test.
    /// </summary>
    public static Split Stratified(Message[] messages, double trainShare, double validationShare, ulong seed)
    {
        var random = new Random(unchecked((int)seed));
        List<Message> train = [], validation = [], test = [];
        foreach (var folder in messages.GroupBy(m => m.Folder).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var shuffled = folder.ToArray();
            random.Shuffle(shuffled);
            int trainCount = (int)Math.Round(trainShare * shuffled.Length);
            int validationCount = (int)Math.Round(validationShare * shuffled.Length);
            train.AddRange(shuffled[..trainCount]);
            validation.AddRange(shuffled[trainCount..(trainCount + validationCount)]);
            test.AddRange(shuffled[(trainCount + validationCount)..]);
        }
        return new Split(train.ToArray(), validation.ToArray(), test.ToArray());
    }

    /// <summary>The first <paramref name="count"/> of each folder (quick mode: the same code on a small sample).</summary>
    public static Message[] Sample(Message[] messages, int count) =>
        messages.GroupBy(m => m.Folder).SelectMany(g => g.Take(count)).ToArray();
}

using System.Globalization;
using Autograd.Rnn;
using Autograd.Rnn.CheckpointKillHelper;

// Usage: Autograd.Rnn.CheckpointKillHelper <path> <first version>
// Saves versions first, first+1, … to <path> until killed; prints "saving" once, before the first save.
if (args.Length != 2 || !int.TryParse(args[1], CultureInfo.InvariantCulture, out int version))
{
    Console.Error.WriteLine("usage: Autograd.Rnn.CheckpointKillHelper <path> <first version>");
    return 2;
}
var weight = CheckpointVersions.Weight(version);
Console.WriteLine("saving");
Console.Out.Flush();
for (; ; version++) Checkpoint.Save(args[0], CheckpointVersions.Create(version, weight), CheckpointVersions.Metadata(version));

// The vanishing-gradient lesson, measured: a tanh RNN, an LSTM and a GRU of the same size learn to recall the first
// symbol of a sequence after T distractor symbols, for growing T; the program reports their test accuracy and how the
// gradient of the loss with respect to each hidden state h_t fades going back in time, and draws both as SVG plots.
//
//   dotnet run --project examples/Memory -c Release             (the full run: a few minutes on 2 cores)
//   dotnet run --project examples/Memory -c Release -- --quick  (seconds; what CI runs)
using System.Globalization;
using Memory;

var options = Options.Parse(args);
if (options is null) return 2;

var task = new MemoryTask(options.Classes, options.Distractors);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"Memory task: {task.Classes} classes, then T distractors from {task.Distractors} other symbols; answer the first symbol at the end (chance {1.0 / task.Classes:P0})."));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"T in {{{string.Join(", ", options.Lengths)}}}; RNN (tanh), LSTM and GRU with {options.HiddenSize} hidden units; {options.Steps} Adam steps (lr {options.LearningRate}, batch {options.Batch}, global-norm clip {options.MaxNorm}); gate bias {options.GateBias}; seed {options.Seed}; {options.Workers} worker(s){(options.Quick ? "; quick mode" : "")}."));

var runs = new List<Run>();
foreach (var cell in new[] { CellKind.Rnn, CellKind.Lstm, CellKind.Gru })
    for (int i = 0; i < options.Lengths.Length; i++) runs.Add(new Run(cell, options.Lengths[i], i, options.Steps));

var progress = new Progress(runs, options.Batch);
Experiment.RunAll(runs, options, task, progress.Update);
progress.Complete();

Console.WriteLine();
Report.PrintTables(runs, options, task);
if (options.Quick)
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"quick mode: {options.Steps} steps at T ≤ {options.Lengths.Max()} check that the whole path runs; the baseline is chance ({1.0 / task.Classes:P0}), and quick runs are not expected to beat it reliably (the full run is)."));
Console.WriteLine();
foreach (string path in Report.WriteFiles(runs, options, task)) Console.WriteLine($"wrote {path}");
Console.WriteLine($"total time {Progress.Format(progress.Elapsed)}");
return 0;

// Two real time series with recurrent networks (see README.md):
//   (a) forecasting daily US births 1969–1988, many-to-one and sequence-to-sequence, against the seasonal-naive baseline;
//   (b) anomaly detection on labelled wireless-sensor readings: next-reading prediction errors (unsupervised), and a
//       GRU classifier over the last 256 readings trained on the other motes' labels.
//
//   dotnet run --project examples/TimeSeries -c Release                 full run (a few minutes on 2 cores)
//   dotnet run --project examples/TimeSeries -c Release -- --quick      same code, tiny sizes, seconds (CI)
//   dotnet run --project examples/TimeSeries -c Release -- --seed 7     another seed (default 1)
//
// Exits with 1 when, in full mode, a model does not beat the seasonal-naive forecast.
using System.Diagnostics;
using TimeSeries;

var options = Options.Parse(args);
var clock = Stopwatch.StartNew();
Console.WriteLine($"TimeSeries: {(options.Quick ? "quick mode (tiny sizes; quality targets not checked)" : "full mode")}, seed {options.Seed}, {Environment.ProcessorCount} cores");

// (a) Births. Train 1969–1984, validate 1985–1986 (early stopping), test 1987–1988.
var births = new Births(lastTrainYear: 1984);
var birthSizes = options.Quick
    ? new BirthsSizes(Window: 14, Hidden: 8, new TrainingSettings(Steps: 30, BatchSize: 32, LearningRate: 1e-2, MaxGradientNorm: 1.0, ValidateEvery: 10))
    : new BirthsSizes(Window: 28, Hidden: 32, new TrainingSettings(Steps: 800, BatchSize: 128, LearningRate: 5e-3, MaxGradientNorm: 1.0, ValidateEvery: 50));
var forecast = new BirthsForecast(births, birthSizes);
var trainDays = forecast.TargetDays(0, births.TrainEnd);
var validationDays = forecast.TargetDays(births.TrainEnd, births.FirstDayOf(1987));
var testDays = forecast.TargetDays(births.FirstDayOf(1987), births.Length);
Console.WriteLine();
Console.WriteLine($"(a) Daily US births (CDC/NCHS): GRU, hidden {birthSizes.Hidden}, windows of {birthSizes.Window} days -> the next day");
Console.WriteLine($"    {trainDays.Length} training windows (1969–1984), {validationDays.Length} validation days (1985–1986), {testDays.Length} test days (1987–1988)");
double naive = forecast.SeasonalNaiveRmse(testDays);
Console.WriteLine($"    seasonal-naive (same weekday last week) test RMSE: {naive:F1} births/day");
var models = new List<ForecastResult>();
foreach (var shape in new[] { ForecastShape.ManyToOne, ForecastShape.SequenceToSequence })
{
    var result = forecast.Train(shape, trainDays, validationDays, testDays, options.Seed + 1000 * (ulong)shape);
    Console.WriteLine($"    {Describe(shape)}: test RMSE {result.TestRmse:F1} births/day (validation {result.ValidationRmse:F1}, best at step {result.Training.BestStep}, {result.Training.Elapsed.TotalSeconds:F0}s)");
    models.Add(result);
}
bool beatsNaive = models.All(m => m.TestRmse < naive);

// (b) Sensor anomalies. First one predictor per mote, trained on all of its (unlabelled) readings.
Console.WriteLine();
Console.WriteLine("(b) Wireless-sensor anomalies. Data: S. Suthaharan, M. Alzahrani, S. Rajasegarar, C. Leckie, M. Palaniswami,");
Console.WriteLine("    \"Labelled data collection for anomaly detection in wireless sensor networks\", ISSNIP 2010 (ODC-By 1.0 / CC BY 4.0).");
var sensorSizes = options.Quick
    ? new SensorSizes(Window: 8, Hidden: 8, new TrainingSettings(Steps: 15, BatchSize: 32, LearningRate: 1e-2, MaxGradientNorm: 1.0, ValidateEvery: int.MaxValue))
    : new SensorSizes(Window: 16, Hidden: 16, new TrainingSettings(Steps: 200, BatchSize: 128, LearningRate: 5e-3, MaxGradientNorm: 1.0, ValidateEvery: int.MaxValue));
var detector = new SensorAnomalies(sensorSizes);
var motes = SensorReadings.Load();
Console.WriteLine($"    {motes.Sum(m => m.Length)} readings from {motes.Length} motes, {motes.Sum(m => m.IsAnomaly.Count(a => a))} labelled anomalous; " +
    $"GRU, hidden {sensorSizes.Hidden}, windows of {sensorSizes.Window} readings -> the next (humidity, temperature)");
var scores = motes.Select(m => detector.Score(m, options.Seed + 100 * (ulong)m.Mote)).ToArray();
foreach (var s in scores)
{
    var flags = detector.Flag(s.ModelErrors, SensorAnomalies.Rules[0].Threshold);
    int truePositives = flags.Where((f, r) => f && s.Readings.IsAnomaly[r]).Count();
    Console.WriteLine($"    mote {s.Readings.Mote} ({(s.Readings.Indoor ? "indoor" : "outdoor")}): {s.Readings.Length} readings, {s.Readings.IsAnomaly.Count(a => a)} anomalous; " +
        $"final loss {s.Training.FinalLoss:F4}; GRU flags (mean + 3 std) {flags.Count(f => f)}, of them anomalous {truePositives}");
}
var detections = new List<Detection>
{
    Detection.Score("baseline: |z| > 3 on raw values", scores.Select(s => (SensorAnomalies.ZScoreFlags(s.Standardised), s.Readings.IsAnomaly))),
};
foreach (var (name, rule) in SensorAnomalies.Rules)
{
    detections.Add(Detection.Score($"baseline: persistence error > {name}", scores.Select(s => (detector.Flag(s.PersistenceErrors, rule), s.Readings.IsAnomaly))));
    detections.Add(Detection.Score($"GRU prediction error > {name}", scores.Select(s => (detector.Flag(s.ModelErrors, rule), s.Readings.IsAnomaly))));
}

// The GRU classifier: trained on the labels of one pair of motes, it flags the other pair's readings (two folds), so
// every flag is made without the labels of its own mote.
var classifierSizes = options.Quick
    ? new ClassifierSizes(Span: 32, Stride: 4, Hidden: 8, PositiveShare: 0.1, Ensemble: 1, new TrainingSettings(Steps: 10, BatchSize: 32, LearningRate: 1e-2, MaxGradientNorm: 1.0, ValidateEvery: int.MaxValue))
    : new ClassifierSizes(Span: 256, Stride: 4, Hidden: 16, PositiveShare: 0.1, Ensemble: 3, new TrainingSettings(Steps: 300, BatchSize: 64, LearningRate: 5e-3, MaxGradientNorm: 1.0, ValidateEvery: int.MaxValue));
Console.WriteLine($"    GRU classifier, hidden {classifierSizes.Hidden}, reads the last {classifierSizes.Span} readings (every {classifierSizes.Stride}th); " +
    $"{classifierSizes.Ensemble} model(s) per fold, trained on motes 1-2 to flag 3-4 and on 3-4 to flag 1-2; flags P(anomaly) > 1/2 at the real share of anomalies");
var classified = new SensorClassifier(classifierSizes).FlagAll(scores, options.Seed + 7);
var baselines = detections.Where(d => d.Method.StartsWith("baseline", StringComparison.Ordinal)).ToArray();
detections.Add(Detection.Score("GRU classifier (other motes' labels)", scores.Select((s, i) => (classified.Flags[i], s.Readings.IsAnomaly))));
// The classifier and the |z| rule together: the rule is sure of the extreme readings; the classifier adds readings
// of an episode that are no longer extreme but not yet back to the mote's level (the slow decay).
var combined = Detection.Score("GRU classifier or |z| > 3", scores.Select((s, i) =>
    (classified.Flags[i].Zip(SensorAnomalies.ZScoreFlags(s.Standardised), (a, b) => a || b).ToArray(), s.Readings.IsAnomaly)));
detections.Add(combined);

// Summary.
Console.WriteLine();
Console.WriteLine("== summary");
Console.WriteLine($"(a) births, test 1987–1988, RMSE in births/day");
Console.WriteLine($"    {"seasonal naive (y[t] = y[t-7])",-32} {naive,8:F1}");
foreach (var m in models) Console.WriteLine($"    {"GRU " + Describe(m.Shape),-32} {m.TestRmse,8:F1}   ({Math.Abs(100 * (1 - m.TestRmse / naive)):F0}% {(m.TestRmse < naive ? "below" : "above")} naive)");
Console.WriteLine($"    beats seasonal-naive: {(beatsNaive ? "yes" : "no")}");
Console.WriteLine($"(b) sensor anomalies, all {motes.Sum(m => m.Length)} readings; error thresholds chosen per mote on its errors, no labels; " +
                  "the classifier's flags come from models trained on the other motes");
foreach (var d in detections) Console.WriteLine($"    {d}");
Console.WriteLine($"    GRU classifier or |z| > 3 beats every baseline's F1: {(baselines.All(b => combined.F1 > b.F1) ? "yes" : "no")}");
if (options.Quick)
    Console.WriteLine($"quick mode: tiny models and a few steps check that the whole path runs; they are not expected to beat the baselines " +
                      $"(seasonal naive {naive:F1} births/day; {baselines[0].Method}, F1 {baselines[0].F1:F3}); the full run is");
Console.WriteLine($"total time {clock.Elapsed.TotalSeconds:F0}s");

if (!options.Quick && !beatsNaive)
{
    Console.WriteLine("FAILED: a model did not beat the seasonal-naive forecast.");
    return 1;
}
return 0;

static string Describe(ForecastShape shape) => shape == ForecastShape.ManyToOne ? "many-to-one" : "sequence-to-sequence";

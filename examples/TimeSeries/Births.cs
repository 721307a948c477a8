namespace TimeSeries;

/// <summary>
/// Daily US births 1969–1988 (examples/data/us-births-1969-1988.csv), normalised as log(births) minus the training
/// mean, over the training standard deviation, with the calendar features of each day.
/// </summary>
internal sealed class Births
{
    /// <summary>
    /// Inputs per step: the day's normalised value, then the next day's calendar, which is known in advance: weekday and
    /// day of year as sin/cos pairs, and whether it is a US federal holiday.
    /// </summary>
    public const int Features = 6;

    public Births(int lastTrainYear)
    {
        var rows = DataFiles.Rows("us-births-1969-1988.csv")
            .Select(r => (Date: new DateOnly(int.Parse(r[0]), int.Parse(r[1]), int.Parse(r[2])), Weekday: int.Parse(r[3]), Count: int.Parse(r[4])))
            .ToArray();
        Dates = rows.Select(r => r.Date).ToArray();
        Weekdays = rows.Select(r => r.Weekday).ToArray();   // 1 = Monday … 7 = Sunday
        Counts = rows.Select(r => (double)r.Count).ToArray();
        TrainEnd = Array.FindIndex(Dates, d => d.Year > lastTrainYear);
        var logs = Counts.Select(c => Math.Log(c)).ToArray();
        Mean = logs.Take(TrainEnd).Average();
        StandardDeviation = Math.Sqrt(logs.Take(TrainEnd).Select(v => (v - Mean) * (v - Mean)).Average());
        Normalised = logs.Select(v => (float)((v - Mean) / StandardDeviation)).ToArray();
    }

    public DateOnly[] Dates { get; }
    public int[] Weekdays { get; }
    public double[] Counts { get; }
    public float[] Normalised { get; }
    public double Mean { get; }
    public double StandardDeviation { get; }

    /// <summary>Index of the first day after the training years.</summary>
    public int TrainEnd { get; }

    public int Length => Counts.Length;

    /// <summary>The first day index of <paramref name="year"/>.</summary>
    public int FirstDayOf(int year) => Array.FindIndex(Dates, d => d.Year >= year);

    /// <summary>Births per day from a normalised value.</summary>
    public double ToCount(double normalised) => Math.Exp(normalised * StandardDeviation + Mean);

    /// <summary>
    /// The input features of day <paramref name="day"/> (as a step whose output predicts day + 1) into
    /// <paramref name="destination"/>: its normalised value, and the calendar of day + 1, which is known in advance.
    /// </summary>
    public void WriteFeatures(int day, Span<float> destination)
    {
        var next = Dates[day].AddDays(1);
        double weekday = 2 * Math.PI * ((int)next.DayOfWeek) / 7;
        double season = 2 * Math.PI * (next.DayOfYear - 1) / 365.25;
        destination[0] = Normalised[day];
        destination[1] = (float)Math.Sin(weekday);
        destination[2] = (float)Math.Cos(weekday);
        destination[3] = (float)Math.Sin(season);
        destination[4] = (float)Math.Cos(season);
        destination[5] = IsHoliday(next) ? 1f : 0f;
    }

    /// <summary>
    /// The US federal holidays of the period that fall on fixed rules: New Year's Day, Memorial Day (last Monday of May),
    /// Independence Day, Labor Day (first Monday of September), Thanksgiving (fourth Thursday of November) and Christmas.
    /// Births drop sharply on them (fewer scheduled inductions and caesareans), which no weekly pattern explains.
    /// </summary>
    public static bool IsHoliday(DateOnly date) => (date.Month, date.Day) switch
    {
        (1, 1) or (7, 4) or (12, 25) => true,
        (5, > 24) => date.DayOfWeek == DayOfWeek.Monday,
        (9, <= 7) => date.DayOfWeek == DayOfWeek.Monday,
        (11, >= 22 and <= 28) => date.DayOfWeek == DayOfWeek.Thursday,
        _ => false,
    };
}

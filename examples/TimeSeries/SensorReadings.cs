namespace TimeSeries;

/// <summary>
/// One mote's readings from examples/data/sensor-network-single-hop.csv (Suthaharan et al., ISSNIP 2010), in reading
/// order: humidity and temperature, and the anomaly label (used only to score the detectors, never to train them).
/// </summary>
internal sealed record SensorReadings(int Mote, bool Indoor, double[] Humidity, double[] Temperature, bool[] IsAnomaly)
{
    public int Length => Humidity.Length;

    public static SensorReadings[] Load() => DataFiles.Rows("sensor-network-single-hop.csv")
        .Select(r => (Reading: int.Parse(r[0]), Mote: int.Parse(r[1]), Indoor: r[2] == "1",
            Humidity: double.Parse(r[3], System.Globalization.CultureInfo.InvariantCulture),
            Temperature: double.Parse(r[4], System.Globalization.CultureInfo.InvariantCulture), Label: r[5] == "1"))
        .GroupBy(r => r.Mote)
        .OrderBy(g => g.Key)
        .Select(g =>
        {
            var rows = g.OrderBy(r => r.Reading).ToArray();
            return new SensorReadings(g.Key, rows[0].Indoor, rows.Select(r => r.Humidity).ToArray(),
                rows.Select(r => r.Temperature).ToArray(), rows.Select(r => r.Label).ToArray());
        })
        .ToArray();
}

namespace TimeSeries;

/// <summary>How one detector's flags compare with the labels, over all motes.</summary>
internal sealed record Detection(string Method, int Flagged, int TruePositives, int Anomalies)
{
    public double Precision => Flagged == 0 ? 0 : (double)TruePositives / Flagged;
    public double Recall => Anomalies == 0 ? 0 : (double)TruePositives / Anomalies;
    public double F1 => Precision + Recall == 0 ? 0 : 2 * Precision * Recall / (Precision + Recall);

    public static Detection Score(string method, IEnumerable<(bool[] Flags, bool[] Labels)> motes)
    {
        int flagged = 0, truePositives = 0, anomalies = 0;
        foreach (var (flags, labels) in motes)
            for (int i = 0; i < labels.Length; i++)
            {
                if (flags[i]) flagged++;
                if (labels[i]) anomalies++;
                if (flags[i] && labels[i]) truePositives++;
            }
        return new Detection(method, flagged, truePositives, anomalies);
    }

    public override string ToString() =>
        $"{Method,-50} flagged {Flagged,4}  true {TruePositives,3}/{Anomalies}  precision {Precision,5:P1}  recall {Recall,5:P1}  F1 {F1:F3}";
}

namespace TextClassification;

/// <summary>How one model's decisions (spam when its log-odds are positive) compare with the labels.</summary>
internal sealed record Scores(int Count, int Correct, int TruePositives, int PredictedSpam, int Spam, int HardHam, int HardHamCorrect)
{
    public double Accuracy => (double)Correct / Count;
    public double Precision => PredictedSpam == 0 ? 0 : (double)TruePositives / PredictedSpam;
    public double Recall => Spam == 0 ? 0 : (double)TruePositives / Spam;
    /// <summary>F1 with spam as the positive class.</summary>
    public double F1 => Precision + Recall == 0 ? 0 : 2 * Precision * Recall / (Precision + Recall);
    public double HardHamAccuracy => HardHam == 0 ? double.NaN : (double)HardHamCorrect / HardHam;

    public static Scores Of(Message[] messages, double[] logOdds)
    {
        int correct = 0, truePositives = 0, predictedSpam = 0, spam = 0, hardHam = 0, hardHamCorrect = 0;
        for (int i = 0; i < messages.Length; i++)
        {
            bool predicted = logOdds[i] > 0, actual = messages[i].IsSpam;
            if (predicted == actual) correct++;
            if (predicted) predictedSpam++;
            if (actual) spam++;
            if (predicted && actual) truePositives++;
            if (messages[i].IsHardHam)
            {
                hardHam++;
                if (!predicted) hardHamCorrect++;
            }
        }
        return new Scores(messages.Length, correct, truePositives, predictedSpam, spam, hardHam, hardHamCorrect);
    }

    public override string ToString() =>
        $"accuracy {Accuracy,6:P2} ({Correct}/{Count})  F1 {F1:F3} (precision {Precision:P1}, recall {Recall:P1})  hard ham {HardHamAccuracy,6:P1} ({HardHamCorrect}/{HardHam})";
}

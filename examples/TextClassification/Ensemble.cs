using Autograd.Rnn;

namespace TextClassification;

/// <summary>
/// Several trained copies of one model (different seeds) voting by their mean spam probability: each member's
/// log-odds go through σ, the probabilities are averaged, and the mean goes back to log-odds so that <see cref="Scores"/>
/// reads it like a single model's (spam when positive). One member is just that model.
/// </summary>
internal static class Ensemble
{
    public static double[] LogOdds(IClassifier model, IEnumerable<Params<float>> members, Message[] messages)
    {
        var sum = new double[messages.Length];
        int count = 0;
        foreach (var parameters in members)
        {
            var odds = Trainer.LogOdds(model, parameters, messages);
            for (int i = 0; i < odds.Length; i++) sum[i] += 1 / (1 + Math.Exp(-odds[i]));
            count++;
        }
        // Clamped away from 0 and 1 so that unanimous, saturated members give large finite log-odds, not ±∞.
        return sum.Select(s => Math.Clamp(s / count, 1e-12, 1 - 1e-12)).Select(p => Math.Log(p / (1 - p))).ToArray();
    }
}

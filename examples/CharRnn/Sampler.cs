using Autograd.Rnn;

namespace CharRnn;

/// <summary>Generates text one character at a time, feeding each sampled character back in (one-to-many).</summary>
sealed class Sampler(Model model, Params<float> parameters, Corpus corpus)
{
    public string Sample(string prompt, int length, double temperature, ulong seed)
    {
        var text = new System.Text.StringBuilder(prompt);
        var random = Tensor.RandomUniform<double>([length], seed + 17).ToArray();
        var states = model.ZeroStates(1);
        var tokens = corpus.Encode(prompt);
        // Read the prompt, then continue from its last character.
        var (logits, final) = model.Forward(parameters, tokens, tokens.Length, 1, states);
        states = final;
        var last = Tensor.Narrow(logits, 0, tokens.Length - 1, 1).Reshape(-1);
        for (int i = 0; i < length; i++)
        {
            int next = Generation.Choose(last, temperature, random[i]);
            text.Append(corpus.Vocabulary[next]);
            (logits, final) = model.Forward(parameters, [next], 1, 1, states);
            states = final;
            last = logits.Reshape(-1);
        }
        return text.ToString();
    }
}

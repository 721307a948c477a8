using Autograd.Rnn;

namespace CharRnn;

/// <summary>
/// Generates text one character at a time, feeding each sampled character back in (one-to-many).
///
/// Training carries the state from chunk to chunk and never restarts it, so the model has only ever read text from a
/// state shaped by the characters before; a zero state is foreign to it, and sampling straight from zeros gives a
/// couple of hundred characters of noise before the text settles. So the sampler first reads a real passage (the
/// prompt, held-out text the model was not trained on) and generates from the state that leaves: text from the first
/// generated character.
/// </summary>
sealed class Sampler(Model model, Params<float> parameters, Corpus corpus)
{
    public string Sample(string prompt, int length, double temperature, ulong seed)
    {
        var text = new System.Text.StringBuilder();
        var random = Tensor.RandomUniform<double>([length], seed + 17).ToArray();
        var tokens = corpus.Encode(prompt);
        // Read the prompt, then continue from its last character.
        var (logits, states) = model.Forward(parameters, tokens, tokens.Length, 1, model.ZeroStates(1));
        var last = Tensor.Narrow(logits, 0, tokens.Length - 1, 1).Reshape(-1);
        for (int i = 0; i < length; i++)
        {
            int next = Generation.Choose(last, temperature, random[i]);
            text.Append(corpus.Vocabulary[next]);
            (logits, states) = model.Forward(parameters, [next], 1, 1, states);
            last = logits.Reshape(-1);
        }
        return text.ToString();
    }

    /// <summary>
    /// About <paramref name="characters"/> characters of held-out text to warm the state up on: from the start of the
    /// held-out chapters, ending after the first sentence end past that length (so the sample starts a sentence).
    /// </summary>
    public static string Prompt(string heldOut, int characters)
    {
        int end = heldOut.IndexOf(". ", Math.Min(characters, heldOut.Length - 1), StringComparison.Ordinal);
        return end < 0 ? heldOut[..Math.Min(characters, heldOut.Length)] : heldOut[..(end + 2)];
    }
}

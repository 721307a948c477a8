using Autograd.Rnn;

namespace TextClassification;

/// <summary>
/// Wide and deep (Cheng et al., 2016): the recurrent model's logits plus a bag-of-words logistic regression's, trained
/// together as one model. The deep part reads the text in order with the bidirectional GRU; the wide part gives every
/// vocabulary word a direct weight, so the GRU need only learn what a bag of words cannot see. Parameters: the
/// recurrent model's, and the bag of words' under <c>wide.</c>.
/// </summary>
internal sealed class WideAndDeep(BagOfWords wide, RecurrentClassifier deep) : IClassifier
{
    public Params<float> Initialize(ulong seed) => deep.Initialize(seed).Concat(wide.Initialize(seed + 100).WithPrefix("wide."));

    public Tensor<float> Logits(Params<float> parameters, Message[] messages, ulong? dropoutSeed = null) =>
        deep.Logits(parameters, messages, dropoutSeed) + wide.Logits(parameters.Select("wide."), messages);
}

namespace Autograd.Rnn;

/// <summary>
/// One tensor as a checkpoint's header describes it, before its values are read.
/// </summary>
/// <param name="Name">The tensor's name (a <c>state_dict</c> key such as <c>weight_ih_l0</c>).</param>
/// <param name="Dtype">The safetensors element type: <c>"F32"</c> or <c>"F64"</c> (the only ones this library reads).</param>
/// <param name="Shape">The dimensions.</param>
/// <param name="Begin">The first byte of the values, counted from the start of the data buffer (after the header).</param>
/// <param name="End">One past the last byte of the values.</param>
public sealed record CheckpointEntry(string Name, string Dtype, Shape Shape, long Begin, long End);

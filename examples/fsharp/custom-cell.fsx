// A new recurrent cell written in F#: the minimal gated unit of Zhou, Wu, Zhang and Zhou (2016), a GRU with one
// gate. It is a plain function (parameters, h, x) -> h'; the library unrolls it, differentiates it, and checks it.
// The script checks the cell's gradient, then trains it for a few steps on a toy task and prints a falling loss.
// The cell is written once, generic, with the F# companion's `scalar` for the 1 in its equation (Autograd.Rnn.FSharp:
// a literal such as 1.0 would pin it to float), and serves double for the check and float32 for training.
//
//   dotnet build src/Autograd.Rnn.FSharp -c Release      (builds the library too)
//   dotnet fsi examples/fsharp/custom-cell.fsx

#r "nuget: System.Numerics.Tensors, 10.0.0"
#r "../../src/Autograd.Rnn/bin/Release/net10.0/Autograd.Rnn.dll"
#r "../../src/Autograd.Rnn.FSharp/bin/Release/net10.0/Autograd.Rnn.FSharp.dll"

open Autograd.Rnn
open Autograd.Rnn.FSharp

/// f = σ(x·W_fᵀ + h·U_fᵀ + b_f);  h̃ = tanh(x·W_hᵀ + (f ⊙ h)·U_hᵀ + b_h);  h' = (1 − f) ⊙ h + f ⊙ h̃
let minimalGatedUnit (p: Params<'T>) h x =
    let f = Tensor.Sigmoid(Tensor.MatMulTransposeB(x, p.["w_f"]) + Tensor.MatMulTransposeB(h, p.["u_f"]) + p.["b_f"])
    let candidate = tanh (Tensor.MatMulTransposeB(x, p.["w_h"]) + Tensor.MatMulTransposeB(f * h, p.["u_h"]) + p.["b_h"])
    (scalar 1 - f) * h + f * candidate

let initialize inputSize hiddenSize seed : Params<'T> =
    Params.Create [ "w_f", Init.PyTorchDefault([ hiddenSize; inputSize ], hiddenSize, seed)
                    "u_f", Init.Orthogonal(hiddenSize, hiddenSize, seed + 1UL)
                    "b_f", Tensor.Ones hiddenSize // start with the gate mostly open
                    "w_h", Init.PyTorchDefault([ hiddenSize; inputSize ], hiddenSize, seed + 2UL)
                    "u_h", Init.Orthogonal(hiddenSize, hiddenSize, seed + 3UL)
                    "b_h", Tensor.Zeros hiddenSize ]

let cell () =
    Cell.FromFunction("minimal gated unit", (fun p h x -> minimalGatedUnit p h x), (fun i h s -> initialize i h s))

// 1. The gradient, through a bidirectional layer over a padded batch, against finite differences (double).
let checkLayer = RecurrentLayer<float>(cell (), 2, 3, RecurrentLayerOptions(Bidirectional = true))
let checkParameters = checkLayer.Initialize(7UL).Add("input", Tensor.RandomNormal([ 4; 3; 2 ], 8UL))
let check = GradCheck.Run(checkParameters, fun p -> checkLayer.Apply(p, p.["input"], [| 4; 1; 3 |]).Output)
printfn "gradient check of a bidirectional minimal gated unit over a padded batch: %O" check
if not check.Passed then exit 1

// 2. Training in float32: read 10 numbers, predict their mean (many-to-one), by plain gradient descent.
let steps, batch, hidden = 10, 16, 6
let layer = RecurrentLayer<float32>(cell (), 1, hidden)
let inputs = Tensor.RandomUniform<float32>([ steps; batch; 1 ], 11UL, -1.0, 1.0)
let targets = inputs.Mean(0)
let readout = Linear.Init<float32>(hidden, 1, 13UL)
let mutable parameters = layer.Initialize(12UL).Concat(readout.WithPrefix("readout."))

let loss (p: Params<float32>) =
    Loss.Mse(Linear.Apply(p.Select "readout.", layer.Apply(p, inputs).LastLayerHidden), targets)

let losses =
    [ for step in 0 .. 40 do
        let result = parameters |> valueAndGrad loss
        parameters <- parameters.Zip(result.Gradients, fun w g -> w - 0.3f * g)
        if step % 10 = 0 then printfn "step %2d  loss %.5f" step result.Value.Item
        yield result.Value.Item ]

printfn "loss fell from %.5f to %.5f" (List.head losses) (List.last losses)
if List.last losses >= List.head losses / 2.0f then exit 1

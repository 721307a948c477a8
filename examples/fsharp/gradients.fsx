// The gradient of a one-layer tanh network's loss, taken and checked from F#.
//
//   dotnet build src/Autograd.Rnn -c Release
//   dotnet fsi examples/fsharp/gradients.fsx
//
// Exits with code 1 when the gradient check fails.

#r "nuget: System.Numerics.Tensors, 10.0.0" // the library's one dependency: a class library's build output does not include it
#r "../../src/Autograd.Rnn/bin/Release/net10.0/Autograd.Rnn.dll"

open Autograd.Rnn

// Four points in the plane and a target for each (the sign of x0·x1, softened).
let inputs = Tensor.FromArray(array2D [ [ 0.5; 1.0 ]; [ -1.0; 0.5 ]; [ 1.5; -0.5 ]; [ -0.5; -1.5 ] ])
let targets = Tensor.FromArray(array2D [ [ 0.5 ]; [ -0.5 ]; [ -0.7 ]; [ 0.7 ] ])

// hidden = tanh(inputs · w + b) [4, 3]; prediction = hidden · v [4, 1].
let parameters =
    Params.Create [ "w", Tensor.RandomNormal<float>([| 2; 3 |], seed = 1UL, standardDeviation = 0.5)
                    "b", Tensor.Zeros 3
                    "v", Tensor.RandomNormal<float>([| 3; 1 |], seed = 2UL, standardDeviation = 0.5) ]

/// Mean squared error of the network's predictions.
let loss (p: Params<float>) =
    let hidden = tanh (inputs.MatMul p.["w"] + p.["b"])
    let error = hidden.MatMul p.["v"] - targets
    (error * error).Mean()

let result = Grad.ValueAndGrad(parameters, loss)
printfn "loss: %.6f" result.Value.Item
for KeyValue(name, gradient) in result.Gradients do
    printfn "d loss / d %s: %O" name gradient

let check = GradCheck.Run(parameters, loss)
printfn "gradient check: %O" check
if not check.Passed then exit 1

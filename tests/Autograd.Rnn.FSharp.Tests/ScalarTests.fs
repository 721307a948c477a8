/// `scalar` from Autograd.Rnn.FSharp: a number that takes the element type of the tensor it meets, so that a cell written
/// with literals stays generic and serves float (gradient checks) and float32 (training) with no annotation beyond its
/// parameters.
module Autograd.Rnn.FSharp.Tests.ScalarTests

open Xunit
open Autograd.Rnn
open Autograd.Rnn.FSharp

/// The cell of DESIGN.md's example ("What using it should feel like"), written there for float32 with `1f - z`; here
/// once, generic, with `scalar 1 - z`:
/// z = σ(x·W_z + h·U_z + b_z);  c = tanh(x·W_c + (z ⊙ h)·U_c);  h' = (1 − z) ⊙ h + z ⊙ c.
let myCell (p: Params<'T>) (h: Tensor<'T>) (x: Tensor<'T>) =
    let z = Tensor.Sigmoid(x.MatMul p.["w_z"] + h.MatMul p.["u_z"] + p.["b_z"])
    let c = tanh (x.MatMul p.["w_c"] + (z * h).MatMul p.["u_c"])
    (scalar 1 - z) * h + z * c

/// The same cell's parameters at any element type (inputs 3, hidden 5).
let cellParameters seed : Params<'T> =
    Params.Create [ "w_z", Tensor.RandomNormal<'T>([ 3; 5 ], seed, standardDeviation = 0.5)
                    "u_z", Tensor.RandomNormal<'T>([ 5; 5 ], seed + 1UL, standardDeviation = 0.5)
                    "b_z", Tensor.Zeros<'T> 5
                    "w_c", Tensor.RandomNormal<'T>([ 3; 5 ], seed + 2UL, standardDeviation = 0.5)
                    "u_c", Tensor.RandomNormal<'T>([ 5; 5 ], seed + 3UL, standardDeviation = 0.5) ]

/// Mean output of the cell unrolled over xs [time, batch, 3] from zeros.
let loss (xs: Tensor<'T>) (p: Params<'T>) =
    Recurrence.Scan(myCell, p, Tensor.Zeros<'T>(xs.Shape.[1], 5), xs).Outputs.Mean()

type ``One cell for float and float32`` () =

    [<Fact>]
    member _.``The generic cell's gradient matches finite differences in double`` () =
        let xs = Tensor.RandomNormal<float>([ 6; 2; 3 ], 9UL)
        let result = GradCheck.Run(cellParameters 1UL, loss xs)
        Assert.True(result.Passed, string result)

    [<Fact>]
    member _.``The same cell in float32 agrees with double to float32 precision`` () =
        let xs64 = Tensor.RandomNormal<float>([ 6; 2; 3 ], 9UL)
        let xs32 = Tensor.RandomNormal<float32>([ 6; 2; 3 ], 9UL)
        let r64 = cellParameters 1UL |> valueAndGrad (loss xs64)
        let r32 = cellParameters 1UL |> valueAndGrad (loss xs32)
        Assert.Equal(r64.Value.Item, float r32.Value.Item, 5)
        for name in r64.Gradients.Names do
            let a = r64.Gradients.[name].ToArray()
            let b = r32.Gradients.[name].ToArray() |> Array.map float
            Assert.True(Array.forall2 (fun a b -> abs (a - b) < 1e-5) a b, name)

    [<Fact>]
    member _.``scalar takes the tensor's element type on either side of + - * /`` () =
        // Compared with 0-d tensors, which broadcast: a generic 'T value cannot meet a Tensor<'T> through F#'s operators
        // (F# resolves `two * x` with 'T's own IMultiplyOperators and fails), which is why scalar exists.
        let check (x: Tensor<'T>) (two: Tensor<'T>) (half: Tensor<'T>) =
            Assert.True((scalar 2 * x).AllClose(two * x))
            Assert.True((x * scalar 2).AllClose(x * two))
            Assert.True((scalar 0.5 + x).AllClose(half + x))
            Assert.True((x + scalar 0.5).AllClose(x + half))
            Assert.True((scalar 2 - x).AllClose(two - x))
            Assert.True((x - scalar 0.5).AllClose(x - half))
            Assert.True((scalar 2 / x).AllClose(two / x))
            Assert.True((x / scalar 2).AllClose(x / two))
        check (Tensor.FromArray [| 0.5; -1.0; 4.0 |]) (Tensor.Scalar 2.0) (Tensor.Scalar 0.5)
        check (Tensor.FromArray [| 0.5f; -1.0f; 4.0f |]) (Tensor.Scalar 2.0f) (Tensor.Scalar 0.5f)

    [<Fact>]
    member _.``scalar takes any F# number and rounds it to the tensor's precision`` () =
        let x = Tensor.Ones<float32> 1
        Assert.Equal(0.1f, (scalar 0.1 * x).Item)
        Assert.Equal(3.0f, (scalar 3 * x).Item)
        Assert.Equal(0.25, (scalar 0.25f * Tensor.Ones<float> 1).Item)

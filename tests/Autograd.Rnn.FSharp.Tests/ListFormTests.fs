/// List forms from Autograd.Rnn.FSharp: shapes and tensors to join written as F# lists call the array forms.
module Autograd.Rnn.FSharp.Tests.ListFormTests

open Xunit
open Autograd.Rnn
open Autograd.Rnn.FSharp

let private same (a: Tensor<'T>) (b: Tensor<'T>) =
    Assert.Equal(a.Shape, b.Shape)
    Assert.Equal<'T[]>(a.ToArray(), b.ToArray())

type ``Lists where the library takes arrays`` () =

    [<Fact>]
    member _.``A shape as a list gives the array form's tensor, optional arguments included`` () =
        same (Tensor.RandomNormal<float>([| 2; 3 |], 5UL, 1.0, 0.5)) (Tensor.RandomNormal<float>([ 2; 3 ], 5UL, mean = 1.0, standardDeviation = 0.5))
        same (Tensor.RandomNormal<float32>([| 4 |], 5UL)) (Tensor.RandomNormal<float32>([ 4 ], 5UL))
        same (Tensor.RandomUniform<float>([| 3; 2 |], 6UL, -1.0, 1.0)) (Tensor.RandomUniform<float>([ 3; 2 ], 6UL, low = -1.0, high = 1.0))
        same (Init.PyTorchDefault<float>([| 4; 3 |], 4, 7UL)) (Init.PyTorchDefault<float>([ 4; 3 ], 4, 7UL))
        same (Init.Uniform<float32>([| 2; 2 |], 0.1, 8UL)) (Init.Uniform<float32>([ 2; 2 ], 0.1, 8UL))

    [<Fact>]
    member _.``Tensors to join as a list: Concat along an existing axis, Stack along a new one`` () =
        let a = Tensor.FromArray(array2D [ [ 1.0; 2.0 ] ])
        let b = Tensor.FromArray(array2D [ [ 3.0; 4.0 ] ])
        same (Tensor.Concat([| a; b |], 1)) (Tensor.Concat([ a; b ], 1))
        same (Tensor.Concat([| a; b |])) (Tensor.Concat [ a; b ])
        same (Tensor.Stack([| a; b |], 1)) (Tensor.Stack([ a; b ], axis = 1))

    [<Fact>]
    member _.``Errors are the array form's`` () =
        let ex = Assert.ThrowsAny<System.ArgumentException>(fun () -> Tensor.Concat(List.empty<Tensor<float>>) |> ignore)
        let expected = Assert.ThrowsAny<System.ArgumentException>(fun () -> Tensor.Concat(Array.empty<Tensor<float>>) |> ignore)
        Assert.Equal(expected.Message, ex.Message)

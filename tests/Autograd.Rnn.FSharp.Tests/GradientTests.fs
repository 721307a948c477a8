/// The public API called exactly as an F# user writes it: F#'s own operators and functions, no wrappers, no casts.
module Autograd.Rnn.FSharp.Tests.GradientTests

open Xunit
open Xunit.Abstractions
open Autograd.Rnn

let private close (expected: Tensor<'T>) (actual: Tensor<'T>) =
    Assert.True(actual.AllClose(expected, 1e-5, 1e-6), sprintf "expected %O, got %O" expected actual)

/// A one-layer tanh network's mean squared error: the model every test below differentiates.
let loss (x: Tensor<float32>) (y: Tensor<float32>) (p: Params<float32>) =
    let h = tanh (x.MatMul p.["w"] + p.["b"])
    let error = h.MatMul p.["v"] - y
    (error * error).Mean()

let x32 = Tensor.FromArray([| 0.5f; -1.0f; 1.5f; 2.0f; 0.0f; -0.5f |], 3, 2)
let y32 = Tensor.FromArray([| 1.0f; -1.0f; 0.5f |], 3, 1)

let parameters =
    Params.Create [ "w", Tensor.FromArray([| 0.1f; -0.2f; 0.3f; 0.4f; 0.5f; -0.6f |], 2, 3)
                    "b", Tensor.Zeros 3
                    "v", Tensor.FromArray([| 1.0f; -1.0f; 0.5f |], 3, 1) ]

type ``Operators and math functions`` () =

    [<Fact>]
    member _.``F# tanh, exp and log apply elementwise to float32 and float tensors`` () =
        let a = Tensor.FromArray [| 0.5f; 1.0f; 2.0f |]
        close (Tensor.FromArray [| tanh 0.5f; tanh 1.0f; tanh 2.0f |]) (tanh a)
        close (Tensor.FromArray [| exp 0.5f; exp 1.0f; exp 2.0f |]) (exp a)
        close (Tensor.FromArray [| log 0.5f; log 1.0f; log 2.0f |]) (log a)
        let d = Tensor.FromArray [| 0.5; 1.0; 2.0 |]
        close (Tensor.FromArray [| tanh 0.5; tanh 1.0; tanh 2.0 |]) (tanh d)
        close (Tensor.FromArray [| exp 0.5; exp 1.0; exp 2.0 |]) (exp d)
        close (Tensor.FromArray [| log 0.5; log 1.0; log 2.0 |]) (log d)

    [<Fact>]
    member _.``F# sqrt, abs and the power operator apply elementwise`` () =
        let a = Tensor.FromArray [| 0.25; -4.0; 9.0 |]
        close (Tensor.FromArray [| 0.25; 4.0; 9.0 |]) (abs a)
        close (Tensor.FromArray [| 0.5; 2.0; 3.0 |]) (sqrt (abs a))
        close (Tensor.FromArray [| 0.0625; 16.0; 81.0 |]) (a ** 2.0)
        let f = Tensor.FromArray [| 4.0f; 9.0f |]
        close (Tensor.FromArray [| 2.0f; 3.0f |]) (sqrt f)
        close (Tensor.FromArray [| 8.0f; 27.0f |]) (f ** 1.5f)

    [<Fact>]
    member _.``Scalars combine with tensors on either side of every operator`` () =
        let z = Tensor.FromArray [| 1.0; 2.0; 4.0 |]
        close (Tensor.FromArray [| 2.0; 4.0; 8.0 |]) (2.0 * z)
        close (Tensor.FromArray [| 2.0; 4.0; 8.0 |]) (z * 2.0)
        close (Tensor.FromArray [| 0.0; -1.0; -3.0 |]) (1.0 - z)
        close (Tensor.FromArray [| 0.0; 1.0; 3.0 |]) (z - 1.0)
        close (Tensor.FromArray [| 2.0; 3.0; 5.0 |]) (1.0 + z)
        close (Tensor.FromArray [| 2.0; 3.0; 5.0 |]) (z + 1.0)
        close (Tensor.FromArray [| 4.0; 2.0; 1.0 |]) (4.0 / z)
        close (Tensor.FromArray [| 0.5; 1.0; 2.0 |]) (z / 2.0)
        close (Tensor.FromArray [| -1.0; -2.0; -4.0 |]) (-z)
        let f = Tensor.FromArray [| 1.0f; 2.0f |]
        close (Tensor.FromArray [| 2.0f; 4.0f |]) (2.0f * f)
        close (Tensor.FromArray [| 0.0f; -1.0f |]) (1.0f - f)

    [<Fact>]
    member _.``Tensor.Sum, the Sum method and the Mean method agree`` () =
        let z = Tensor.FromArray([| 1.0; 2.0; 3.0; 4.0 |], 2, 2)
        Assert.Equal(10.0, (Tensor.Sum z).Item)
        Assert.Equal(10.0, z.Sum().Item)
        Assert.Equal(2.5, z.Mean().Item)
        close (Tensor.FromArray [| 4.0; 6.0 |]) (Tensor.Sum(z, 0))
        close (Tensor.FromArray([| 3.0; 7.0 |], 2, 1)) (z.Sum(1, keepDimension = true))

    [<Fact>]
    member _.``Elements are read with the indexer and MatMul is a method`` () =
        let a = Tensor.FromArray(array2D [ [ 1.0f; 2.0f ]; [ 3.0f; 4.0f ] ])
        Assert.Equal(2.0f, a.[0, 1])
        Assert.Equal(3.0f, a[1, 0])
        close (Tensor.FromArray(array2D [ [ 7.0f; 10.0f ]; [ 15.0f; 22.0f ] ])) (a.MatMul a)
        Assert.Equal<float32[,]>(array2D [ [ 1.0f; 2.0f ]; [ 3.0f; 4.0f ] ], a.ToArray2D())

    [<Fact>]
    member _.``Static functions are reachable through Tensor and optional arguments are named`` () =
        let a = Tensor.RandomNormal<float>([| 2; 3 |], 7UL, standardDeviation = 0.1)
        close (tanh a) (Tensor.Tanh a)
        close (exp a) (Tensor.Exp a)
        Assert.Equal(a.Shape, (Tensor.RandomUniform<float>([| 2; 3 |], 7UL, low = -1.0, high = 1.0)).Shape)

type ``Params`` () =

    [<Fact>]
    member _.``Params.Create takes an F# list of tuples and keeps its order`` () =
        Assert.Equal<string list>([ "w"; "b"; "v" ], List.ofSeq parameters.Names)
        Assert.Equal(3, parameters.["b"].Size)
        let names = [ for KeyValue(name, tensor) in parameters -> sprintf "%s%O" name tensor.Shape ]
        Assert.Equal<string list>([ "w[2,3]"; "b[3]"; "v[3,1]" ], names)

    [<Fact>]
    member _.``Map and Zip take F# lambdas`` () =
        let doubled = parameters.Map(fun t -> 2.0f * t)
        let summed = parameters.Zip(parameters, fun a b -> a + b)
        close doubled.["w"] summed.["w"]
        let renamed = parameters.Map(fun name t -> if name = "b" then t + 1.0f else t)
        close (Tensor.Ones 3) renamed.["b"]

type ``Gradients`` (output: ITestOutputHelper) =

    [<Fact>]
    member _.``ValueAndGrad with the parameters first infers the lambda's parameter type`` () =
        let r = Grad.ValueAndGrad(parameters, fun p -> loss x32 y32 p)
        let direct = Grad.ValueAndGrad(parameters, fun p ->
            let h = tanh (x32.MatMul p.["w"] + p.["b"])
            let error = h.MatMul p.["v"] - y32
            (error * error).Mean())
        Assert.Equal((loss x32 y32 parameters).Item, r.Value.Item)
        Assert.Equal(r.Value.Item, direct.Value.Item)
        for name in parameters.Names do
            close r.Gradients.[name] direct.Gradients.[name]
            Assert.Equal(parameters.[name].Shape, r.Gradients.[name].Shape)

    [<Fact>]
    member _.``ValueAndGrad with the function first works when the function's type is known`` () =
        // As in DESIGN.md: a typed, let-bound function needs no annotation in the lambda.
        let r = Grad.ValueAndGrad((fun p -> loss x32 y32 p), parameters)
        // A let-bound function can be passed directly as the Func<> argument.
        let s = Grad.ValueAndGrad(loss x32 y32, parameters)
        // With an inline lambda that reads members of p, p needs an annotation (see the README's F# section).
        let t = Grad.ValueAndGrad((fun (p: Params<float32>) -> (p.["w"] * p.["w"]).Sum()), parameters)
        Assert.Equal(r.Value.Item, s.Value.Item)
        close r.Gradients.["v"] s.Gradients.["v"]
        close (2.0f * parameters.["w"]) t.Gradients.["w"]

    [<Fact>]
    member _.``The gradient of b in a tanh layer is the hand-derived one`` () =
        // d/db sum(tanh(x w + b)) = sum over rows of (1 - tanh²).
        let g = Grad.Gradient(parameters, fun p -> (tanh (x32.MatMul p.["w"] + p.["b"])).Sum())
        let h = tanh (x32.MatMul parameters.["w"] + parameters.["b"])
        close (Tensor.Sum(1.0f - h * h, 0)) g.["b"]

    [<Fact>]
    member _.``ValueAndGrad of one tensor, in either argument order`` () =
        let z = Tensor.FromArray [| 1.0; -2.0; 3.0 |]
        let r = Grad.ValueAndGrad(z, fun x -> (x * x).Sum())
        let s = Grad.ValueAndGrad((fun x -> Tensor.Sum(x * x)), z)
        Assert.Equal(14.0, r.Value.Item)
        close (2.0 * z) r.Gradient
        close r.Gradient s.Gradient
        close (exp z) (Grad.Gradient(z, fun x -> (exp x).Sum()))

    [<Fact>]
    member _.``Gradients flow through sqrt, abs and the power operator`` () =
        let z = Tensor.FromArray [| 0.5; -2.0; 3.0 |]
        // d/dx sum(|x|^3) = 3 x |x|; d/dx sum(sqrt |x|) = sign(x) / (2 sqrt |x|).
        close (3.0 * z * abs z) (Grad.Gradient(z, fun x -> (abs x ** 3.0).Sum()))
        close (z / (2.0 * abs z * sqrt (abs z))) (Grad.Gradient(z, fun x -> (sqrt (abs x)).Sum()))
        let check = GradCheck.Run(z, fun x -> (sqrt (abs x) + x ** 2.0).Sum())
        Assert.True(check.Passed, string check)

    [<Fact>]
    member _.``Vjp returns the output and the cotangent pulled back`` () =
        let z = Tensor.FromArray [| 0.5; -1.0 |]
        let c = Tensor.FromArray [| 2.0; 3.0 |]
        let r = Grad.Vjp((fun x -> tanh x), z, c)
        close (tanh z) r.Output
        close (c * (1.0 - tanh z * tanh z)) r.Cotangent

    [<Fact>]
    member _.``Nested gradients do not confuse perturbations`` () =
        // d/dx [x · d/dy (x·y)] = d/dx [x · x] = 2x; a tape that confused the levels would give x.
        let outer = Grad.Gradient(Tensor.Scalar 5.0, fun x -> x * Grad.Gradient(Tensor.Scalar 3.0, fun y -> x * y))
        Assert.Equal(10.0, outer.Item)
        let nestedFunctionFirst = Grad.Gradient((fun x -> x * Grad.Gradient((fun y -> x * y), Tensor.Scalar 3.0f)), Tensor.Scalar 5.0f)
        Assert.Equal(10.0f, nestedFunctionFirst.Item)

    [<Fact>]
    member _.``GradCheck passes the network in float32 and float and prints its verdict`` () =
        let check32 = GradCheck.Run(parameters, fun p -> loss x32 y32 p)
        output.WriteLine(sprintf "float32: %O" check32)
        Assert.True(check32.Passed, string check32)
        let x64 = Tensor.RandomNormal<float>([| 4; 3 |], 1UL)
        let p64 = Params.Create [ "w", Tensor.RandomNormal<float>([| 3; 2 |], 2UL); "b", Tensor.Zeros 2 ]
        let check64 = GradCheck.Run(p64, fun p -> (tanh (x64.MatMul p.["w"] + p.["b"])).Sum())
        output.WriteLine(sprintf "float: %O" check64)
        Assert.True(check64.Passed, string check64)
        Assert.StartsWith("passed: ", string check64)
        Assert.Equal(8, check64.Checked)

    [<Fact>]
    member _.``GradCheck takes options by name and in either argument order`` () =
        let z = Tensor.FromArray [| 0.3; 0.7 |]
        let a = GradCheck.Run(z, (fun x -> (log x * x).Sum()), options = GradCheckOptions.Default.WithStep 1e-5)
        let b = GradCheck.Run((fun x -> Tensor.Sum(log x * x)), z, GradCheckOptions.Default)
        Assert.True(a.Passed && b.Passed)
        let hessian = GradCheck.GradGradCheck(z, fun x -> (tanh x * x).Sum())
        Assert.True(hessian.Passed, string hessian)

type ``A custom cell`` (output: ITestOutputHelper) =

    // The cell from DESIGN.md's F# example, as written there.
    let myCell (p: Params<float32>) (h: Tensor<float32>) (x: Tensor<float32>) =
        let z = Tensor.Sigmoid(x.MatMul p.["w_z"] + h.MatMul p.["u_z"] + p.["b_z"])
        let c = tanh (x.MatMul p.["w_c"] + (z * h).MatMul p.["u_c"])
        (1.0f - z) * h + z * c

    [<Fact>]
    member _.``A cell written as an F# function unrolls over time and passes GradCheck`` () =
        let parameters =
            Params.Create [ "w_z", Tensor.RandomNormal<float32>([| 2; 3 |], 1UL, standardDeviation = 0.5)
                            "u_z", Tensor.RandomNormal<float32>([| 3; 3 |], 2UL, standardDeviation = 0.5)
                            "b_z", Tensor.Zeros 3
                            "w_c", Tensor.RandomNormal<float32>([| 2; 3 |], 3UL, standardDeviation = 0.5)
                            "u_c", Tensor.RandomNormal<float32>([| 3; 3 |], 4UL, standardDeviation = 0.5) ]
        let xs = [ for t in 0UL .. 3UL -> Tensor.RandomNormal<float32>([| 2; 2 |], 10UL + t) ]
        let loss p = (List.fold (myCell p) (Tensor.Zeros [| 2; 3 |]) xs).Sum()
        let r = Grad.ValueAndGrad((fun p -> loss p), parameters)
        let check = GradCheck.Run((fun p -> loss p), parameters)
        output.WriteLine(sprintf "loss %f, gradient check: %O" r.Value.Item check)
        Assert.True(check.Passed, string check)
        Assert.Equal(parameters.Count, r.Gradients.Count)

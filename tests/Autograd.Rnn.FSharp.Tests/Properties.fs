/// FsCheck properties written in F#: each name states the law.
module Autograd.Rnn.FSharp.Tests.Properties

open FsCheck.Xunit
open Autograd.Rnn
open Autograd.Rnn.FSharp.Tests.Generators

/// A one-layer tanh network with a softplus-smoothed squared error, written as an F# user would.
let networkLoss (x: Tensor<float>) (y: Tensor<float>) (p: Params<float>) =
    let h = tanh (x.MatMul p.["w"] + p.["b"])
    let error = h.MatMul p.["v"] - y
    let smooth = log (1.0 + exp (error * error)) // softplus of the squared error: exercises exp and log
    smooth.Mean() + 0.01 * (p.["w"] * p.["w"]).Sum()

[<Properties(Arbitrary = [| typeof<Arbitraries> |], MaxTest = 40)>]
module Laws =

    [<Property>]
    let ``Network gradient matches finite differences`` (problem: Problem) =
        let x, y, parameters = draw problem
        let result = GradCheck.Run(parameters, networkLoss x y)
        result.Passed |> FsCheck.FSharp.Prop.label (string result)

    [<Property>]
    let ``Network gradient has the shape of each parameter`` (problem: Problem) =
        let x, y, parameters = draw problem
        let r = Grad.ValueAndGrad(parameters, fun p -> networkLoss x y p)
        r.Value.Item = (networkLoss x y parameters).Item
        && Seq.forall (fun name -> r.Gradients.[name].Shape = parameters.[name].Shape) parameters.Names

    [<Property>]
    let ``Gradient of the sum of x times x is two x`` (problem: Problem) =
        let x = Tensor.RandomNormal<float>([| problem.Batch; problem.Inputs |], problem.Seed)
        Grad.Gradient(x, fun x -> (x * x).Sum()).AllClose(2.0 * x)

    [<Property>]
    let ``Gradient of the sum of x times x is two x in float32`` (problem: Problem) =
        let x = Tensor.RandomNormal<float32>([| problem.Batch; problem.Hidden |], problem.Seed)
        Grad.Gradient(x, fun x -> (x * x).Sum()).AllClose(2.0f * x)

    [<Property>]
    let ``Nested derivative of x times d by dy of x times y is two x`` (Small a) (Small b) =
        let outer = Grad.Gradient(Tensor.Scalar a, fun x -> x * Grad.Gradient(Tensor.Scalar b, fun y -> x * y))
        abs (outer.Item - 2.0 * a) < 1e-12

    [<Property>]
    let ``Vjp of tanh is the cotangent times one minus tanh squared`` (problem: Problem) =
        let x = Tensor.RandomNormal<float>([| problem.Batch; problem.Hidden |], problem.Seed)
        let c = Tensor.RandomNormal<float>([| problem.Batch; problem.Hidden |], problem.Seed + 1UL)
        let r = Grad.Vjp((fun x -> tanh x), x, c)
        r.Cotangent.AllClose(c * (1.0 - tanh x * tanh x), 1e-12, 1e-14)

    [<Property>]
    let ``Gradient is linear in the function`` (problem: Problem) (Small k) =
        let x, y, parameters = draw problem
        let f p = networkLoss x y p
        let g (p: Params<float>) = (tanh p.["b"]).Sum()
        let combined = Grad.Gradient(parameters, fun p -> f p + k * g p)
        let separate = (Grad.Gradient(parameters, f)).Zip(Grad.Gradient(parameters, g), fun a b -> a + k * b)
        Seq.forall (fun name -> combined.[name].AllClose(separate.[name], 1e-9, 1e-12)) parameters.Names

    [<Property>]
    let ``Float32 and float gradients agree to float32 rounding`` (problem: Problem) =
        let x, y, parameters = draw problem
        let narrow (t: Tensor<float>) = Tensor.FromArray(Array.map float32 (t.ToArray()), t.Shape.ToArray())
        let x32, y32 = narrow x, narrow y
        let p32 = parameters.Map(fun t -> t) |> Seq.map (fun (KeyValue(name, t)) -> name, narrow t) |> List.ofSeq |> Params.Create
        let loss32 (p: Params<float32>) =
            let h = tanh (x32.MatMul p.["w"] + p.["b"])
            let error = h.MatMul p.["v"] - y32
            log(1.0f + exp (error * error)).Mean() + 0.01f * (p.["w"] * p.["w"]).Sum()
        let g64 = Grad.Gradient(parameters, networkLoss x y)
        let g32 = Grad.Gradient(p32, loss32)
        Seq.forall (fun name -> g32.[name].AllClose(narrow g64.[name], 1e-3, 1e-5)) parameters.Names

    [<Property>]
    let ``Second derivatives of the network pass GradGradCheck`` (problem: Problem) =
        let x, y, parameters = draw problem
        let result = GradCheck.GradGradCheck(parameters, networkLoss x y)
        result.Passed |> FsCheck.FSharp.Prop.label (string result)

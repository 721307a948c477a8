/// Jacobians, Hessians, HVPs and auxiliary outputs from F#: the point-first methods with no annotations, and the curried,
/// pipeable functions of Autograd.Rnn.FSharp's Transforms module (a C# method cannot be curried or applied to an argument
/// by juxtaposition, so they live in the F# companion assembly, which may depend on FSharp.Core).
module Autograd.Rnn.FSharp.Tests.TransformTests

open Xunit
open Autograd.Rnn
open Autograd.Rnn.FSharp

let private close (expected: Tensor<'T>) (actual: Tensor<'T>) =
    Assert.True(actual.AllClose(expected, 1e-10, 1e-12), sprintf "expected %O, got %O" expected actual)

let x = Tensor.FromArray [| 0.5; -1.0; 2.0 |]
let v = Tensor.FromArray [| 1.0; 0.5; -2.0 |]

/// f(x) = Σ x³ + (Σ x)²: ∇f = 3x² + 2Σx, H = diag(6x) + 2·𝟙𝟙ᵀ.
let f (x: Tensor<float>) = (x * x * x).Sum() + x.Sum() * x.Sum()

let expectedHessian =
    let d = x.ToArray()
    Tensor.FromArray(array2D [ for i in 0 .. 2 -> [ for j in 0 .. 2 -> (if i = j then 6.0 * d.[i] else 0.0) + 2.0 ] ])

type ``Curried transforms`` () =

    [<Fact>]
    member _.``grad and valueAndGrad pipe and agree with Grad`` () =
        close (Grad.Gradient(x, fun x -> f x)) (x |> grad f)
        close (3.0 * x * x + 2.0 * x.Sum()) (grad f x)
        let r = x |> valueAndGrad (fun x -> (exp x).Sum())
        Assert.Equal((exp x).Sum().Item, r.Value.Item)
        close (exp x) r.Gradient

    [<Fact>]
    member _.``jacobian and hessian give the closed forms, and the Hessian is the Jacobian of grad`` () =
        close (Tensor.Eye 3 * (1.0 - tanh x * tanh x)) (x |> jacobian tanh)
        close expectedHessian (x |> hessian f)
        close (x |> hessian f) (x |> jacobian (grad f))

    [<Fact>]
    member _.``hvp returns the value, the gradient and H·v`` () =
        let r = hvp f x v
        Assert.Equal((f x).Item, r.Value.Item)
        close (grad f x) r.Gradient
        close (expectedHessian.MatMul(v.Reshape(3, 1)).Reshape 3) r.HessianVector

    [<Fact>]
    member _.``jvp gives the output and J·v, and jvp of grad is the same H·v as hvp`` () =
        let r = jvp tanh x v
        close (tanh x) r.Output
        close ((1.0 - tanh x * tanh x) * v) r.Tangent
        close (hvp f x v).HessianVector (jvp (grad f) x v).Tangent

    [<Fact>]
    member _.``jvp takes Params: the tangent is the directional derivative along named tangents`` () =
        let parameters = Params.Create [ "w", x; "b", Tensor.FromArray [| 0.25 |] ]
        let tangents = Params.Create [ "w", v; "b", Tensor.FromArray [| 1.0 |] ]
        let r = parameters |> jvp (fun p -> (p.["w"] * p.["w"]).Sum() + p.["b"].Sum()) <| tangents
        Assert.Equal((2.0 * x * v).Sum().Item + 1.0, r.Tangent.Item, 12)

    [<Fact>]
    member _.``vmap maps a function of one example over a batch; vmap of grad gives per-example gradients`` () =
        let xs = Tensor.RandomNormal<float>([| 4; 3 |], 91UL)
        let ys = Tensor.RandomNormal<float>([| 4; 2 |], 92UL)
        let each f = Tensor.Stack(xs.Unstack() |> Array.map f)
        close (each (fun x -> tanh x * 2.0)) (xs |> vmap (fun x -> tanh x * 2.0))
        close (each (grad f)) (xs |> vmap (grad f))
        let parameters = Params.Create [ "w", Tensor.RandomNormal<float>([| 3; 2 |], 93UL); "b", Tensor.FromArray [| 0.1; -0.2 |] ]
        let loss (p: Params<float>) (x: Tensor<float>) (y: Tensor<float>) =
            let d = x.Reshape(1, 3).MatMul(p.["w"]).Reshape(2) + p.["b"] - y
            (d * d).Sum()
        let perExample = perExampleGradients loss parameters xs ys
        let viaVmap = xs |> vmapParams (fun x -> parameters |> grad (fun p -> (p.["w"] * x.Reshape(3, 1)).Sum()))
        for i in 0 .. 3 do
            let separate = parameters |> grad (fun p -> loss p (xs.Unstack().[i]) (ys.Unstack().[i]))
            close separate.["w"] (perExample.["w"].Unstack().[i])
            close separate.["b"] (perExample.["b"].Unstack().[i])
            close (Tensor.BroadcastTo(xs.Unstack().[i].Reshape(3, 1), Shape(3, 2))) (viaVmap.["w"].Unstack().[i])
        close (Tensor.Stack(Array.init 4 (fun i -> loss parameters (xs.Unstack().[i]) (ys.Unstack().[i])))) (vmap2 (loss parameters) xs ys)

    [<Fact>]
    member _.``The same functions serve float32 without annotations`` () =
        let x32 = Tensor.FromArray [| 0.5f; 2.0f |]
        let g = x32 |> grad (fun x -> (x * x).Sum())
        Assert.Equal<float32[]>([| 1.0f; 4.0f |], g.ToArray())
        let h = x32 |> hessian (fun x -> (x * x * x).Sum())
        Assert.Equal<float32[]>([| 3.0f; 0.0f; 0.0f; 12.0f |], h.ToArray())

    [<Fact>]
    member _.``Transforms compose: the third derivative by nesting grad`` () =
        // d³/dx³ Σ x⁴ = 24x, elementwise.
        let third = x |> grad (grad (grad (fun x -> (x ** 4.0).Sum()) >> Tensor.Sum) >> Tensor.Sum)
        close (24.0 * x) third

    [<Fact>]
    member _.``vjp gives f(x) and the cotangent pulled back through f`` () =
        let r = vjp tanh x v
        close (tanh x) r.Output
        close (v * (1.0 - tanh x * tanh x)) r.Cotangent

type ``Curried transforms of Params`` () =

    /// L(p) = Σ w²·b, w [2], b a scalar: ∂L/∂w = 2b·w, ∂L/∂b = Σ w².
    let p = Params.Create [ "w", Tensor.FromArray [| 1.0; 2.0 |]; "b", Tensor.Scalar 1.5 ]
    let loss (p: Params<float>) = (p.["w"] * p.["w"] * p.["b"]).Sum()

    [<Fact>]
    member _.``grad and valueAndGrad take Params and return gradients by name`` () =
        let g = p |> grad loss
        close (Tensor.FromArray [| 3.0; 6.0 |]) g.["w"]
        Assert.Equal(5.0, g.["b"].Item)
        let r = valueAndGrad loss p
        Assert.Equal(7.5, r.Value.Item)
        close g.["w"] r.Gradients.["w"]

    [<Fact>]
    member _.``A piped lambda reads parameters by name with no annotation`` () =
        let g = p |> grad (fun p -> (p.["w"] * p.["b"]).Sum())
        close (Tensor.FromArray [| 1.5; 1.5 |]) g.["w"]
        Assert.Equal(3.0, g.["b"].Item)

    [<Fact>]
    member _.``hvp takes Params and a direction of the same names`` () =
        // H·v for w is 2b·v_w + 2w·v_b, for b it is 2⟨w, v_w⟩.
        let d = Params.Create [ "w", Tensor.FromArray [| 0.5; 3.0 |]; "b", Tensor.Scalar -1.0 ]
        let r = hvp loss p d
        close (Tensor.FromArray [| -0.5; 5.0 |]) r.HessianVector.["w"]
        Assert.Equal(13.0, r.HessianVector.["b"].Item)
        close (Grad.Hvp(p, d, fun p -> loss p).HessianVector.["w"]) r.HessianVector.["w"]

    [<Fact>]
    member _.``valueAndGradWithAux takes Params or a tensor, the aux untraced`` () =
        let r = p |> valueAndGradWithAux (fun p -> WithAux(loss p, tanh p.["w"]))
        Assert.Equal(7.5, r.Value.Item)
        Assert.False r.Aux.IsTraced
        close (tanh p.["w"]) r.Aux
        let s = x |> valueAndGradWithAux (fun x -> WithAux.Create(x.Sum(), x * 2.0))
        close (Tensor.OnesLike x) s.Gradient
        close (2.0 * x) s.Aux

type ``Point-first methods`` () =

    [<Fact>]
    member _.``Grad.Jacobian, Grad.Hessian and Grad.Hvp infer the lambda's type with the point first`` () =
        close (x |> jacobian tanh) (Grad.Jacobian(x, fun x -> tanh x))
        close expectedHessian (Grad.Hessian(x, fun x -> (x * x * x).Sum() + x.Sum() * x.Sum()))
        close (hvp f x v).HessianVector (Grad.Hvp(x, v, fun x -> (x * x * x).Sum() + x.Sum() * x.Sum())).HessianVector

    [<Fact>]
    member _.``Grad.Hvp takes Params and a direction of the same names`` () =
        // f = Σ w²·b: H·v for w is 2b·v_w + 2w·v_b, for b it is 2⟨w, v_w⟩.
        let p = Params.Create [ "w", Tensor.FromArray [| 1.0; 2.0 |]; "b", Tensor.Scalar 1.5 ]
        let d = Params.Create [ "w", Tensor.FromArray [| 0.5; 3.0 |]; "b", Tensor.Scalar -1.0 ]
        let r = Grad.Hvp(p, d, fun p -> (p.["w"] * p.["w"] * p.["b"]).Sum())
        close (Tensor.FromArray [| -0.5; 5.0 |]) r.HessianVector.["w"]
        Assert.Equal(13.0, r.HessianVector.["b"].Item)

    [<Fact>]
    member _.``Grad.Jvp infers the lambda's type with the point first, for a tensor and for Params`` () =
        let r = Grad.Jvp(x, v, fun x -> (x * x).Sum())
        Assert.Equal(2.0 * (x * v).Sum().Item, r.Tangent.Item, 12)
        // f = w²·b: J·v = 2w·b·v_w + w²·v_b.
        let p = Params.Create [ "w", Tensor.FromArray [| 1.0; 2.0 |]; "b", Tensor.Scalar 1.5 ]
        let d = Params.Create [ "w", Tensor.FromArray [| 0.5; 3.0 |]; "b", Tensor.Scalar -1.0 ]
        let s = Grad.Jvp(p, d, fun p -> p.["w"] * p.["w"] * p.["b"])
        close (Tensor.FromArray [| 0.5; 14.0 |]) s.Tangent
        close (Tensor.FromArray [| 1.5; 6.0 |]) s.Output
        Assert.True(GradCheck.JvpCheck(p, fun p -> tanh (p.["w"] * p.["b"])).Passed)
        close (Grad.Jacobian(x, (fun x -> tanh x), JacobianMode.Reverse)) (Grad.Jacobian(x, (fun x -> tanh x), JacobianMode.Forward))

    [<Fact>]
    member _.``ValueAndGradWithAux returns an F# record or anonymous record as the aux, untraced`` () =
        let p = Params.Create [ "w", Tensor.FromArray [| 1.0; -2.0 |] ]
        let r = Grad.ValueAndGradWithAux(p, fun p ->
                    let predictions = tanh p.["w"]
                    WithAux((predictions * predictions).Sum(), {| Predictions = predictions; Steps = 1 |}))
        close (tanh p.["w"]) r.Aux.Predictions
        Assert.False r.Aux.Predictions.IsTraced
        Assert.Equal(1, r.Aux.Steps)
        close (2.0 * tanh p.["w"] * (1.0 - tanh p.["w"] * tanh p.["w"])) r.Gradients.["w"]
        let s = Grad.ValueAndGradWithAux(x, fun x -> WithAux.Create(x.Sum(), x * 2.0))
        close (2.0 * x) s.Aux

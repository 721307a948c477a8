namespace Autograd.Rnn.FSharp

open System
open Autograd.Rnn

/// The Tensor and Params forms behind <c>grad</c>, <c>valueAndGrad</c>, <c>valueAndGradWithAux</c>, <c>hvp</c> and <c>jvp</c>: the
/// curried functions pick one by the type of the point when they are inlined into the caller, which is why this type and
/// <c>TransformDispatch</c> are public. Call the functions in <c>Transforms</c>, not these.
type TransformOverloads =
    | TransformOverloads

    /// Grad.Gradient(x, f): df/dx, shaped like x.
    static member Gradient(_: TransformOverloads, x: Tensor<'T>, f: Tensor<'T> -> Tensor<'T>) = Grad.Gradient(x, Func<_, _> f)

    /// Grad.Gradient(p, f): df/dp, one gradient per parameter, with p's names.
    static member Gradient(_: TransformOverloads, p: Params<'T>, f: Params<'T> -> Tensor<'T>) = Grad.Gradient(p, Func<_, _> f)

    /// Grad.ValueAndGrad(x, f): f(x) and df/dx.
    static member ValueAndGrad(_: TransformOverloads, x: Tensor<'T>, f: Tensor<'T> -> Tensor<'T>) = Grad.ValueAndGrad(x, Func<_, _> f)

    /// Grad.ValueAndGrad(p, f): f(p) and df/dp.
    static member ValueAndGrad(_: TransformOverloads, p: Params<'T>, f: Params<'T> -> Tensor<'T>) = Grad.ValueAndGrad(p, Func<_, _> f)

    /// Grad.ValueAndGradWithAux(x, f): f(x)'s value, its gradient and its auxiliary output.
    static member ValueAndGradWithAux(_: TransformOverloads, x: Tensor<'T>, f: Tensor<'T> -> WithAux<'T, 'Aux>) =
        Grad.ValueAndGradWithAux(x, Func<_, _> f)

    /// Grad.ValueAndGradWithAux(p, f): f(p)'s value, its gradients and its auxiliary output.
    static member ValueAndGradWithAux(_: TransformOverloads, p: Params<'T>, f: Params<'T> -> WithAux<'T, 'Aux>) =
        Grad.ValueAndGradWithAux(p, Func<_, _> f)

    /// Grad.Hvp(x, v, f): f(x), df/dx and the Hessian-vector product H·v, v shaped like x.
    static member Hvp(_: TransformOverloads, x: Tensor<'T>, v: Tensor<'T>, f: Tensor<'T> -> Tensor<'T>) = Grad.Hvp(x, v, Func<_, _> f)

    /// Grad.Hvp(p, v, f): f(p), df/dp and H·v, v a direction with p's names and shapes.
    static member Hvp(_: TransformOverloads, p: Params<'T>, v: Params<'T>, f: Params<'T> -> Tensor<'T>) = Grad.Hvp(p, v, Func<_, _> f)

    /// Grad.Jvp(x, v, f): f(x) and the Jacobian-vector product J·v in one forward-mode pass, v shaped like x.
    static member Jvp(_: TransformOverloads, x: Tensor<'T>, v: Tensor<'T>, f: Tensor<'T> -> Tensor<'T>) = Grad.Jvp(x, v, Func<_, _> f)

    /// Grad.Jvp(p, v, f): f(p) and J·v, v a tangent with p's names and shapes.
    static member Jvp(_: TransformOverloads, p: Params<'T>, v: Params<'T>, f: Params<'T> -> Tensor<'T>) = Grad.Jvp(p, v, Func<_, _> f)

/// The static-member calls that pick a <c>TransformOverloads</c> member by the point's type (Tensor or Params).
module TransformDispatch =

    /// Calls the Gradient overload for the point's type.
    let inline gradient (overloads: ^W) (point: ^X) (f: ^X -> Tensor<'T>) : ^R =
        ((^W or ^X): (static member Gradient: ^W * ^X * (^X -> Tensor<'T>) -> ^R) (overloads, point, f))

    /// Calls the ValueAndGrad overload for the point's type.
    let inline valueAndGrad (overloads: ^W) (point: ^X) (f: ^X -> Tensor<'T>) : ^R =
        ((^W or ^X): (static member ValueAndGrad: ^W * ^X * (^X -> Tensor<'T>) -> ^R) (overloads, point, f))

    /// Calls the ValueAndGradWithAux overload for the point's type.
    let inline valueAndGradWithAux (overloads: ^W) (point: ^X) (f: ^X -> WithAux<'T, 'Aux>) : ^R =
        ((^W or ^X): (static member ValueAndGradWithAux: ^W * ^X * (^X -> WithAux<'T, 'Aux>) -> ^R) (overloads, point, f))

    /// Calls the Hvp overload for the point's type.
    let inline hvp (overloads: ^W) (point: ^X) (direction: ^X) (f: ^X -> Tensor<'T>) : ^R =
        ((^W or ^X): (static member Hvp: ^W * ^X * ^X * (^X -> Tensor<'T>) -> ^R) (overloads, point, direction, f))

    /// Calls the Jvp overload for the point's type.
    let inline jvp (overloads: ^W) (point: ^X) (tangent: ^X) (f: ^X -> Tensor<'T>) : ^R =
        ((^W or ^X): (static member Jvp: ^W * ^X * ^X * (^X -> Tensor<'T>) -> ^R) (overloads, point, tangent, f))

/// JAX-style transforms, curried and pipeable: <c>grad f x</c>, <c>x |> grad f</c>, <c>parameters |> valueAndGrad loss</c>,
/// <c>x |> hessian f</c>, <c>grad (grad f >> Tensor.Sum)</c>. Each is the Grad method of the same name with the point last.
/// <c>grad</c>, <c>valueAndGrad</c>, <c>valueAndGradWithAux</c>, <c>hvp</c> and <c>jvp</c> take a Tensor or Params point; with a lambda
/// that reads members of its argument, pipe the point in (<c>p |> grad (fun p -> p.["w"].Sum())</c>) so that F# knows the
/// argument's type when it checks the lambda. <c>jacobian</c>, <c>hessian</c> and <c>vjp</c> take a tensor; <c>vmap</c> maps a
/// function of one example over a batch (<c>xs |> vmap (grad f)</c>: per-example gradients).
[<AutoOpen>]
module Transforms =

    /// The gradient of a scalar f at x: a tensor shaped like x for a Tensor point, Params with x's names for a Params point.
    let inline grad f x = TransformDispatch.gradient TransformOverloads x f

    /// f(x) and its gradient: a TensorGradientResult (Value, Gradient) or a GradientResult (Value, Gradients).
    let inline valueAndGrad f x = TransformDispatch.valueAndGrad TransformOverloads x f

    /// f(x).Value, its gradient and f(x).Aux (untraced): f returns <c>WithAux(loss, anything)</c>.
    let inline valueAndGradWithAux f x = TransformDispatch.valueAndGradWithAux TransformOverloads x f

    /// f(x), its gradient and the Hessian-vector product H·v (no Hessian is formed): a TensorHvpResult or an HvpResult.
    let inline hvp f x v = TransformDispatch.hvp TransformOverloads x v f

    /// f(x) and the Jacobian-vector product J·v in one forward-mode pass (a JvpResult: Output, Tangent); v is shaped like
    /// x (a Tensor point) or has x's names and shapes (a Params point). <c>jvp (grad f) x v</c> is H·v, forward over reverse.
    let inline jvp f x v = TransformDispatch.jvp TransformOverloads x v f

    /// The Jacobian of f at x [shape of x]: [shape of f(x) ++ shape of x].
    let jacobian f (x: Tensor<'T>) = Grad.Jacobian(x, Func<_, _> f)

    /// The Hessian of a scalar f at x: [shape of x ++ shape of x], e.g. [n, n] for x [n].
    let hessian f (x: Tensor<'T>) = Grad.Hessian(x, Func<_, _> f)

    /// f(x) and the vector-Jacobian product cotangentᵀ·J, cotangent shaped like f(x): a VjpResult (Output, Cotangent).
    let vjp f (x: Tensor<'T>) (cotangent: Tensor<'T>) = Grad.Vjp(Func<_, _> f, x, cotangent)

    /// f, written for one example, mapped over the examples of xs (along axis 0) in one batched pass:
    /// xs [batch, …] -> [batch, shape of f(example)]. <c>xs |> vmap (grad f)</c> is f's gradient at every example.
    let vmap (f: Tensor<'T> -> Tensor<'T>) (xs: Tensor<'T>) = Grad.Vmap(xs, Func<_, _> f)

    /// vmap over two batches of the same size, example by example (an input and its target): [batch, …] twice -> [batch, …].
    let vmap2 (f: Tensor<'T> -> Tensor<'T> -> Tensor<'T>) (xs: Tensor<'T>) (ys: Tensor<'T>) =
        Grad.Vmap(Func<_, _, _>(fun x y -> f x y), xs, ys)

    /// vmap for a function returning Params, each returned tensor getting the batch axis first:
    /// <c>xs |> vmapParams (fun x -> parameters |> grad (fun p -> loss p x))</c> gives per-example gradients [batch, …].
    let vmapParams (f: Tensor<'T> -> Params<'T>) (xs: Tensor<'T>) = Grad.VmapParams(xs, Func<_, _> f)

    /// vmapParams over two batches of the same size, example by example: <c>vmapParams2 (fun x y -> grad (fun p -> loss p x y) p) xs ys</c>.
    let vmapParams2 (f: Tensor<'T> -> Tensor<'T> -> Params<'T>) (xs: Tensor<'T>) (ys: Tensor<'T>) =
        Grad.VmapParams(Func<_, _, _>(fun x y -> f x y), xs, ys)

    /// The gradient of loss p x y for every example pair of xs and ys separately, in one batched pass:
    /// Params with each gradient [batch, …shape of the parameter].
    let perExampleGradients (loss: Params<'T> -> Tensor<'T> -> Tensor<'T> -> Tensor<'T>) (parameters: Params<'T>) (xs: Tensor<'T>) (ys: Tensor<'T>) =
        Grad.PerExampleGradients(Func<_, _, _, _>(fun p x y -> loss p x y), parameters, xs, ys)

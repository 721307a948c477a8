namespace Autograd.Rnn.FSharp

open System.Numerics
open Autograd.Rnn

/// A number that takes the element type of the tensor it meets: <c>scalar 0.5 * x</c> and <c>scalar 1 - z</c> are
/// <c>Tensor&lt;'T&gt;</c> for x, z : <c>Tensor&lt;'T&gt;</c>, float or float32. A literal such as <c>1.0 - z</c> pins a cell to
/// one element type, and F# does not convert <c>1</c> or <c>0.5</c> to a type parameter; a Scalar carries its value as a
/// double and converts it (<c>'T.CreateChecked</c>) at the op, so a cell written with it stays generic with no annotation
/// beyond its parameters. Build one with <c>scalar</c>.
[<Struct>]
type Scalar(value: float) =

    /// The number, as a double.
    member _.Value = value

    /// The number in x's element type.
    member private _.In(_: Tensor<'T>) : 'T = 'T.CreateChecked value

    /// <c>scalar a + x</c>: a added to every element of x [shape] -> [shape].
    static member (+)(a: Scalar, x: Tensor<'T>) = Tensor<'T>.op_Addition(a.In x, x)

    /// <c>x + scalar a</c>: a added to every element of x [shape] -> [shape].
    static member (+)(x: Tensor<'T>, a: Scalar) = Tensor<'T>.op_Addition(x, a.In x)

    /// <c>scalar a - x</c>: a minus every element of x [shape] -> [shape], e.g. the GRU's <c>scalar 1 - z</c>.
    static member (-)(a: Scalar, x: Tensor<'T>) = Tensor<'T>.op_Subtraction(a.In x, x)

    /// <c>x - scalar a</c>: every element of x minus a [shape] -> [shape].
    static member (-)(x: Tensor<'T>, a: Scalar) = Tensor<'T>.op_Subtraction(x, a.In x)

    /// <c>scalar a * x</c>: every element of x times a [shape] -> [shape].
    static member (*)(a: Scalar, x: Tensor<'T>) = Tensor<'T>.op_Multiply(a.In x, x)

    /// <c>x * scalar a</c>: every element of x times a [shape] -> [shape].
    static member (*)(x: Tensor<'T>, a: Scalar) = Tensor<'T>.op_Multiply(x, a.In x)

    /// <c>scalar a / x</c>: a divided by every element of x [shape] -> [shape].
    static member (/)(a: Scalar, x: Tensor<'T>) = Tensor<'T>.op_Division(a.In x, x)

    /// <c>x / scalar a</c>: every element of x divided by a [shape] -> [shape].
    static member (/)(x: Tensor<'T>, a: Scalar) = Tensor<'T>.op_Division(x, a.In x)

    /// The number, as F# prints a float.
    override _.ToString() = string value

/// <c>scalar</c>, the element-type-free number of generic cells.
[<AutoOpen>]
module Scalars =

    /// A number for tensor arithmetic in any element type: <c>scalar 1 - z</c>, <c>scalar 0.5 * x</c>, <c>x / scalar 3</c>.
    /// Takes any F# number (int, float, float32, …); the tensor's element type decides the precision it is used in.
    let inline scalar value = Scalar(float value)

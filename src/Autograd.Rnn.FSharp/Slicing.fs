namespace Autograd.Rnn.FSharp

open System
open System.Numerics
open Autograd.Rnn

/// What a slice keeps of one axis: one position, which drops the axis (<c>x.[t, *]</c>), or a range of positions, which
/// keeps it (<c>x.[a..b, *]</c>). F# passes a range's ends as options, both inclusive; None is the axis's first or last position.
type internal AxisSelection =
    | Position of int
    | Range of first: int option * last: int option

/// A slice built from the library's public differentiable ops (Narrow per selected axis, then one Reshape to drop the
/// axes taken at one position), so that gradients flow through it like through any op.
module internal Selection =

    /// The slice as the user wrote it, for error messages: x.[2, 0..1, *].
    let private describe (selections: AxisSelection list) =
        let bound = Option.map string >> Option.defaultValue ""
        selections
        |> List.map (function
            | Position i -> string i
            | Range(None, None) -> "*"
            | Range(first, last) -> bound first + ".." + bound last)
        |> String.concat ", "
        |> sprintf "x.[%s]"

    let private outside (selections: AxisSelection list) (shape: Shape) (axis: int) (what: string) : exn =
        let positions = if shape.[axis] = 0 then "it has no positions" else sprintf "its positions run 0..%d" (shape.[axis] - 1)
        ArgumentOutOfRangeException(
            "index",
            sprintf "Tensor slice %s: %s is outside axis %d of size %d of shape %O (%s)."
                (describe selections) what axis shape.[axis] shape positions)

    /// x with each leading axis narrowed to its selection and the axes selected at one position dropped. Axes after the
    /// last selection are kept whole, as NumPy's x[t] is x[t, ...]: on x [time, batch, features], x.[t, *] is [batch, features].
    /// A range whose last position is before its first is empty (as for F# arrays); a position or range outside the axis throws.
    let apply (x: Tensor<'T>) (selections: AxisSelection list) : Tensor<'T> =
        let shape = x.Shape
        if selections.Length > shape.Rank then
            raise (ArgumentException(sprintf "Tensor slice %s: %d axes selected, but shape %O has rank %d." (describe selections) selections.Length shape shape.Rank))
        let narrow (t: Tensor<'T>, dropped) (axis, selection) =
            let size = shape.[axis]
            match selection with
            | Position i ->
                if i < 0 || i >= size then raise (outside selections shape axis (sprintf "index %d" i))
                t.Narrow(axis, i, 1), axis :: dropped
            | Range(first, last) ->
                let first' = defaultArg first 0
                let last' = defaultArg last (size - 1)
                if first' < 0 || first' > size || last' < -1 || last' >= size then
                    raise (outside selections shape axis (sprintf "range %d..%d" first' last'))
                t.Narrow(axis, first', max 0 (last' - first' + 1)), dropped
        let narrowed, dropped = selections |> List.indexed |> List.fold narrow (x, [])
        if dropped.IsEmpty then narrowed
        else
            let kept = narrowed.Shape.ToArray() |> Array.indexed |> Array.filter (fun (axis, _) -> not (List.contains axis dropped))
            narrowed.Reshape(Array.map snd kept)

/// F# slicing on tensors, differentiable: <c>x.[a..b, *]</c> keeps positions a to b (inclusive, as for F# arrays) of axis 0,
/// <c>x.[t, *, *]</c> takes position t of axis 0 and drops the axis, <c>x.[*, 1..]</c> keeps positions 1 to the end of axis 1.
/// One to four axes can be selected; axes after the last selection are kept whole, so <c>x.[t, *]</c> is PyTorch's
/// <c>x[t]</c> for any rank. <c>x.[i, j]</c> with only integers stays the element indexer of <c>Tensor&lt;T&gt;</c>
/// (a scalar of type T, one index per axis), which F# uses whenever no range or <c>*</c> appears. In the shapes below,
/// a range's size is last − first + 1 (0 when last &lt; first), an open end is the axis's first or last position, and an
/// integer's axis is gone.
[<AutoOpen>]
module TensorSlicing =

    type Tensor<'T when 'T: unmanaged and 'T :> IFloatingPointIeee754<'T> and 'T: (new: unit -> 'T) and 'T: struct and 'T :> ValueType> with
        /// <c>x.[a0..b0]</c>: x [n0, …] -> [b0 − a0 + 1, …].
        member x.GetSlice(a0: int option, b0: int option) = Selection.apply x [ Range(a0, b0) ]
        /// <c>x.[i0, a1..b1]</c>: x [n0, n1, …] -> [b1 − a1 + 1, …].
        member x.GetSlice(i0: int, a1: int option, b1: int option) = Selection.apply x [ Position i0; Range(a1, b1) ]
        /// <c>x.[a0..b0, i1]</c>: x [n0, n1, …] -> [b0 − a0 + 1, …].
        member x.GetSlice(a0: int option, b0: int option, i1: int) = Selection.apply x [ Range(a0, b0); Position i1 ]
        /// <c>x.[a0..b0, a1..b1]</c>: x [n0, n1, …] -> [b0 − a0 + 1, b1 − a1 + 1, …].
        member x.GetSlice(a0: int option, b0: int option, a1: int option, b1: int option) =
            Selection.apply x [ Range(a0, b0); Range(a1, b1) ]
        /// <c>x.[i0, i1, a2..b2]</c>: x [n0, n1, n2, …] -> [b2 − a2 + 1, …].
        member x.GetSlice(i0: int, i1: int, a2: int option, b2: int option) =
            Selection.apply x [ Position i0; Position i1; Range(a2, b2) ]
        /// <c>x.[i0, a1..b1, i2]</c>: x [n0, n1, n2, …] -> [b1 − a1 + 1, …].
        member x.GetSlice(i0: int, a1: int option, b1: int option, i2: int) =
            Selection.apply x [ Position i0; Range(a1, b1); Position i2 ]
        /// <c>x.[i0, a1..b1, a2..b2]</c>: x [n0, n1, n2, …] -> [b1 − a1 + 1, b2 − a2 + 1, …].
        member x.GetSlice(i0: int, a1: int option, b1: int option, a2: int option, b2: int option) =
            Selection.apply x [ Position i0; Range(a1, b1); Range(a2, b2) ]
        /// <c>x.[a0..b0, i1, i2]</c>: x [n0, n1, n2, …] -> [b0 − a0 + 1, …].
        member x.GetSlice(a0: int option, b0: int option, i1: int, i2: int) =
            Selection.apply x [ Range(a0, b0); Position i1; Position i2 ]
        /// <c>x.[a0..b0, i1, a2..b2]</c>: x [n0, n1, n2, …] -> [b0 − a0 + 1, b2 − a2 + 1, …].
        member x.GetSlice(a0: int option, b0: int option, i1: int, a2: int option, b2: int option) =
            Selection.apply x [ Range(a0, b0); Position i1; Range(a2, b2) ]
        /// <c>x.[a0..b0, a1..b1, i2]</c>: x [n0, n1, n2, …] -> [b0 − a0 + 1, b1 − a1 + 1, …].
        member x.GetSlice(a0: int option, b0: int option, a1: int option, b1: int option, i2: int) =
            Selection.apply x [ Range(a0, b0); Range(a1, b1); Position i2 ]
        /// <c>x.[a0..b0, a1..b1, a2..b2]</c>: x [n0, n1, n2, …] -> [b0 − a0 + 1, b1 − a1 + 1, b2 − a2 + 1, …].
        member x.GetSlice(a0: int option, b0: int option, a1: int option, b1: int option, a2: int option, b2: int option) =
            Selection.apply x [ Range(a0, b0); Range(a1, b1); Range(a2, b2) ]
        /// <c>x.[i0, i1, i2, a3..b3]</c>: x [n0, n1, n2, n3, …] -> [b3 − a3 + 1, …].
        member x.GetSlice(i0: int, i1: int, i2: int, a3: int option, b3: int option) =
            Selection.apply x [ Position i0; Position i1; Position i2; Range(a3, b3) ]
        /// <c>x.[i0, i1, a2..b2, i3]</c>: x [n0, n1, n2, n3, …] -> [b2 − a2 + 1, …].
        member x.GetSlice(i0: int, i1: int, a2: int option, b2: int option, i3: int) =
            Selection.apply x [ Position i0; Position i1; Range(a2, b2); Position i3 ]
        /// <c>x.[i0, i1, a2..b2, a3..b3]</c>: x [n0, n1, n2, n3, …] -> [b2 − a2 + 1, b3 − a3 + 1, …].
        member x.GetSlice(i0: int, i1: int, a2: int option, b2: int option, a3: int option, b3: int option) =
            Selection.apply x [ Position i0; Position i1; Range(a2, b2); Range(a3, b3) ]
        /// <c>x.[i0, a1..b1, i2, i3]</c>: x [n0, n1, n2, n3, …] -> [b1 − a1 + 1, …].
        member x.GetSlice(i0: int, a1: int option, b1: int option, i2: int, i3: int) =
            Selection.apply x [ Position i0; Range(a1, b1); Position i2; Position i3 ]
        /// <c>x.[i0, a1..b1, i2, a3..b3]</c>: x [n0, n1, n2, n3, …] -> [b1 − a1 + 1, b3 − a3 + 1, …].
        member x.GetSlice(i0: int, a1: int option, b1: int option, i2: int, a3: int option, b3: int option) =
            Selection.apply x [ Position i0; Range(a1, b1); Position i2; Range(a3, b3) ]
        /// <c>x.[i0, a1..b1, a2..b2, i3]</c>: x [n0, n1, n2, n3, …] -> [b1 − a1 + 1, b2 − a2 + 1, …].
        member x.GetSlice(i0: int, a1: int option, b1: int option, a2: int option, b2: int option, i3: int) =
            Selection.apply x [ Position i0; Range(a1, b1); Range(a2, b2); Position i3 ]
        /// <c>x.[i0, a1..b1, a2..b2, a3..b3]</c>: x [n0, n1, n2, n3, …] -> [b1 − a1 + 1, b2 − a2 + 1, b3 − a3 + 1, …].
        member x.GetSlice(i0: int, a1: int option, b1: int option, a2: int option, b2: int option, a3: int option, b3: int option) =
            Selection.apply x [ Position i0; Range(a1, b1); Range(a2, b2); Range(a3, b3) ]
        /// <c>x.[a0..b0, i1, i2, i3]</c>: x [n0, n1, n2, n3, …] -> [b0 − a0 + 1, …].
        member x.GetSlice(a0: int option, b0: int option, i1: int, i2: int, i3: int) =
            Selection.apply x [ Range(a0, b0); Position i1; Position i2; Position i3 ]
        /// <c>x.[a0..b0, i1, i2, a3..b3]</c>: x [n0, n1, n2, n3, …] -> [b0 − a0 + 1, b3 − a3 + 1, …].
        member x.GetSlice(a0: int option, b0: int option, i1: int, i2: int, a3: int option, b3: int option) =
            Selection.apply x [ Range(a0, b0); Position i1; Position i2; Range(a3, b3) ]
        /// <c>x.[a0..b0, i1, a2..b2, i3]</c>: x [n0, n1, n2, n3, …] -> [b0 − a0 + 1, b2 − a2 + 1, …].
        member x.GetSlice(a0: int option, b0: int option, i1: int, a2: int option, b2: int option, i3: int) =
            Selection.apply x [ Range(a0, b0); Position i1; Range(a2, b2); Position i3 ]
        /// <c>x.[a0..b0, i1, a2..b2, a3..b3]</c>: x [n0, n1, n2, n3, …] -> [b0 − a0 + 1, b2 − a2 + 1, b3 − a3 + 1, …].
        member x.GetSlice(a0: int option, b0: int option, i1: int, a2: int option, b2: int option, a3: int option, b3: int option) =
            Selection.apply x [ Range(a0, b0); Position i1; Range(a2, b2); Range(a3, b3) ]
        /// <c>x.[a0..b0, a1..b1, i2, i3]</c>: x [n0, n1, n2, n3, …] -> [b0 − a0 + 1, b1 − a1 + 1, …].
        member x.GetSlice(a0: int option, b0: int option, a1: int option, b1: int option, i2: int, i3: int) =
            Selection.apply x [ Range(a0, b0); Range(a1, b1); Position i2; Position i3 ]
        /// <c>x.[a0..b0, a1..b1, i2, a3..b3]</c>: x [n0, n1, n2, n3, …] -> [b0 − a0 + 1, b1 − a1 + 1, b3 − a3 + 1, …].
        member x.GetSlice(a0: int option, b0: int option, a1: int option, b1: int option, i2: int, a3: int option, b3: int option) =
            Selection.apply x [ Range(a0, b0); Range(a1, b1); Position i2; Range(a3, b3) ]
        /// <c>x.[a0..b0, a1..b1, a2..b2, i3]</c>: x [n0, n1, n2, n3, …] -> [b0 − a0 + 1, b1 − a1 + 1, b2 − a2 + 1, …].
        member x.GetSlice(a0: int option, b0: int option, a1: int option, b1: int option, a2: int option, b2: int option, i3: int) =
            Selection.apply x [ Range(a0, b0); Range(a1, b1); Range(a2, b2); Position i3 ]
        /// <c>x.[a0..b0, a1..b1, a2..b2, a3..b3]</c>: x [n0, n1, n2, n3, …] -> [b0 − a0 + 1, b1 − a1 + 1, b2 − a2 + 1, b3 − a3 + 1, …].
        member x.GetSlice(a0: int option, b0: int option, a1: int option, b1: int option, a2: int option, b2: int option, a3: int option, b3: int option) =
            Selection.apply x [ Range(a0, b0); Range(a1, b1); Range(a2, b2); Range(a3, b3) ]

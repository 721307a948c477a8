/// Slicing syntax from Autograd.Rnn.FSharp: x.[a..b, *], x.[t, *, *], x.[*, 1..]. A slice keeps the elements its
/// selections name, in row-major order, drops the axes taken at one position, keeps later axes whole, and is
/// differentiable; a selection outside the tensor throws naming the slice, the axis and the shape.
module Autograd.Rnn.FSharp.Tests.SlicingTests

open System
open Xunit
open FsCheck
open FsCheck.FSharp
open FsCheck.Xunit
open Autograd.Rnn
open Autograd.Rnn.FSharp

/// What a slice selects on one axis, for the reference below: one position (the axis is dropped), or first..last.
type Pick =
    | At of int
    | Between of first: int * last: int

/// The elements a slice must keep, found without the library's ops: every multi-index of x, in row-major order, whose
/// coordinates fall within the picks (axes after the last pick are kept whole), and the shape that remains.
let reference (x: Tensor<float>) (picks: Pick list) =
    let dims = x.Shape.ToArray()
    let pickOf axis = if axis < picks.Length then picks.[axis] else Between(0, dims.[axis] - 1)
    let keeps axis i =
        match pickOf axis with
        | At t -> i = t
        | Between(first, last) -> first <= i && i <= last
    let values = x.ToArray()
    let strides = Array.init dims.Length (fun axis -> Array.fold (*) 1 dims.[axis + 1 ..])
    let kept =
        [| for flat in 0 .. values.Length - 1 do
               if Array.forall id (Array.init dims.Length (fun axis -> keeps axis (flat / strides.[axis] % dims.[axis]))) then
                   values.[flat] |]
    let shape =
        [| for axis in 0 .. dims.Length - 1 do
               match pickOf axis with
               | At _ -> ()
               | Between(first, last) -> max 0 (last - first + 1) |]
    shape, kept

/// A rank-4 tensor (each dimension 1..4) and, for each axis, a position and a range inside it (possibly empty).
type Case = { Dims: int[]; Seed: uint64; Positions: int[]; Ranges: (int * int)[] }

type CaseArbitrary =
    static member Case() : Arbitrary<Case> =
        gen {
            let! dims = Gen.arrayOfLength 4 (Gen.choose (1, 4))
            let! seed = Gen.choose (0, Int32.MaxValue) |> Gen.map uint64
            let! positions = dims |> Array.map (fun n -> Gen.choose (0, n - 1)) |> Gen.sequenceToArray
            let! ranges =
                dims
                |> Array.map (fun n -> gen {
                    let! first = Gen.choose (0, n)
                    let! last = Gen.choose (first - 1, n - 1)
                    return first, last })
                |> Gen.sequenceToArray
            return { Dims = dims; Seed = seed; Positions = positions; Ranges = ranges }
        }
        |> Arb.fromGen

/// Slices as a user writes them, each with the picks it means: one to four selected axes, positions and ranges mixed,
/// open ends and whole axes.
let forms (c: Case) : (string * (Tensor<float> -> Tensor<float>) * Pick list) list =
    let t k = c.Positions.[k]
    let a k = fst c.Ranges.[k]
    let b k = snd c.Ranges.[k]
    let whole k = Between(0, c.Dims.[k] - 1)
    [ "x.[a..b]", (fun x -> x.[a 0 .. b 0]), [ Between(a 0, b 0) ]
      "x.[t, *]", (fun x -> x.[t 0, *]), [ At(t 0); whole 1 ]
      "x.[*, a..b, t]", (fun x -> x.[*, a 1 .. b 1, t 2]), [ whole 0; Between(a 1, b 1); At(t 2) ]
      "x.[t, a.., *, ..b]", (fun x -> x.[t 0, a 1 .., *, .. b 3]), [ At(t 0); Between(a 1, c.Dims.[1] - 1); whole 2; Between(0, b 3) ]
      "x.[a..b, t, t, t]", (fun x -> x.[a 0 .. b 0, t 1, t 2, t 3]), [ Between(a 0, b 0); At(t 1); At(t 2); At(t 3) ]
      "x.[t, t, a..b]", (fun x -> x.[t 0, t 1, a 2 .. b 2]), [ At(t 0); At(t 1); Between(a 2, b 2) ]
      "x.[*, *, *, a..b]", (fun x -> x.[*, *, *, a 3 .. b 3]), [ whole 0; whole 1; whole 2; Between(a 3, b 3) ] ]

[<Properties(Arbitrary = [| typeof<CaseArbitrary> |], MaxTest = 60)>]
module Laws =

    [<Property>]
    let ``A slice keeps the elements its selections name, in row-major order, without the axes taken at one position`` (c: Case) =
        let x = Tensor.RandomNormal<float>(c.Dims, c.Seed)
        forms c
        |> List.forall (fun (_, slice, picks) ->
            let shape, values = reference x picks
            let sliced = slice x
            sliced.Shape.ToArray() = shape && sliced.ToArray() = values)

    /// Tolerances: GradCheckOptions.Default (double, central differences with step 1e-6, an entry passes within
    /// 1e-6 + 1e-4·|numeric|).
    [<Property>]
    let ``Slice gradient matches finite differences`` (c: Case) =
        let x = Tensor.RandomNormal<float>(c.Dims, c.Seed)
        forms c
        |> List.map (fun (name, slice, _) -> name, GradCheck.Run(x, fun x -> (tanh (slice x) * slice x).Sum()))
        |> List.forall (fun (_, result) -> result.Passed)
        |> Prop.label (sprintf "dims %A, positions %A, ranges %A" c.Dims c.Positions c.Ranges)

let private m = Tensor.FromArray(array2D [ [ 1.0; 2.0; 3.0 ]; [ 4.0; 5.0; 6.0 ] ])

type ``Slicing syntax`` () =

    [<Fact>]
    member _.``x.[t, *] is PyTorch's x[t] for any rank: axis 0 at t, dropped, the other axes whole`` () =
        let xs = Tensor.RandomNormal<float>([ 5; 4; 3; 2 ], 1UL)
        Assert.Equal(Shape(4, 3, 2), xs.[2, *].Shape)
        Assert.Equal<float[]>(xs.[2, *, *, *].ToArray(), xs.[2, *].ToArray())
        Assert.Equal<float[]>(Tensor.Narrow(xs, 0, 2, 1).ToArray(), xs.[2, *].ToArray())

    [<Fact>]
    member _.``Ranges are inclusive, as for F# arrays, and an open end runs to the axis's end`` () =
        Assert.Equal<float[]>([| 1.0; 2.0; 3.0 |], m.[0..0, *].ToArray())
        Assert.Equal(Shape(1, 3), m.[0..0, *].Shape)
        Assert.Equal<float[]>([| 2.0; 3.0; 5.0; 6.0 |], m.[*, 1..].ToArray())
        Assert.Equal<float[]>([| 4.0; 5.0 |], m.[1, ..1].ToArray())
        Assert.Equal(Shape(2), m.[1, ..1].Shape)

    [<Fact>]
    member _.``A range ending before it starts is empty, as for F# arrays`` () =
        Assert.Equal(Shape(0, 3), m.[2.., *].Shape)
        Assert.Equal(Shape(2, 0), m.[*, 1..0].Shape)

    [<Fact>]
    member _.``Integers alone stay the element indexer: one per axis, a scalar of the element type`` () =
        Assert.Equal(6.0, m.[1, 2])
        let ex = Assert.Throws<ArgumentException>(fun () -> m.[1] |> ignore)
        Assert.Contains("1 indices given for shape [2,3]", ex.Message)

    [<Fact>]
    member _.``A position outside its axis throws naming the slice, the axis, its size and the shape`` () =
        let ex = Assert.Throws<ArgumentOutOfRangeException>(fun () -> m.[*, 3] |> ignore)
        Assert.Contains("Tensor slice x.[*, 3]: index 3 is outside axis 1 of size 3 of shape [2,3] (its positions run 0..2)", ex.Message)

    [<Fact>]
    member _.``A range outside its axis throws naming the slice, the axis and the shape`` () =
        let ex = Assert.Throws<ArgumentOutOfRangeException>(fun () -> m.[0..2, *] |> ignore)
        Assert.Contains("Tensor slice x.[0..2, *]: range 0..2 is outside axis 0 of size 2 of shape [2,3]", ex.Message)
        let negative = Assert.Throws<ArgumentOutOfRangeException>(fun () -> m.[-1.., *] |> ignore)
        Assert.Contains("range -1..1 is outside axis 0", negative.Message)

    [<Fact>]
    member _.``More selections than axes throw naming the rank`` () =
        let ex = Assert.Throws<ArgumentException>(fun () -> m.[0, *, *] |> ignore)
        Assert.Contains("Tensor slice x.[0, *, *]: 3 axes selected, but shape [2,3] has rank 2.", ex.Message)

    [<Fact>]
    member _.``Slicing a float32 sequence by time step feeds a cell, and gradients reach only the steps used`` () =
        let xs = Tensor.RandomNormal<float32>([ 4; 2; 3 ], 7UL)
        let g = xs |> grad (fun xs -> (xs.[1, *] * xs.[3, *]).Sum())
        Assert.Equal<float32[]>(xs.[3, *].ToArray(), g.[1, *].ToArray())
        Assert.Equal<float32[]>(xs.[1, *].ToArray(), g.[3, *].ToArray())
        Assert.True(g.[0, *].ToArray() |> Array.forall ((=) 0.0f))

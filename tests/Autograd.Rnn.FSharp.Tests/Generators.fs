/// Shapes and values for the F# properties, in one place.
module Autograd.Rnn.FSharp.Tests.Generators

open FsCheck
open FsCheck.FSharp
open Autograd.Rnn

/// The sizes of a small one-layer network problem (each dimension 1..5) and a seed for its values.
type Problem = { Batch: int; Inputs: int; Hidden: int; Seed: uint64 }

/// A finite scalar in [-3, 3] with two decimals: FsCheck's own floats include NaN and ±∞.
type Small = Small of float

let private dimension = Gen.choose (1, 5)

let private seed = Gen.choose (0, System.Int32.MaxValue) |> Gen.map uint64

/// Registered with `[<Property(Arbitrary = [| typeof<Arbitraries> |])>]`.
type Arbitraries =
    static member Problem() : Arbitrary<Problem> =
        gen {
            let! batch = dimension
            let! inputs = dimension
            let! hidden = dimension
            let! seed = seed
            return { Batch = batch; Inputs = inputs; Hidden = hidden; Seed = seed }
        }
        |> Arb.fromGen

    static member Small() : Arbitrary<Small> =
        Gen.choose (-300, 300) |> Gen.map (fun i -> Small(float i / 100.0)) |> Arb.fromGen

/// The inputs, targets and parameters of a problem, drawn from its seed (double precision, for gradient checks).
let draw (problem: Problem) =
    let x = Tensor.RandomNormal<float>([| problem.Batch; problem.Inputs |], problem.Seed)
    let y = Tensor.RandomNormal<float>([| problem.Batch; 1 |], problem.Seed + 1UL)
    let parameters =
        Params.Create [ "w", Tensor.RandomNormal<float>([| problem.Inputs; problem.Hidden |], problem.Seed + 2UL, standardDeviation = 0.5)
                        "b", Tensor.RandomNormal<float>([| problem.Hidden |], problem.Seed + 3UL, standardDeviation = 0.1)
                        "v", Tensor.RandomNormal<float>([| problem.Hidden; 1 |], problem.Seed + 4UL, standardDeviation = 0.5) ]
    x, y, parameters

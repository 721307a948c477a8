// Checking a new recurrent cell with the property-test kit (Autograd.Rnn.Testing): the minimal gated unit of Zhou et
// al. (2016) is checked the way the built-in cells are — gradients against finite differences through the unroll,
// NaN padding that must reach nothing, a stacked bidirectional layer, float32 against double — and then a copy of it
// with a deliberate mistake (a StopGradient on its gate) is shown to fail, with the case and the entry that gave it away.
//
//   dotnet build src/Autograd.Rnn.Testing -c Release      (builds the library too)
//   dotnet fsi examples/fsharp/check-cell.fsx            (--quick: fewer generated cases, what CI runs)
//
// Exits with code 1 when the correct cell fails or the wrong one passes.

#r "nuget: System.Numerics.Tensors, 10.0.0"
#r "nuget: FsCheck, 3.6.0"
#r "../../src/Autograd.Rnn/bin/Release/net10.0/Autograd.Rnn.dll"
#r "../../src/Autograd.Rnn.Testing/bin/Release/net10.0/Autograd.Rnn.Testing.dll"

open Autograd.Rnn
open Autograd.Rnn.Testing

let quick = fsi.CommandLineArgs |> Array.contains "--quick"

/// f = σ(x·W_fᵀ + h·U_fᵀ + b_f);  h̃ = tanh(x·W_hᵀ + (f ⊙ h)·U_hᵀ + b_h);  h' = h + f ⊙ (h̃ − h)
/// With detachGate, the update uses StopGradient(f): the same values, a wrong gradient.
let mgu (detachGate: bool) (p: Params<'T>) (h: Tensor<'T>) (x: Tensor<'T>) =
    let f = Tensor.Sigmoid(Tensor.MatMulTransposeB(x, p.["w_f"]) + Tensor.MatMulTransposeB(h, p.["u_f"]) + p.["b_f"])
    let candidate = tanh (Tensor.MatMulTransposeB(x, p.["w_h"]) + Tensor.MatMulTransposeB(f * h, p.["u_h"]) + p.["b_h"])
    h + (if detachGate then Tensor.StopGradient f else f) * (candidate - h)

let initialize (inputSize: int) (hiddenSize: int) (seed: uint64) : Params<'T> =
    Params.Create [ "w_f", Init.PyTorchDefault<'T>([| hiddenSize; inputSize |], hiddenSize, seed)
                    "u_f", Init.Orthogonal<'T>(hiddenSize, hiddenSize, seed + 1UL)
                    "b_f", Tensor.Ones<'T> hiddenSize
                    "w_h", Init.PyTorchDefault<'T>([| hiddenSize; inputSize |], hiddenSize, seed + 2UL)
                    "u_h", Init.Orthogonal<'T>(hiddenSize, hiddenSize, seed + 3UL)
                    "b_h", Tensor.Zeros<'T> hiddenSize ]

// One definition, both element types: the kit checks the double cell and compares the float32 one with it.
let cell detachGate : Cell<'T> =
    Cell.FromFunction((if detachGate then "MGU (gate detached)" else "MGU"), (fun p h x -> mgu detachGate p h x), (fun i h s -> initialize i h s))

let options = CellCheckOptions.Default.WithCases(if quick then 3 else 8)

let correct = CellChecks.Run(cell false, cell false, options)
printfn "%O" correct

let wrong = CellChecks.Run(cell true, cell true, options)
printfn "%O" wrong

if not correct.Passed then
    eprintfn "the minimal gated unit failed the kit's checks"
    exit 1
if wrong.Passed then
    eprintfn "the kit did not catch the detached gate"
    exit 1
printfn "the correct cell passed %d checks; the detached gate failed %s" correct.Checks.Count
    (wrong.Failures |> Seq.map (fun f -> string f.Check) |> String.concat " and ")

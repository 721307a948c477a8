// Function transforms from F#: a Jacobian-vector product in one forward pass, a Hessian, per-example gradients of a
// model written as an F# record (one batched pass with vmap, checked against one grad call per example), and that
// record trained with Adam and saved as a checkpoint. Each check prints what it compares; the script exits with code 1
// when one fails. --quick trains for fewer steps (CI).
//
//   dotnet build src/Autograd.Rnn.FSharp -c Release      (builds the library too)
//   dotnet fsi examples/fsharp/transforms.fsx [--quick]

#r "nuget: System.Numerics.Tensors, 10.0.0"
#r "../../src/Autograd.Rnn/bin/Release/net10.0/Autograd.Rnn.dll"
#r "../../src/Autograd.Rnn.FSharp/bin/Release/net10.0/Autograd.Rnn.FSharp.dll"

open System.IO
open Autograd.Rnn
open Autograd.Rnn.FSharp

let quick = fsi.CommandLineArgs |> Array.contains "--quick"
let mutable failures = 0

let check name (passed: bool) detail =
    printfn "%s %s: %s" (if passed then "ok  " else "FAIL") name detail
    if not passed then failures <- failures + 1

let close (expected: Tensor<float>) (actual: Tensor<float>) = actual.AllClose(expected, 1e-9, 1e-12)

// ---- Forward mode: J·v without forming J ----
let w = Tensor.RandomNormal<float>([| 4; 3 |], 1UL, standardDeviation = 0.5)
let f (x: Tensor<float>) = (tanh (w.MatMul(x.Reshape(3, 1)))).Reshape(4)
let x = Tensor.FromArray [| 0.5; -1.0; 2.0 |]
let v = Tensor.FromArray [| 1.0; 0.5; -2.0 |]
let forward = jvp f x v
let jacobianTimesV = (jacobian f x).MatMul(v.Reshape(3, 1)).Reshape(4)
check "jvp" (close jacobianTimesV forward.Tangent) (sprintf "J·v = %O (the Jacobian times v: %O)" forward.Tangent jacobianTimesV)

// ---- A Hessian, and forward over reverse ----
let energy (x: Tensor<float>) = (f x * f x).Sum() + (x * x * x).Sum() * 0.1
let h = hessian energy x
check "Hessian symmetric" (close h (h.Transpose())) (sprintf "H = %O" h)
check "jvp of grad = H·v" (close (h.MatMul(v.Reshape(3, 1)).Reshape(3)) (jvp (grad energy) x v).Tangent) "forward over reverse"

// ---- A model as a record, and per-example gradients with vmap ----
type Model = { hidden: Params<float>; outputWeight: Tensor<float> }

let model =
    { hidden = Params.Create [ "weight", Tensor.RandomNormal<float>([| 3; 5 |], 2UL, standardDeviation = 0.5)
                               "bias", Tensor.Zeros 5 ]
      outputWeight = Tensor.RandomNormal<float>([| 5; 1 |], 3UL, standardDeviation = 0.5) }

/// One example's squared error: x [3], y [1].
let exampleLoss (m: Model) (x: Tensor<float>) (y: Tensor<float>) =
    let hidden = tanh (x.Reshape(1, 3).MatMul m.hidden.["weight"] + m.hidden.["bias"])
    let error = hidden.MatMul(m.outputWeight).Reshape(1) - y
    (error * error).Sum()

let examples = 8
let xs = Tensor.RandomNormal<float>([| examples; 3 |], 4UL)
let ys = tanh (xs.Sum(1, keepDimension = true))

// One example's gradient, as the flat view of the record's gradient (names "hidden.weight", "hidden.bias", "outputWeight").
let exampleGradient x y = ParamTree.ToParams<float>(Grad.GradientTree(model, fun m -> exampleLoss m x y))

// vmapParams2 runs it once over the whole batch: each gradient gets a leading [examples] axis.
let perExample = vmapParams2 exampleGradient xs ys

let separately i = ParamTree.ToParams<float>(Grad.GradientTree(model, fun m -> exampleLoss m (xs.Unstack().[i]) (ys.Unstack().[i])))
let agree =
    [ for i in 0 .. examples - 1 do
          for KeyValue(name, g) in separately i -> close g (perExample.[name].Unstack().[i]) ]
    |> List.forall id
check "per-example gradients" agree
    (sprintf "%d examples in one vmap pass equal %d separate grad calls; hidden.weight gradients %A" examples examples perExample.["hidden.weight"].Shape)

// ---- Training the record with Adam, then a checkpoint of it ----
let batchLoss (m: Model) = Tensor.Mean(vmap2 (exampleLoss m) xs ys)
let optimizer = Optimizer.Adam(AdamOptions.Default.WithLearningRate 0.05)
let steps = if quick then 10 else 100
let trained, _ =
    Seq.fold (fun (m, state) _ ->
        let g = Grad.ValueAndGradTree(m, batchLoss)
        let next = optimizer.UpdateTree(m, g.Gradients, state)
        next.Parameters, next.State) (model, optimizer.InitTree<float> model) [ 1 .. steps ]
let before, after = (batchLoss model).Item, (batchLoss trained).Item
check "training lowers the loss" (after < before) (sprintf "%d Adam steps over the record: %.5f -> %.5f" steps before after)

let path = Path.Combine(Path.GetTempPath(), sprintf "transforms-%d.safetensors" (System.Environment.ProcessId))
Checkpoint.SaveTree(path, trained)
let loaded = Checkpoint.LoadTree(path, model)
File.Delete path
check "checkpoint round trip" ((batchLoss loaded).Item = after) "the loaded record gives the trained loss exactly"

printfn "transforms: %d checks failed" failures
if failures > 0 then exit 1

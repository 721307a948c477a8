// The packages as shipped, from an F# script: a gradient taken by the packed library, checked against the analytic one,
// and the same gradient through the packed F# companion (Autograd.Rnn.FSharp: a slice and the curried grad).
// A template: .ci/run replaces the feed folder, the version and the commit below (one copy per run, next to the local
// feed) and runs the copy with a fresh NUGET_PACKAGES folder (docs/packaging.md). Exits with 1 on a mismatch, and when
// the library was not loaded from that folder or was built from another commit (a stale copy of the same version).

#i "nuget: @FEED@"
#r "nuget: Autograd.Rnn, @VERSION@"
#r "nuget: Autograd.Rnn.FSharp, @VERSION@"

open System.Reflection
open Autograd.Rnn
open Autograd.Rnn.FSharp

let expectedVersion = "@INFORMATIONAL_VERSION@"
let packagesFolder = System.Environment.GetEnvironmentVariable "NUGET_PACKAGES"
let library = typeof<Params<float>>.Assembly
let version = library.GetCustomAttribute<AssemblyInformationalVersionAttribute>().InformationalVersion
printfn "Autograd.Rnn %s from %s" version library.Location

// L(w) = Σ tanh(x ⊙ w) · w, elementwise over x, w [4]: dL/dw = tanh(x w) + x w (1 − tanh²(x w)).
let xs = [| 0.5; -1.0; 1.5; 0.25 |]
let ws = [| 0.3; 0.7; -0.4; 2.0 |]
let x = Tensor.FromArray(xs, 4)
let result = Grad.ValueAndGrad(Tensor.FromArray(ws, 4), fun w -> (tanh (x * w) * w).Sum())
let expected = Array.map2 (fun x w -> tanh (x * w) + x * w * (1.0 - tanh (x * w) ** 2.0)) xs ws
let worst = Array.map2 (fun g e -> abs (g - e)) (result.Gradient.ToArray()) expected |> Array.max
printfn "loss %.6f; dL/dw %O; largest difference from the analytic gradient %.2e" result.Value.Item result.Gradient worst

// Through the companion: w as row 1 of a [2, 4] tensor, sliced out (x.[1, *]) and differentiated by the curried grad.
let companion = typeof<Scalar>.Assembly
let companionVersion = companion.GetCustomAttribute<AssemblyInformationalVersionAttribute>().InformationalVersion
let stacked = Tensor.Stack [ Tensor.FromArray(xs, 4); Tensor.FromArray(ws, 4) ]
let throughSlice = stacked |> grad (fun s -> (tanh (x * s.[1, *]) * s.[1, *]).Sum())
let worstSlice = Array.map2 (fun g e -> abs (g - e)) (throughSlice.[1, *].ToArray()) expected |> Array.max
printfn "Autograd.Rnn.FSharp %s from %s; largest difference through a slice %.2e" companionVersion companion.Location worstSlice

let failures =
    [ if version <> expectedVersion then sprintf "the library's version is %s, expected %s" version expectedVersion
      if companionVersion <> expectedVersion then sprintf "the companion's version is %s, expected %s" companionVersion expectedVersion
      for loaded in [ library; companion ] do
          if isNull packagesFolder || not (loaded.Location.StartsWith(packagesFolder + "/")) then
              sprintf "%s was loaded from %s, not from NUGET_PACKAGES (%s)" (loaded.GetName().Name) loaded.Location packagesFolder
      if throughSlice.[0, *].ToArray() |> Array.exists ((<>) 0.0) then "the slice leaked gradient into the row it did not use"
      if not (worstSlice <= 1e-12) then sprintf "the gradient through the slice differs from the analytic one by %.2e" worstSlice
      if not (worst <= 1e-12) then sprintf "the gradient differs from the analytic one by %.2e" worst ]
for failure in failures do printfn "FAILED: %s" failure
if failures.IsEmpty then printfn "package smoke test (F#): passed" else exit 1

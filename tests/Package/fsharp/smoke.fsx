// The package as shipped, from an F# script: a gradient taken by the packed library, checked against the analytic one.
// A template: .ci/run replaces the feed folder, the version and the commit below (one copy per run, next to the local
// feed) and runs the copy with a fresh NUGET_PACKAGES folder (docs/packaging.md). Exits with 1 on a mismatch, and when
// the library was not loaded from that folder or was built from another commit (a stale copy of the same version).

#i "nuget: @FEED@"
#r "nuget: Autograd.Rnn, @VERSION@"

open System.Reflection
open Autograd.Rnn

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

let failures =
    [ if version <> expectedVersion then sprintf "the library's version is %s, expected %s" version expectedVersion
      if isNull packagesFolder || not (library.Location.StartsWith(packagesFolder + "/")) then
          sprintf "the library was loaded from %s, not from NUGET_PACKAGES (%s)" library.Location packagesFolder
      if not (worst <= 1e-12) then sprintf "the gradient differs from the analytic one by %.2e" worst ]
for failure in failures do printfn "FAILED: %s" failure
if failures.IsEmpty then printfn "package smoke test (F#): passed" else exit 1

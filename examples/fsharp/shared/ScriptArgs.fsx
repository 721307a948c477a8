/// What the example scripts with options share: their command line (`--quick`, `--seed N`) and the lookup of a data set
/// in examples/data. Loaded with `#load "shared/ScriptArgs.fsx"`; it lives in a folder of its own so that CI, which runs
/// every examples/fsharp/*.fsx as an example, does not run it.
module ScriptArgs

open System
open System.IO

/// The script's own arguments (fsi's first one is the script's path).
let args = fsi.CommandLineArgs |> Array.skip 1

/// `--quick`: the same code on tiny sizes, in seconds (what CI runs).
let quick = args |> Array.contains "--quick"

/// `--seed N` (default 1): the seed of every random source in the script.
let seed =
    match Array.tryFindIndex ((=) "--seed") args with
    | Some i when i + 1 < args.Length -> UInt64.Parse args.[i + 1]
    | _ -> 1UL

/// The path of examples/data/<name>, found by walking up from the scripts' folder (or a data/ folder beside them).
let dataFile (name: string) =
    let rec search (directory: DirectoryInfo) =
        if isNull directory then failwithf "examples/data/%s not found above the script" name
        else
            let candidates = [ Path.Combine(directory.FullName, "examples", "data", name)
                               Path.Combine(directory.FullName, "data", name) ]
            match candidates |> List.tryFind File.Exists with
            | Some path -> path
            | None -> search directory.Parent
    search (DirectoryInfo __SOURCE_DIRECTORY__)

using System.Numerics;
using System.Reflection;

namespace Autograd.Rnn;

// Checkpoints of parameter trees: the file holds the tree's Params<T> view, so its names are the dotted paths
// (`encoder.weight_ih_l0`) and any safetensors reader sees an ordinary state_dict. The element type is read from the
// tree's tensors, so neither method needs it spelt out.
public static partial class Checkpoint
{
    /// <summary>
    /// Writes the tensors of <paramref name="tree"/> (a record, class or collection of tensors; see <see cref="ParamTree"/>)
    /// to <paramref name="path"/> under their dotted paths, as <see cref="Save{T}"/> writes <see cref="ParamTree.ToParams{T}"/>
    /// of it (atomically, F32 for float trees and F64 for double ones).
    /// </summary>
    /// <exception cref="ArgumentException">The tree holds something a tree may not (the message names the path), or anything <see cref="Save{T}"/> refuses.</exception>
    /// <exception cref="IOException">The file cannot be written; <paramref name="path"/> is left as it was.</exception>
    public static void SaveTree(string path, object tree, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(tree);
        Dispatch(nameof(SaveTreeOf), ParamTree.ElementType(tree), [], [path, tree, metadata]);
    }

    /// <summary>
    /// Reads the file at <paramref name="path"/> into a tree of <paramref name="template"/>'s type and constants: the file
    /// must hold exactly the template's dotted paths with the template's shapes (checked before any value is read, as
    /// <see cref="Load{T}(string, Params{T}, bool)"/> checks them).
    /// </summary>
    /// <param name="path">The safetensors file.</param>
    /// <param name="template">Gives the types, paths, shapes, element type and constants (typically a freshly initialised model); its values are not used.</param>
    /// <param name="convertDtype">Whether tensors of the other float type are converted; if false they are refused.</param>
    /// <exception cref="CheckpointFormatException">The file is not a valid safetensors file.</exception>
    /// <exception cref="CheckpointMismatchException">Paths are missing or unexpected, or shapes or dtypes differ; the message lists every such name.</exception>
    public static TTree LoadTree<TTree>(string path, TTree template, bool convertDtype = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(template);
        return (TTree)Dispatch(nameof(LoadTreeOf), ParamTree.ElementType(template), [typeof(TTree)], [path, template, convertDtype])!;
    }

    private static void SaveTreeOf<T>(string path, object tree, IReadOnlyDictionary<string, string>? metadata)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Save(path, ParamTree.ToParams<T>(tree), metadata);

    private static TTree LoadTreeOf<TTree, T>(string path, TTree template, bool convertDtype) where T : unmanaged, IFloatingPointIeee754<T> =>
        ParamTree.Rebuild(template, Load(path, ParamTree.ToParams<T>(template!), convertDtype), "Checkpoint.LoadTree");

    // The element type is only known at run time; exceptions pass through unwrapped.
    private static object? Dispatch(string method, Type element, Type[] before, object?[] arguments) =>
        typeof(Checkpoint).GetMethod(method, BindingFlags.NonPublic | BindingFlags.Static)!
            .MakeGenericMethod([.. before, element])
            .Invoke(null, BindingFlags.DoNotWrapExceptions, null, arguments, null);
}

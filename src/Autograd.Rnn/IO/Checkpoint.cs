using System.Collections.ObjectModel;
using System.Numerics;

namespace Autograd.Rnn;

/// <summary>
/// Saves and loads <see cref="Params{T}"/> as safetensors files, the format PyTorch, Hugging Face and JAX tools read.
/// Names are the <c>state_dict</c> keys (<c>weight_ih_l0</c>, …), so weights move between this library and PyTorch.
/// </summary>
/// <remarks>
/// <para>float tensors are stored as <c>F32</c>, double as <c>F64</c>, little-endian and row-major, in the order of
/// the <see cref="Params{T}"/>. Values are copied bit for bit: NaN payloads, infinities and −0 come back unchanged.</para>
/// <para>Saving is atomic: the file is written beside <c>path</c> under a temporary name, flushed to disk and renamed
/// over <c>path</c>, so a crash or an exception leaves either the previous file or the complete new one, and the
/// temporary file is deleted when anything fails. A process killed mid-save cannot delete its temporary file
/// (<c>.{name}.{guid}.tmp</c> beside <c>path</c>); the next save to the same path deletes such files once they are
/// 30 s old and no save holds them open.</para>
/// <para>Loading validates the whole header before reading any value; a file that breaks the format throws
/// <see cref="CheckpointFormatException"/> naming the problem, and a well-formed file that does not hold what the
/// caller expected throws <see cref="CheckpointMismatchException"/> listing every difference.</para>
/// <para>Element types are never converted silently: loading an F64 file as float (or F32 as double) is refused
/// unless <c>convertDtype</c> is true, in which case F64 values are rounded to the nearest float and F32 values are
/// widened exactly (NaN payloads may then change).</para>
/// </remarks>
public static partial class Checkpoint
{
    /// <summary>
    /// Writes <paramref name="parameters"/> to <paramref name="path"/> (conventionally <c>*.safetensors</c>), replacing
    /// any file there atomically, with optional <paramref name="metadata"/> stored under <c>__metadata__</c>.
    /// </summary>
    /// <exception cref="ArgumentException">
    /// The file would be one <see cref="Load{T}(string, bool)"/> refuses, so nothing is written: a tensor is named
    /// <c>__metadata__</c>; a name, metadata key or value holds an unpaired surrogate (no UTF-8 form); a metadata key or
    /// value is null or a key is enumerated twice; or the header would exceed 100 MB (huge metadata).
    /// </exception>
    /// <exception cref="IOException">The file cannot be written (the directory does not exist, the disk is full, …); <paramref name="path"/> is left as it was.</exception>
    public static void Save<T>(string path, Params<T> parameters, IReadOnlyDictionary<string, string>? metadata = null)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        SafetensorsWriter.Write(path, parameters, metadata);

    /// <summary>
    /// Writes several named groups to one file, e.g. the model and the optimizer state
    /// (<c>{ "" : model, "optimizer" : adamState.ToParams() }</c>): a group's tensors are stored as
    /// <c>{group}.{name}</c>, and the group named <c>""</c> without a prefix. Read them back with
    /// <see cref="LoadGroups{T}"/>, or with <see cref="Load{T}(string, bool)"/> followed by <see cref="Params{T}.Select"/>.
    /// </summary>
    /// <exception cref="ArgumentException">Two groups have the same name, or two stored names coincide.</exception>
    public static void SaveGroups<T>(string path, IEnumerable<KeyValuePair<string, Params<T>>> groups,
        IReadOnlyDictionary<string, string>? metadata = null) where T : unmanaged, IFloatingPointIeee754<T> =>
        SafetensorsWriter.Write(path, Join(groups, "Checkpoint.SaveGroups"), metadata);

    /// <summary>
    /// Reads every tensor of the file at <paramref name="path"/>, in the order their values lie in the file (for files
    /// written by <see cref="Save{T}"/>, the order they were saved in).
    /// </summary>
    /// <param name="path">The safetensors file.</param>
    /// <param name="convertDtype">Whether tensors of the other float type (F64 when <typeparamref name="T"/> is float, F32 when double) are converted; if false they are refused.</param>
    /// <exception cref="CheckpointFormatException">
    /// The file is not a valid safetensors file, or holds dtypes other than F32 and F64, or the path is a directory, FIFO,
    /// socket or device (refused without opening it, so a FIFO never blocks).
    /// </exception>
    /// <exception cref="CheckpointMismatchException">A tensor has the other float type and <paramref name="convertDtype"/> is false.</exception>
    /// <exception cref="IOException">The file cannot be opened or read (<see cref="FileNotFoundException"/>, …); <see cref="UnauthorizedAccessException"/> without permission.</exception>
    public static Params<T> Load<T>(string path, bool convertDtype = false) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = OpenRead(path);
        return Read<T>(path, stream, expected: null, convertDtype);
    }

    /// <summary>
    /// Reads the file at <paramref name="path"/> into parameters shaped like <paramref name="expected"/> (typically a
    /// freshly initialised model), in <paramref name="expected"/>'s order. The file must hold exactly the expected
    /// names with the expected shapes; nothing is read unless it does.
    /// </summary>
    /// <param name="path">The safetensors file.</param>
    /// <param name="expected">The names and shapes required; its values are not used.</param>
    /// <param name="convertDtype">Whether tensors of the other float type are converted; if false they are refused.</param>
    /// <exception cref="CheckpointFormatException">The file is not a valid safetensors file, or holds dtypes other than F32 and F64.</exception>
    /// <exception cref="CheckpointMismatchException">
    /// Names are missing or unexpected, shapes differ, or dtypes differ without <paramref name="convertDtype"/>;
    /// the message lists every such name.
    /// </exception>
    public static Params<T> Load<T>(string path, Params<T> expected, bool convertDtype = false) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(expected);
        using var stream = OpenRead(path);
        return Read(path, stream, expected, convertDtype);
    }

    /// <summary>
    /// Reads a checkpoint from <paramref name="stream"/> (seekable, positioned at the file's start); <paramref name="path"/>
    /// only names it in messages. <paramref name="expected"/> null reads every tensor in file order, as
    /// <see cref="Load{T}(string, bool)"/> does; otherwise as <see cref="Load{T}(string, Params{T}, bool)"/>.
    /// The fuzz tests call this on byte arrays, so they need no file per case.
    /// </summary>
    internal static Params<T> Read<T>(string path, Stream stream, Params<T>? expected, bool convertDtype)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var header = SafetensorsHeader.Read(path, stream);
        RequireMatch(path, header.Entries, expected, convertDtype);
        var result = Params<T>.Empty;
        if (expected is null)
        {
            foreach (var entry in header.Entries) result = result.Add(entry.Name, ReadTensor<T>(path, stream, header.DataStart, entry));
            return result;
        }
        var byName = header.Entries.ToDictionary(e => e.Name, StringComparer.Ordinal);
        foreach (var name in expected.Names) result = result.Add(name, ReadTensor<T>(path, stream, header.DataStart, byName[name]));
        return result;
    }

    /// <summary>
    /// Reads a file written by <see cref="SaveGroups{T}"/> back into its groups, each validated against the expected
    /// group of the same name (names and shapes, as in <see cref="Load{T}(string, Params{T}, bool)"/>; the file must
    /// hold exactly the expected groups). The result maps each group name to its tensors, prefix removed.
    /// </summary>
    /// <exception cref="CheckpointFormatException">The file is not a valid safetensors file.</exception>
    /// <exception cref="CheckpointMismatchException">The file does not hold exactly the expected names and shapes (names are reported with their group prefix).</exception>
    public static IReadOnlyDictionary<string, Params<T>> LoadGroups<T>(string path, IEnumerable<KeyValuePair<string, Params<T>>> expectedGroups,
        bool convertDtype = false) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(expectedGroups);
        var groups = expectedGroups.ToList();
        var all = Load(path, Join(groups, "Checkpoint.LoadGroups"), convertDtype);
        var result = new Dictionary<string, Params<T>>(StringComparer.Ordinal);
        foreach (var (group, template) in groups)
        {
            var tensors = Params<T>.Empty;
            foreach (var name in template.Names) tensors = tensors.Add(name, all[Prefix(group) + name]);
            result.Add(group, tensors);
        }
        return new ReadOnlyDictionary<string, Params<T>>(result);
    }

    /// <summary>The <c>__metadata__</c> strings of the file (empty when it has none). The header is validated; no values are read.</summary>
    /// <exception cref="CheckpointFormatException">The file is not a valid safetensors file.</exception>
    public static IReadOnlyDictionary<string, string> ReadMetadata(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = OpenRead(path);
        return SafetensorsHeader.Read(path, stream).Metadata;
    }

    /// <summary>
    /// The tensors the file describes (name, dtype, shape, byte range), in the order their values lie in the file.
    /// The header is validated; no values are read. Useful to inspect a checkpoint before loading it.
    /// </summary>
    /// <exception cref="CheckpointFormatException">The file is not a valid safetensors file.</exception>
    public static IReadOnlyList<CheckpointEntry> ReadEntries(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = OpenRead(path);
        return SafetensorsHeader.Read(path, stream).Entries;
    }

    /// <summary>
    /// Opens a checkpoint for reading, refusing what is not a regular file before opening it: opening a FIFO blocks
    /// until some writer appears, and a device never ends. .NET exposes no file type without opening, but it does
    /// report a directory, and a FIFO, socket or device has no length (its size is 0) while a checkpoint has at least
    /// 8 bytes, so a length under 8 is refused unopened. A non-seekable stream after opening (the path was replaced
    /// by a FIFO with a writer meanwhile) is refused too.
    /// </summary>
    private static FileStream OpenRead(string path)
    {
        FileSystemInfo info = new FileInfo(path);
        // A symbolic link reports its own length (that of the target's path): judge what it finally points to.
        if (info.LinkTarget is not null) info = info.ResolveLinkTarget(returnFinalTarget: true) ?? info;
        if (info is DirectoryInfo || (!info.Exists && Directory.Exists(path)))
            throw SafetensorsHeader.Fail(path, "it is a directory; a checkpoint must be a regular file.");
        if (info is FileInfo { Exists: true } file && file.Length < 8)
            throw SafetensorsHeader.Fail(path, $"the file is {file.Length} bytes long, shorter than the 8-byte header length every safetensors file " +
                                               "starts with; it was not opened (a FIFO, socket or device reports no length, and a checkpoint must be a regular file).");
        // Missing files and unreadable ones fail here with the usual FileNotFoundException, UnauthorizedAccessException, ….
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, bufferSize: 1 << 16); // Delete: a Save may rename over it meanwhile (Windows)
        if (stream.CanSeek) return stream;
        stream.Dispose();
        throw SafetensorsHeader.Fail(path, "it is not a regular file (a pipe, socket or device); a checkpoint must be a regular file.");
    }

    private static string Prefix(string group) => group.Length == 0 ? "" : group + ".";

    /// <summary>The groups as one collection of prefixed names.</summary>
    private static Params<T> Join<T>(IEnumerable<KeyValuePair<string, Params<T>>> groups, string operation)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(groups);
        var seenGroups = new HashSet<string>(StringComparer.Ordinal);
        var owner = new Dictionary<string, string>(StringComparer.Ordinal);
        var result = Params<T>.Empty;
        foreach (var (group, tensors) in groups)
        {
            ArgumentNullException.ThrowIfNull(group);
            ArgumentNullException.ThrowIfNull(tensors);
            if (!seenGroups.Add(group)) throw new ArgumentException($"{operation}: the group '{group}' is given twice.", nameof(groups));
            foreach (var (name, tensor) in tensors)
            {
                string stored = Prefix(group) + name;
                if (!owner.TryAdd(stored, group))
                    throw new ArgumentException($"{operation}: '{name}' of group '{group}' would be stored as '{stored}', which group '{owner[stored]}' already uses.", nameof(groups));
                result = result.Add(stored, tensor);
            }
        }
        return result;
    }

    /// <summary>
    /// Throws one <see cref="CheckpointMismatchException"/> listing every dtype, name and shape difference between
    /// the file's entries and what the caller wants (<paramref name="expected"/> null: any names and shapes).
    /// </summary>
    private static void RequireMatch<T>(string path, IReadOnlyList<CheckpointEntry> entries, Params<T>? expected, bool convertDtype)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        string wanted = SafetensorsWriter.Dtype<T>();
        var problems = new List<string>();
        var missing = new List<string>();
        var unexpected = new List<string>();
        var mismatchedShapes = new List<string>();
        var otherDtype = new List<string>();
        var inFile = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            inFile.Add(entry.Name);
            if (expected is not null && !expected.Contains(entry.Name))
            {
                unexpected.Add(entry.Name);
                continue;
            }
            if (expected is not null && expected[entry.Name].Shape != entry.Shape)
            {
                mismatchedShapes.Add(entry.Name);
                problems.Add($"shape differs: '{entry.Name}' is {entry.Shape} in the file, {expected[entry.Name].Shape} expected");
            }
            if (entry.Dtype != wanted && !convertDtype) otherDtype.Add(entry.Name);
        }
        if (expected is not null)
            foreach (var name in expected.Names)
                if (!inFile.Contains(name)) missing.Add(name);

        if (missing.Count > 0) problems.Insert(0, $"missing: {Quote(missing)}");
        if (unexpected.Count > 0) problems.Insert(missing.Count > 0 ? 1 : 0, $"unexpected: {Quote(unexpected)}");
        if (otherDtype.Count > 0)
            problems.Add($"dtype differs: {Quote(otherDtype)} {(otherDtype.Count == 1 ? "is" : "are")} {(wanted == "F32" ? "F64" : "F32")} in the file " +
                         $"but {typeof(T).Name} ({wanted}) was asked for; pass convertDtype: true to convert them");
        if (problems.Count == 0) return;
        string message = expected is null
            ? $"the checkpoint cannot be loaded as {typeof(T).Name}: {string.Join("; ", problems)}."
            : $"the checkpoint does not match the expected parameters ({problems.Count} {(problems.Count == 1 ? "problem" : "problems")}):" +
              Environment.NewLine + "  " + string.Join(Environment.NewLine + "  ", problems);
        throw new CheckpointMismatchException(path, message, missing, unexpected, mismatchedShapes);
    }

    private static string Quote(IEnumerable<string> names) => string.Join(", ", names.Select(n => $"'{n}'"));

    private static Tensor<T> ReadTensor<T>(string path, Stream stream, long dataStart, CheckpointEntry entry)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        stream.Position = dataStart + entry.Begin;
        try
        {
            if (entry.Dtype == SafetensorsWriter.Dtype<T>()) return Own(ReadValues<T>(stream, entry.Shape.Size), entry.Shape);
            // Conversion was asked for (RequireMatch refused it otherwise): F32 widens exactly, F64 rounds to nearest.
            var data = new T[entry.Shape.Size];
            if (entry.Dtype == "F32")
            {
                var values = ReadValues<float>(stream, data.Length);
                for (int i = 0; i < data.Length; i++) data[i] = T.CreateTruncating(values[i]);
            }
            else
            {
                var values = ReadValues<double>(stream, data.Length);
                for (int i = 0; i < data.Length; i++) data[i] = T.CreateTruncating(values[i]);
            }
            return Own(data, entry.Shape);
        }
        catch (EndOfStreamException e)
        {
            // The header was checked against the file's length, so only a file cut while being read gets here.
            throw new CheckpointFormatException(path, $"tensor '{entry.Name}': the file ended before its values did (truncated while reading?).", e);
        }
    }

    /// <summary>A tensor taking ownership of a freshly read buffer (no copy: nothing else holds it).</summary>
    private static Tensor<T> Own<T>(T[] data, Shape shape) where T : unmanaged, IFloatingPointIeee754<T> => new(new NdArray<T>(data, shape));

    private static TValue[] ReadValues<TValue>(Stream stream, int count) where TValue : unmanaged
    {
        var values = new TValue[count];
        // In chunks: a tensor's bytes can exceed the 2 GB a Span<byte> can address.
        for (int start = 0; start < count; start += Endianness.ChunkElements)
        {
            var bytes = System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan(start, Math.Min(Endianness.ChunkElements, count - start)));
            stream.ReadExactly(bytes);
            if (!BitConverter.IsLittleEndian) Endianness.Swap(bytes, System.Runtime.CompilerServices.Unsafe.SizeOf<TValue>());
        }
        return values;
    }
}

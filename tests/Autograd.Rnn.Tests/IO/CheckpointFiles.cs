using System.Buffers.Binary;
using System.Text;

namespace Autograd.Rnn.Tests.IO;

/// <summary>
/// A scratch directory for checkpoint tests, deleted on dispose, and helpers that build safetensors files byte by
/// byte from the format's specification (length prefix, JSON header, little-endian values) without our writer.
/// </summary>
public sealed class CheckpointFiles : IDisposable
{
    public CheckpointFiles()
    {
        Directory = Path.Combine(Path.GetTempPath(), "autograd-rnn-io-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
    }

    public string Directory { get; }

    public string PathOf(string name) => Path.Combine(Directory, name);

    /// <summary>Files in the directory other than <paramref name="except"/> (used to prove no temporary file is left).</summary>
    public string[] OtherFiles(params string[] except) =>
        System.IO.Directory.GetFiles(Directory).Select(Path.GetFileName).Where(n => !except.Contains(n)).ToArray()!;

    /// <summary>Writes a file: 8-byte little-endian header length, the UTF-8 header, then <paramref name="data"/>.</summary>
    public string Write(string name, string header, byte[] data, ulong? declaredLength = null) =>
        WriteBytes(name, Assemble(header, data, declaredLength));

    public string WriteBytes(string name, byte[] bytes)
    {
        string path = PathOf(name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    public static byte[] Assemble(string header, byte[] data, ulong? declaredLength = null) =>
        Assemble(Encoding.UTF8.GetBytes(header), data, declaredLength);

    public static byte[] Assemble(byte[] header, byte[] data, ulong? declaredLength = null)
    {
        var bytes = new byte[8 + header.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, declaredLength ?? (ulong)header.Length);
        header.CopyTo(bytes, 8);
        data.CopyTo(bytes, 8 + header.Length);
        return bytes;
    }

    public static byte[] LittleEndian(params float[] values)
    {
        var bytes = new byte[4 * values.Length];
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(4 * i), values[i]);
        return bytes;
    }

    public static byte[] LittleEndian(params double[] values)
    {
        var bytes = new byte[8 * values.Length];
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(8 * i), values[i]);
        return bytes;
    }

    public void Dispose()
    {
        try { System.IO.Directory.Delete(Directory, recursive: true); }
        catch (IOException) { }
    }
}

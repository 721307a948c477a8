using System.Buffers.Binary;
using System.Text;
using FsCheck;
using FsCheck.Fluent;

namespace Autograd.Rnn.Tests.IO;

/// <summary>One damaged file: the bytes, the valid checkpoint they came from, and what was done to it (shown on failure).</summary>
public sealed record Corruption(CheckpointBase Base, byte[] File, string Description, IReadOnlyList<int>? DataFlips = null)
{
    public override string ToString() => $"{Base}: {Description}";
}

/// <summary>
/// FsCheck generators of damaged checkpoints. Each draws small integers and turns them into one kind of damage:
/// truncation, byte flips (anywhere, or only inside tensor values), inserted or deleted bytes, a replaced header
/// length, or edits of the header's JSON (dtype, shape, offsets, names, duplicate and missing fields, wrong types,
/// metadata, padding, a data buffer made longer or shorter).
/// </summary>
public static class CheckpointCorruptions
{
    private static readonly Gen<CheckpointBase> AnyBase = Gen.Elements(CheckpointBase.All.ToArray());

    private static readonly Gen<CheckpointBase> BaseWithData = Gen.Elements(CheckpointBase.All.Where(b => b.Data.Length > 0).ToArray());

    public static Gen<Corruption> Truncation =>
        from b in AnyBase
        from length in Gen.Choose(0, b.File.Length - 1)
        select new Corruption(b, b.File[..length], $"truncated to {length} of {b.File.Length} bytes");

    public static Gen<Corruption> ByteFlips =>
        from b in AnyBase
        from flips in Gen.Choose(1, 4).SelectMany(n => Gen.ArrayOf(Gen.Zip(Gen.Choose(0, b.File.Length - 1), Gen.Choose(1, 255)), n))
        select Flip(b, flips, dataOnly: false);

    public static Gen<Corruption> DataFlips =>
        from b in BaseWithData
        from flips in Gen.Choose(1, 4).SelectMany(n => Gen.ArrayOf(Gen.Zip(Gen.Choose(b.HeaderEnd, b.File.Length - 1), Gen.Choose(1, 255)), n))
        select Flip(b, flips, dataOnly: true);

    public static Gen<Corruption> Splices =>
        from b in AnyBase
        from position in Gen.Choose(0, b.File.Length)
        from count in Gen.Choose(-8, 8).Where(c => c != 0)
        from fill in Gen.Choose(0, 255)
        select Splice(b, position, count, (byte)fill);

    public static Gen<Corruption> HeaderLengths =>
        from b in AnyBase
        from choice in Gen.Choose(0, LengthChoices - 1)
        from high in Gen.Choose(int.MinValue, int.MaxValue)
        from low in Gen.Choose(int.MinValue, int.MaxValue)
        select WithLength(b, choice, ((ulong)(uint)high << 32) | (uint)low);

    public static Gen<Corruption> JsonEdits =>
        from b in AnyBase
        from edits in Gen.Choose(1, 3).SelectMany(n => Gen.ArrayOf(
            from op in Gen.Choose(0, HeaderEdits.Count - 1)
            from target in Gen.Choose(0, 7)
            from a in Gen.Choose(0, 1 << 20)
            from seed in Gen.Choose(0, int.MaxValue)
            select new HeaderEdit(op, target, a, seed), n))
        from padding in Gen.Frequency((6, Gen.Constant(0)), (4, Gen.Choose(1, Paddings.Length - 1)))
        from dataDelta in Gen.Frequency((8, Gen.Constant(0)), (2, Gen.Elements(-8, -4, -1, 1, 4, 8)))
        select Edit(b, edits, padding, dataDelta);

    private static Corruption Flip(CheckpointBase b, (int Position, int Mask)[] flips, bool dataOnly)
    {
        var bytes = (byte[])b.File.Clone();
        foreach (var (position, mask) in flips) bytes[position] ^= (byte)mask;
        return new Corruption(b, bytes, $"{(dataOnly ? "data " : "")}bytes flipped: {string.Join(", ", flips.Select(f => $"{f.Position}^0x{f.Mask:X2}"))}",
            dataOnly ? flips.Select(f => f.Position - b.HeaderEnd).ToArray() : null);
    }

    private static Corruption Splice(CheckpointBase b, int position, int count, byte fill)
    {
        var bytes = b.File.ToList();
        if (count > 0) bytes.InsertRange(position, Enumerable.Repeat(fill, count));
        else bytes.RemoveRange(position, Math.Min(-count, b.File.Length - position));
        return new Corruption(b, bytes.ToArray(), count > 0 ? $"{count} bytes 0x{fill:X2} inserted at {position}" : $"{-count} bytes deleted at {position}");
    }

    private const int LengthChoices = 17;

    private static Corruption WithLength(CheckpointBase b, int choice, ulong random)
    {
        ulong actual = (ulong)(b.HeaderEnd - 8), file = (ulong)b.File.Length;
        ulong length = choice switch
        {
            0 => 0, 1 => 1, 2 => 7, 3 => 8,
            4 => actual - 1, 5 => actual + 1, 6 => actual - 8, 7 => actual + 8,
            8 => file - 8, 9 => file - 7,
            10 => 100UL * 1024 * 1024, 11 => 100UL * 1024 * 1024 + 1,
            12 => 1UL << 32, 13 => 1UL << 63, 14 => ulong.MaxValue, 15 => long.MaxValue,
            _ => random,
        };
        var bytes = (byte[])b.File.Clone();
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, length);
        return new Corruption(b, bytes, $"header length {length} (actual {actual}, file {file})");
    }

    // ---- JSON edits ------------------------------------------------------------------------------------------------

    /// <summary>One edit: which operation, which member it targets, and two numbers it draws its details from.</summary>
    public sealed record HeaderEdit(int Op, int Target, int A, int Seed);

    private static readonly string[] Paddings = ["", " ", "       ", "\t", "\n", "\r\n  ", "\0", "x", ",", "}", "{}", "\u00a0", "  \0 "];

    private static Corruption Edit(CheckpointBase b, HeaderEdit[] edits, int padding, int dataDelta)
    {
        var model = b.Model.Clone();
        var done = new List<string>();
        foreach (var edit in edits)
        {
            var random = new Random(edit.Seed);
            var (name, apply) = HeaderEdits[edit.Op];
            var target = model.Members.Count == 0 ? null : model.Members[edit.Target % model.Members.Count];
            done.Add(name + ": " + apply(new EditContext(model, target, edit.A, random, b.Data.Length)));
        }
        var header = Encoding.UTF8.GetBytes(model.Render() + Paddings[padding]);
        var data = dataDelta >= 0 ? [.. b.Data, .. Enumerable.Repeat((byte)0xAB, dataDelta)] : b.Data[..Math.Max(0, b.Data.Length + dataDelta)];
        var bytes = CheckpointFiles.Assemble(header, data);
        string description = string.Join("; ", done) + (padding > 0 ? $"; padded with {Escape(Paddings[padding])}" : "") +
                             (dataDelta != 0 ? $"; data {dataDelta:+0;-0} bytes" : "") + $" => {Escape(Encoding.UTF8.GetString(header))}";
        return new Corruption(b, bytes, description);
    }

    private static string Escape(string text) => CheckpointBase.Quote(text.Length > 400 ? text[..400] + "…" : text);

    private sealed record EditContext(HeaderModel Model, Member? Target, int A, Random Random, int DataLength)
    {
        public T Pick<T>(IReadOnlyList<T> pool) => pool[Random.Next(pool.Count)];

        public Member? Entry => Target?.Fields is not null ? Target : Model.Members.FirstOrDefault(m => m.Fields is not null);

        public string OtherKey => Model.Members.Count == 0 ? CheckpointBase.Quote("w") : Model.Members[A % Model.Members.Count].Key;
    }

    private static readonly string[] Dtypes =
        ["\"F32\"", "\"F64\"", "\"F16\"", "\"BF16\"", "\"I64\"", "\"U8\"", "\"BOOL\"", "\"C64\"", "\"F8_E4M3\"", "\"f32\"", "\"\"", "\"F32 \"",
         "32", "null", "[\"F32\"]", "{}", "true", "\"\\u0046\\u0033\\u0032\""];

    private static readonly string[] Dimensions =
        ["0", "1", "2", "3", "4", "5", "6", "12", "-1", "-0", "65536", "2147483647", "2147483648", "4294967296",
         "9223372036854775807", "-9223372036854775808", "9223372036854775808", "1.5", "1e3", "1.0", "\"2\"", "null", "[]", "{}"];

    private static readonly string[] Raws =
        ["[]", "\"F32\"", "3", "-1", "null", "{}", "[1,2]", "true", "{\"dtype\":\"F32\"}", "\"\\ud800\"", "{\"a\":{\"b\":{}}}",
         new string('[', 20) + new string(']', 20), "[" + string.Join(",", Enumerable.Repeat("1", 300)) + "]"];

    private static readonly string[] Names =
        ["\"\"", "\"__metadata__\"", "\"\\ud800\"", "\"\\udc00x\"", "\"a\\u0000b\"", "\"\\u00e9t\\u00e9\"", "\"λ.weight\"", "\"w\\\"q\"",
         "\"weight_ih_l0\"", "\"bias_ih_l0\"", "\"a\"", "\"x\"", "\"" + new string('n', 1000) + "\"", "\"\\/slash\""];

    private static readonly string[] Metadatas =
        ["{}", "{\"epoch\":\"7\"}", "{\"a\":\"1\",\"a\":\"2\"}", "{\"k\":3}", "[]", "\"x\"", "null", "{\"\":\"\"}", "{\"k\":\"\\ud800\"}",
         "{\"k\":{\"n\":\"1\"}}", "{\"k\":null}", "{\"k\":\"v\",}"];

    private static string Offset(EditContext c, long begin, long end) => c.Random.Next(22) switch
    {
        0 => "0", 1 => "1", 2 => "4", 3 => "8", 4 => $"{c.DataLength - 1}", 5 => $"{c.DataLength}", 6 => $"{c.DataLength + 1}",
        7 => $"{c.DataLength + 8}", 8 => $"{begin}", 9 => $"{end}", 10 => $"{1L << 31}", 11 => $"{1L << 32}", 12 => $"{1L << 62}",
        13 => $"{long.MaxValue}", 14 => "-1", 15 => $"{long.MinValue}", 16 => "9223372036854775808", 17 => "18446744073709551616",
        18 => "1.0", 19 => "1e2", 20 => "\"4\"", _ => $"{c.Random.Next(-4, c.DataLength + 8)}",
    };

    private static (long Begin, long End) Offsets(Member entry)
    {
        var text = entry.Field("data_offsets");
        var parts = text?.Trim('[', ']').Split(',');
        return parts is { Length: 2 } && long.TryParse(parts[0], out long b) && long.TryParse(parts[1], out long e) ? (b, e) : (0, 0);
    }

    /// <summary>The header edits, each returning a short description of what it did.</summary>
    private static readonly IReadOnlyList<(string Name, Func<EditContext, string> Apply)> HeaderEdits =
    [
        ("dtype", c => { var v = c.Pick(Dtypes); c.Entry?.Set("dtype", v); return v; }),
        ("shape", c =>
        {
            var v = "[" + string.Join(",", Enumerable.Range(0, c.Random.Next(5)).Select(_ => c.Pick(Dimensions))) + "]";
            c.Entry?.Set("shape", v);
            return v;
        }),
        ("shape not an array", c => { var v = c.Pick(["3", "\"[3]\"", "{}", "null", "true"]); c.Entry?.Set("shape", v); return v; }),
        ("reshape keeping the element count", c =>
        {
            if (c.Entry is not { } e) return "none";
            var (b, end) = Offsets(e);
            long count = (end - b) / (e.Field("dtype") == "\"F64\"" ? 8 : 4);
            var dims = new List<long>();
            for (long rest = count; ;)
            {
                if (rest < 0) { dims.Add(rest); break; } // offsets edited before: nothing sensible to factor
                var divisors = Enumerable.Range(1, 12).Select(d => (long)d).Where(d => d <= rest && rest % d == 0).Append(rest).ToList();
                long d = rest == 0 ? 0 : divisors[c.Random.Next(divisors.Count)];
                dims.Add(d);
                if (d == 0 || (rest /= d) == 1 && c.Random.Next(2) == 0) break;
            }
            var v = "[" + string.Join(",", dims) + "]";
            e.Set("shape", v);
            return v;
        }),
        ("lie about the dtype keeping the byte span", c =>
        {
            if (c.Entry is not { } e) return "none";
            var (b, end) = Offsets(e);
            bool toF64 = e.Field("dtype") == "\"F32\"";
            e.Set("dtype", toF64 ? "\"F64\"" : "\"F32\"");
            var v = $"[{(end - b) / (toF64 ? 8 : 4)}]";
            e.Set("shape", v);
            return (toF64 ? "F64 " : "F32 ") + v;
        }),
        ("offsets", c =>
        {
            if (c.Entry is not { } e) return "none";
            var (b, end) = Offsets(e);
            var v = $"[{Offset(c, b, end)},{Offset(c, b, end)}]";
            e.Set("data_offsets", v);
            return v;
        }),
        ("offsets shifted", c =>
        {
            if (c.Entry is not { } e) return "none";
            var (b, end) = Offsets(e);
            long delta = c.Pick([-8L, -4, -1, 1, 4, 8]);
            var v = $"[{b + delta},{end + (c.Random.Next(2) == 0 ? delta : 0)}]";
            e.Set("data_offsets", v);
            return v;
        }),
        ("offsets copied from another entry", c =>
        {
            var from = c.Model.Members.Where(m => m.Fields is not null).ToList();
            if (c.Entry is not { } e || from.Count == 0) return "none";
            var v = from[c.A % from.Count].Field("data_offsets") ?? "[0,0]";
            e.Set("data_offsets", v);
            return v;
        }),
        ("offsets arity", c => { var v = c.Pick(["[]", "[0]", "[0,4,8]", "[[0,4]]", "0", "\"0,4\"", "null"]); c.Entry?.Set("data_offsets", v); return v; }),
        ("rename", c =>
        {
            if (c.Target is not { } t) return "none";
            var v = c.Random.Next(3) == 0 ? c.OtherKey : c.Pick(Names);
            c.Model.Members[c.Model.Members.IndexOf(t)] = t with { Key = v };
            return v;
        }),
        ("duplicate a field", c =>
        {
            if (c.Entry?.Fields is not { Count: > 0 } fields) return "none";
            var f = fields[c.A % fields.Count];
            fields.Insert(c.Random.Next(fields.Count + 1), f);
            return f.Key;
        }),
        ("delete a field", c =>
        {
            if (c.Entry?.Fields is not { Count: > 0 } fields) return "none";
            var f = fields[c.A % fields.Count];
            fields.Remove(f);
            return f.Key;
        }),
        ("add an unknown field", c =>
        {
            if (c.Entry?.Fields is not { } fields) return "none";
            var f = (CheckpointBase.Quote(c.Pick(["x", "offsets", "Dtype", "shape ", "__metadata__"])), c.Pick(Raws));
            fields.Insert(c.Random.Next(fields.Count + 1), f);
            return f.ToString();
        }),
        ("entry replaced by another value", c =>
        {
            if (c.Target is not { } t) return "none";
            var v = c.Pick(Raws);
            c.Model.Members[c.Model.Members.IndexOf(t)] = new Member(t.Key, null, v);
            return v;
        }),
        ("delete an entry", c => { if (c.Target is not { } t) return "none"; c.Model.Members.Remove(t); return t.Key; }),
        ("duplicate an entry", c =>
        {
            if (c.Target is not { } t) return "none";
            c.Model.Members.Insert(c.Random.Next(c.Model.Members.Count + 1), t.Copy());
            return t.Key;
        }),
        ("swap two entries", c =>
        {
            var m = c.Model.Members;
            if (m.Count < 2) return "none";
            int i = c.A % m.Count, j = c.Random.Next(m.Count);
            (m[i], m[j]) = (m[j], m[i]);
            return $"{i} and {j}";
        }),
        ("metadata", c =>
        {
            var v = c.Pick(Metadatas);
            int at = c.Model.Members.FindIndex(m => m.Key == "\"__metadata__\"");
            var member = new Member("\"__metadata__\"", null, v);
            if (at >= 0 && c.Random.Next(4) > 0) c.Model.Members[at] = member;
            else c.Model.Members.Insert(c.Random.Next(c.Model.Members.Count + 1), member);
            return v;
        }),
        ("new entry", c =>
        {
            var v = $"{{\"dtype\":{c.Pick(Dtypes)},\"shape\":[{c.Pick(Dimensions)}],\"data_offsets\":[{Offset(c, 0, 0)},{Offset(c, 0, 0)}]}}";
            c.Model.Members.Insert(c.Random.Next(c.Model.Members.Count + 1), new Member(c.Pick(Names), null, v));
            return v;
        }),
    ];
}

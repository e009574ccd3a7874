using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;
using System.Reflection;

namespace DrDam.ML.Tests.Transforms;

/// <summary>Edits the entries of a saved ML.NET model zip, and reads what a failed load says.</summary>
internal static class ModelZip
{
    /// <summary>The entries whose full name ends with <paramref name="suffix"/>.</summary>
    public static string[] Entries(string path, string suffix)
    {
        using var zip = ZipFile.OpenRead(path);
        return [.. zip.Entries.Select(e => e.FullName).Where(n => n.EndsWith(suffix, StringComparison.Ordinal)).Order()];
    }

    /// <summary>Replaces entry <paramref name="name"/> by <paramref name="edit"/> of its bytes; null removes it.</summary>
    public static void Rewrite(string path, string name, Func<byte[], byte[]?> edit)
    {
        using var zip = ZipFile.Open(path, ZipArchiveMode.Update);
        var entry = zip.GetEntry(name) ?? throw new InvalidOperationException($"no entry {name} in {path}");
        byte[] bytes;
        using (var stream = entry.Open())
        using (var copy = new MemoryStream())
        {
            stream.CopyTo(copy);
            bytes = copy.ToArray();
        }
        entry.Delete();
        if (edit(bytes) is { } edited)
        {
            using var rewritten = zip.CreateEntry(name).Open();
            rewritten.Write(edited);
        }
    }

    /// <summary>
    /// The offset and length of our checksummed settings block inside a Model.key entry: an int length L, L bytes,
    /// and their CRC-32.
    /// </summary>
    public static (int Offset, int Length) SettingsBlock(byte[] modelKey)
    {
        for (var at = 0; at + 8 <= modelKey.Length; at++)
        {
            var length = BinaryPrimitives.ReadInt32LittleEndian(modelKey.AsSpan(at));
            if (length <= 0 || at + 4 + length + 4 > modelKey.Length)
                continue;
            if (Crc32.Hash(modelKey.AsSpan(at + 4, length)).AsSpan().SequenceEqual(modelKey.AsSpan(at + 4 + length, 4)))
                return (at + 4, length);
        }
        throw new InvalidOperationException("no settings block found");
    }

    /// <summary>Overwrites bytes of the settings block and recomputes its checksum, so only range checks can catch the edit.</summary>
    public static byte[] EditSettings(byte[] modelKey, Action<Span<byte>> edit)
    {
        var (offset, length) = SettingsBlock(modelKey);
        var copy = (byte[])modelKey.Clone();
        edit(copy.AsSpan(offset, length));
        Crc32.Hash(copy.AsSpan(offset, length)).CopyTo(copy.AsSpan(offset + length));
        return copy;
    }

    /// <summary>
    /// The exception that says what went wrong: ML.NET calls loaders by reflection (TargetInvocationException) and,
    /// inside a chain, wraps that in InvalidOperationException("Error during class instantiation").
    /// </summary>
    public static Exception Cause(Exception e) => e switch
    {
        TargetInvocationException { InnerException: { } inner } => Cause(inner),
        InvalidOperationException { InnerException: TargetInvocationException inner } => Cause(inner),
        _ => e,
    };
}

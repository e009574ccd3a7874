using System.IO.Hashing;
using Microsoft.ML;

namespace DrDam.ML.Transforms.Plumbing;

/// <summary>
/// How our stages read and write their entries in an ML.NET model zip so that a damaged file is always
/// reported the same way: a stage's settings (column names included) are one length-prefixed block with a
/// CRC-32 inside ML.NET's Model.key, binary entries end with a CRC-32, both checked before parsing; every
/// settings field is also range-checked by its options record, and every failure becomes an
/// <see cref="InvalidDataException"/> that names the stage folder and the entry. (ML.NET's <c>Model.Load</c> calls loaders by reflection, so it
/// hands the caller that exception wrapped in a <c>TargetInvocationException</c>.)
/// </summary>
internal static class ModelEntries
{
    /// <summary>The entry ML.NET keeps a stage's settings in.</summary>
    public const string Settings = "Model.key";

    /// <summary>The largest BatchSize a model may declare: a batch buffers BatchSize×D values.</summary>
    public const int MaxBatchSize = 1 << 16;

    /// <summary>
    /// Runs <paramref name="load"/>, turning any sign of a damaged entry into an InvalidDataException naming it (in
    /// <paramref name="directory"/>, by default the stage's own folder).
    /// </summary>
    public static T Load<T>(ModelLoadContext ctx, string entry, Func<T> load, string? directory = null)
    {
        try
        {
            return load();
        }
        catch (Exception e) when (e is ArgumentException or EndOfStreamException or FormatException or OverflowException
            or OutOfMemoryException or InvalidOperationException or AggregateException or InvalidDataException)
        {
            var folder = directory ?? ctx.Directory;
            var where = string.IsNullOrEmpty(folder) ? entry : $"{folder}/{entry}";
            throw new InvalidDataException($"DrDam.ML model entry '{where}' is invalid: {Unwrap(e).Message}", e);
        }
    }

    /// <summary>Writes a stage's settings into Model.key as one checksummed block.</summary>
    public static void SaveSettings(ModelSaveContext ctx, Action<BinaryWriter> write)
    {
        var bytes = Serialize(write);
        ctx.Writer.Write(bytes.Length);
        ctx.Writer.Write(bytes);
        ctx.Writer.Write(Crc32.Hash(bytes));
    }

    /// <summary>Reads the settings block written by <see cref="SaveSettings"/>: length bounded by the entry, checksum verified, every byte consumed.</summary>
    public static T LoadSettings<T>(ModelLoadContext ctx, Func<BinaryReader, T> read) => Load(ctx, Settings, () =>
    {
        var length = ctx.Reader.ReadInt32();
        var stream = ctx.Reader.BaseStream;
        if (length < 0 || length > stream.Length - stream.Position - 4)
            throw new InvalidDataException($"the settings declare {length} bytes, more than the entry holds.");
        var bytes = ctx.Reader.ReadBytes(length);
        var stored = ctx.Reader.ReadBytes(4);
        if (!Crc32.Hash(bytes).AsSpan().SequenceEqual(stored))
            throw new InvalidDataException("the settings are corrupted: their CRC-32 checksum does not match.");
        using var reader = new BinaryReader(new MemoryStream(bytes, writable: false));
        var result = read(reader);
        if (reader.BaseStream.Position != length)
            throw new InvalidDataException($"the settings have {length - reader.BaseStream.Position} unexpected bytes at their end.");
        return result;
    });

    /// <summary>A column name read from settings: non-empty.</summary>
    public static string Column(BinaryReader reader)
    {
        var name = reader.ReadString();
        return name.Length > 0 ? name : throw new InvalidDataException("a column name is empty.");
    }

    /// <summary>An optional column name read from settings (written as a flag and the name).</summary>
    public static string? OptionalColumn(BinaryReader reader) => reader.ReadBoolean() ? Column(reader) : null;

    /// <summary>Writes an optional column name as <see cref="OptionalColumn"/> reads it.</summary>
    public static void WriteOptional(BinaryWriter writer, string? name)
    {
        writer.Write(name is not null);
        if (name is not null)
            writer.Write(name);
    }

    /// <summary>ML.NET's check of the stage's header in Model.key (signature and version), failing as our other checks do.</summary>
    public static void CheckVersion(ModelLoadContext ctx, VersionInfo version)
        => Load(ctx, Settings, () =>
        {
            ctx.CheckAtModel(version);
            return version;
        });

    /// <summary>A BatchSize read from a model: 1…<see cref="MaxBatchSize"/>.</summary>
    public static int BatchSize(int value)
        => value is > 0 and <= MaxBatchSize ? value : throw new InvalidDataException($"BatchSize {value} lies outside [1, {MaxBatchSize}].");

    /// <summary>Saves a binary entry followed by the CRC-32 of its bytes.</summary>
    public static void SaveChecked(ModelSaveContext ctx, string name, Action<BinaryWriter> write)
    {
        var bytes = Serialize(write);
        ctx.SaveBinaryStream(name, writer =>
        {
            writer.Write(bytes);
            writer.Write(Crc32.Hash(bytes));
        });
    }

    /// <summary>
    /// Reads a binary entry of <paramref name="directory"/> written by <see cref="SaveChecked"/>: the checksum is
    /// verified first, then <paramref name="read"/> must consume every byte. Null when the entry is absent.
    /// </summary>
    public static T? LoadChecked<T>(ModelLoadContext ctx, string directory, string name, Func<BinaryReader, T> read) where T : class
    {
        using var entry = ctx.Repository.OpenEntryOrNull(directory, name);
        if (entry is null)
            return null;
        using var copy = new MemoryStream();
        entry.Stream.CopyTo(copy);
        var bytes = copy.GetBuffer().AsSpan(0, (int)copy.Length);
        if (bytes.Length < 4 || !Crc32.Hash(bytes[..^4]).AsSpan().SequenceEqual(bytes[^4..]))
            throw new InvalidDataException($"{name} is corrupted: its CRC-32 checksum does not match the content.");
        using var reader = new BinaryReader(new MemoryStream(copy.GetBuffer(), 0, bytes.Length - 4, writable: false));
        var result = read(reader);
        if (reader.BaseStream.Position != reader.BaseStream.Length)
            throw new InvalidDataException($"{name} has {reader.BaseStream.Length - reader.BaseStream.Position} unexpected bytes at its end.");
        return result;
    }

    private static byte[] Serialize(Action<BinaryWriter> write)
    {
        using var payload = new MemoryStream();
        using (var writer = new BinaryWriter(payload, System.Text.Encoding.UTF8, leaveOpen: true))
            write(writer);
        return payload.ToArray();
    }

    private static Exception Unwrap(Exception e) => e is AggregateException { InnerExceptions.Count: 1 } a ? a.InnerExceptions[0] : e;
}

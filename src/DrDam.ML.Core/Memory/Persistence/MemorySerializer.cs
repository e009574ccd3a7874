using System.Buffers.Binary;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using DrDam.ML.Memory.Energies;
using DrDam.ML.Memory.Features;

namespace DrDam.ML.Memory.Persistence;

/// <summary>
/// Binary format of a memory: magic "DRDAMMEM", format version, payload length, a kind byte, every
/// hyper-parameter (seed included), the data (Ξ for MrDAM; T, and R if any, for DrDAM: never Ω nor
/// the patterns), then a CRC-32 of everything before it. Little-endian throughout. Reading checks
/// magic, version, length and checksum before parsing, then bounds every size field by what the record
/// holds and by <see cref="MemoryLimits"/> before allocating, and accepts no trailing byte. Every failure is
/// an <see cref="InvalidDataException"/> that says what is wrong.
/// </summary>
public static class MemorySerializer
{
    /// <summary>The format version written by this library.</summary>
    public const ushort FormatVersion = 1;

    private static ReadOnlySpan<byte> Magic => "DRDAMMEM"u8;
    private const int HeaderLength = 8 + 2 + 8;
    private const byte MatrixKind = 1, DistributedKind = 2;

    /// <summary>Writes a memory (<see cref="MemoryMatrix"/> or <see cref="DistributedMemory"/>).</summary>
    public static void Write(Stream stream, IAssociativeMemory memory)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var payload = new MemoryStream();
        using (var writer = new BinaryWriter(payload, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            switch (memory)
            {
                case MemoryMatrix matrix: WriteMatrix(writer, matrix); break;
                case DistributedMemory distributed: WriteDistributed(writer, distributed); break;
                case null: throw new ArgumentNullException(nameof(memory));
                default: throw new ArgumentException($"memory must be a MemoryMatrix or a DistributedMemory (got {memory.GetType().Name}).", nameof(memory));
            }
        }
        Span<byte> header = stackalloc byte[HeaderLength];
        Magic.CopyTo(header);
        BinaryPrimitives.WriteUInt16LittleEndian(header[8..], FormatVersion);
        BinaryPrimitives.WriteInt64LittleEndian(header[10..], payload.Length);
        var crc = new Crc32();
        crc.Append(header);
        crc.Append(payload.GetBuffer().AsSpan(0, (int)payload.Length));
        stream.Write(header);
        stream.Write(payload.GetBuffer(), 0, (int)payload.Length);
        stream.Write(crc.GetCurrentHash());
    }

    /// <summary>Reads a memory written by <see cref="Write"/>.</summary>
    /// <exception cref="InvalidDataException">Wrong magic, newer format version, truncated data or checksum mismatch.</exception>
    public static IAssociativeMemory Read(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        Span<byte> header = stackalloc byte[HeaderLength];
        var got = stream.ReadAtLeast(header, HeaderLength, throwOnEndOfStream: false);
        if (got < 8 || !header[..8].SequenceEqual(Magic))
            throw new InvalidDataException("Not a DrDam.ML memory: the file does not start with the magic \"DRDAMMEM\".");
        if (got < HeaderLength)
            throw new InvalidDataException($"DrDam.ML memory is truncated: the header needs {HeaderLength} bytes, the file has {got}.");
        var version = BinaryPrimitives.ReadUInt16LittleEndian(header[8..]);
        if (version > FormatVersion)
            throw new InvalidDataException($"DrDam.ML memory format version {version} is newer than this library reads (up to {FormatVersion}); upgrade DrDam.ML.");
        if (version == 0)
            throw new InvalidDataException("DrDam.ML memory has format version 0, which was never written.");
        var length = BinaryPrimitives.ReadInt64LittleEndian(header[10..]);
        if (length < 1 || length > Array.MaxLength - 4)
            throw new InvalidDataException($"DrDam.ML memory header declares an impossible payload length ({length} bytes).");
        var body = new byte[length + 4];
        got = stream.ReadAtLeast(body, body.Length, throwOnEndOfStream: false);
        if (got < body.Length)
            throw new InvalidDataException($"DrDam.ML memory is truncated: expected {body.Length} bytes after the header, found {got}.");
        var crc = new Crc32();
        crc.Append(header);
        crc.Append(body.AsSpan(0, (int)length));
        if (!crc.GetCurrentHash().AsSpan().SequenceEqual(body.AsSpan((int)length, 4)))
            throw new InvalidDataException("DrDam.ML memory is corrupted: its CRC-32 checksum does not match the content.");
        using var reader = new BinaryReader(new MemoryStream(body, 0, (int)length, writable: false));
        try
        {
            return reader.ReadByte() switch
            {
                MatrixKind => ReadMatrix(reader),
                DistributedKind => ReadDistributed(reader),
                var kind => throw new InvalidDataException($"DrDam.ML memory has unknown kind {kind} (expected {MatrixKind} or {DistributedKind})."),
            };
        }
        catch (Exception e) when (e is EndOfStreamException or ArgumentException or OverflowException or OutOfMemoryException or AggregateException)
        {
            var cause = e is AggregateException { InnerExceptions.Count: 1 } a ? a.InnerExceptions[0] : e;
            throw new InvalidDataException($"DrDam.ML memory content is inconsistent: {cause.Message}", e);
        }
    }

    private static void WriteMatrix(BinaryWriter writer, MemoryMatrix matrix)
    {
        writer.Write(MatrixKind);
        writer.Write(matrix.Dimension);
        writer.Write((int)matrix.Count);
        writer.Write((byte)matrix.Options.Energy);
        writer.Write(matrix.Options.Beta);
        writer.Write(matrix.Options.Epsilon);
        writer.Write(MemoryMarshal.AsBytes(matrix.Patterns));
    }

    private static MemoryMatrix ReadMatrix(BinaryReader reader)
    {
        var dimension = Positive(reader.ReadInt32(), "dimension");
        var count = reader.ReadInt32();
        if (count < 0)
            throw new InvalidDataException($"DrDam.ML memory declares {count} patterns.");
        var options = new MemoryMatrixOptions
        {
            Energy = (EnergyKind)reader.ReadByte(),
            Beta = reader.ReadDouble(),
            Epsilon = reader.ReadDouble(),
        };
        var patterns = ReadArray<float>(reader, (long)dimension * count, "patterns");
        RequireEnd(reader, "the patterns");
        var matrix = new MemoryMatrix(dimension, options);
        matrix.AddRange(patterns, count);
        return matrix;
    }

    private static void WriteDistributed(BinaryWriter writer, DistributedMemory memory)
    {
        var o = memory.Options;
        writer.Write(DistributedKind);
        writer.Write(memory.Dimension);
        writer.Write(o.FeatureCount);
        writer.Write((byte)o.Basis);
        writer.Write(o.Seed);
        writer.Write(o.Beta);
        writer.Write(o.Orthogonal);
        writer.Write(o.LinearAttention);
        writer.Write((byte)o.ProjectionStorage);
        writer.Write(o.ProjectionBlockSize);
        writer.Write(o.LogClip);
        writer.Write(memory.Count);
        writer.Write(MemoryMarshal.AsBytes(memory.Memory));
        writer.Write(MemoryMarshal.AsBytes(memory.LinearAttentionMemory));
    }

    private static DistributedMemory ReadDistributed(BinaryReader reader)
    {
        var dimension = Positive(reader.ReadInt32(), "dimension");
        var options = new DistributedMemoryOptions
        {
            FeatureCount = reader.ReadInt32(),
            Basis = (FeatureBasisKind)reader.ReadByte(),
            Seed = reader.ReadUInt64(),
            Beta = reader.ReadDouble(),
            Orthogonal = reader.ReadBoolean(),
            LinearAttention = reader.ReadBoolean(),
            ProjectionStorage = (ProjectionStorage)reader.ReadByte(),
            ProjectionBlockSize = reader.ReadInt32(),
            LogClip = reader.ReadDouble(),
        };
        var count = reader.ReadInt64();
        if (count < 0)
            throw new InvalidDataException($"DrDam.ML memory declares {count} stored patterns.");
        var featureLength = FeatureBasis.Create(options.Basis).FeatureLength(options.FeatureCount);
        var memory = ReadArray<double>(reader, featureLength, "T");
        var linearAttention = ReadArray<float>(reader, options.LinearAttention ? (long)featureLength * dimension : 0, "R");
        RequireEnd(reader, "R");
        var result = new DistributedMemory(dimension, options);
        result.Restore(memory, linearAttention, count);
        return result;
    }

    private static int Positive(int value, string name)
        => value > 0 ? value : throw new InvalidDataException($"DrDam.ML memory declares {name} {value}; it must be > 0.");

    private static void RequireEnd(BinaryReader reader, string last)
    {
        if (reader.BaseStream.Position != reader.BaseStream.Length)
            throw new InvalidDataException($"DrDam.ML memory has {reader.BaseStream.Length - reader.BaseStream.Position} unexpected bytes after {last}.");
    }

    private static T[] ReadArray<T>(BinaryReader reader, long length, string name) where T : unmanaged
    {
        var bytes = length * System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
        if (length < 0 || bytes > reader.BaseStream.Length - reader.BaseStream.Position)
            throw new InvalidDataException($"DrDam.ML memory declares {length} values of {name}, more than the file holds.");
        var values = new T[length];
        reader.BaseStream.ReadExactly(MemoryMarshal.AsBytes(values.AsSpan()));
        return values;
    }
}

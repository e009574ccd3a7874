using System.Buffers.Binary;
using System.IO.Hashing;

namespace DrDam.ML.Tests.Memory.Persistence;

/// <summary>Edits a memory record's payload and rewrites its length and CRC-32, so that only the parser's own checks can catch the edit.</summary>
internal static class RecordFields
{
    private const int Header = 18; // magic (8), version (2), payload length (8)

    /// <summary>The payload offsets of the fields every record starts with: kind (1 byte), then the dimension (int).</summary>
    public const int Dimension = 1;

    /// <summary>A MemoryMatrix record's pattern count (int), after the dimension.</summary>
    public const int MatrixCount = 5;

    public static byte[] Edit(byte[] record, Func<byte[], byte[]> editPayload)
    {
        var payload = editPayload(record[Header..^4]);
        var result = new byte[Header + payload.Length + 4];
        record.AsSpan(0, Header).CopyTo(result);
        BinaryPrimitives.WriteInt64LittleEndian(result.AsSpan(10), payload.Length);
        payload.CopyTo(result.AsSpan(Header));
        var crc = new Crc32();
        crc.Append(result.AsSpan(0, Header + payload.Length));
        crc.GetCurrentHash().CopyTo(result.AsSpan(Header + payload.Length));
        return result;
    }

    public static byte[] SetInt32(byte[] record, int offset, int value) => Edit(record, payload =>
    {
        BinaryPrimitives.WriteInt32LittleEndian(payload.AsSpan(offset), value);
        return payload;
    });
}

using System.Runtime.InteropServices;

namespace DrDam.ML.Orleans;

/// <summary>One partition of a sharded fit's data: its id and its rows.</summary>
/// <param name="Partition">The partition id.</param>
/// <param name="Rows">The rows, row-major (<paramref name="Count"/> × D values).</param>
/// <param name="Count">How many rows.</param>
/// <remarks>On the wire the rows travel as their raw 4 bytes per value (<see cref="PartitionRowsSurrogate"/>).</remarks>
[Immutable]
public sealed record PartitionRows(int Partition, float[] Rows, int Count);

/// <summary>How <see cref="PartitionRows"/> is serialized: the rows as one length-prefixed block of bytes, not 5 tagged bytes per float.</summary>
[GenerateSerializer, Alias("drdam.partition-rows")]
public struct PartitionRowsSurrogate
{
    /// <summary>The partition id.</summary>
    [Id(0)] public int Partition;

    /// <summary>The rows' values, little-endian IEEE floats back to back.</summary>
    [Id(1)] public byte[] Rows;

    /// <summary>How many rows.</summary>
    [Id(2)] public int Count;
}

/// <summary>Converts <see cref="PartitionRows"/> to and from <see cref="PartitionRowsSurrogate"/>.</summary>
[RegisterConverter]
public sealed class PartitionRowsConverter : IConverter<PartitionRows, PartitionRowsSurrogate>
{
    /// <inheritdoc/>
    public PartitionRows ConvertFromSurrogate(in PartitionRowsSurrogate surrogate)
    {
        if (surrogate.Rows.Length % sizeof(float) != 0)
            throw new InvalidDataException($"Partition {surrogate.Partition}'s rows hold {surrogate.Rows.Length} bytes, not a whole number of floats.");
        return new(surrogate.Partition, MemoryMarshal.Cast<byte, float>(surrogate.Rows).ToArray(), surrogate.Count);
    }

    /// <inheritdoc/>
    public PartitionRowsSurrogate ConvertToSurrogate(in PartitionRows value)
        => new() { Partition = value.Partition, Rows = MemoryMarshal.AsBytes(value.Rows.AsSpan()).ToArray(), Count = value.Count };
}

using System.Runtime.InteropServices;

namespace DrDam.ML.Orleans;

/// <summary>One partition's share of a sharded fit: Σ φ(√β·ξ) over its rows (2Y or Y numbers) and how many rows.</summary>
/// <param name="Partition">The partition id; a memory keeps one sum per id, so a retried partition replaces, never adds.</param>
/// <param name="Memory">T of the partition's rows alone.</param>
/// <param name="Count">Rows in the partition.</param>
/// <param name="Silo">The silo that built it (for reports; it takes no part in the sum).</param>
/// <remarks>On the wire and in grain storage T travels as its raw 8 bytes per value (<see cref="PartitionSumSurrogate"/>).</remarks>
[Immutable]
public sealed record PartitionSum(int Partition, double[] Memory, long Count, string Silo = "");

/// <summary>
/// How a <see cref="PartitionSum"/> is serialized: T as one length-prefixed block of bytes. Orleans' own array codec
/// tags every element, which costs 9 bytes per double instead of 8.
/// </summary>
[GenerateSerializer, Alias("drdam.partition-sum")]
public struct PartitionSumSurrogate
{
    /// <summary>The partition id.</summary>
    [Id(0)] public int Partition;

    /// <summary>T's values, little-endian IEEE doubles back to back.</summary>
    [Id(1)] public byte[] Memory;

    /// <summary>Rows.</summary>
    [Id(2)] public long Count;

    /// <summary>The silo that built it.</summary>
    [Id(3)] public string Silo;
}

/// <summary>Converts <see cref="PartitionSum"/> to and from <see cref="PartitionSumSurrogate"/>.</summary>
[RegisterConverter]
public sealed class PartitionSumConverter : IConverter<PartitionSum, PartitionSumSurrogate>
{
    /// <inheritdoc/>
    public PartitionSum ConvertFromSurrogate(in PartitionSumSurrogate surrogate)
    {
        if (surrogate.Memory.Length % sizeof(double) != 0)
            throw new InvalidDataException($"Partition {surrogate.Partition}'s T holds {surrogate.Memory.Length} bytes, not a whole number of doubles.");
        return new(surrogate.Partition, MemoryMarshal.Cast<byte, double>(surrogate.Memory).ToArray(), surrogate.Count, surrogate.Silo);
    }

    /// <inheritdoc/>
    public PartitionSumSurrogate ConvertToSurrogate(in PartitionSum value)
        => new() { Partition = value.Partition, Memory = MemoryMarshal.AsBytes(value.Memory.AsSpan()).ToArray(), Count = value.Count, Silo = value.Silo };
}

namespace DrDam.ML.Orleans;

/// <summary>One partition's share of a sharded fit: Σ φ(√β·ξ) over its rows (2Y or Y numbers) and how many rows.</summary>
/// <param name="Partition">The partition id; a memory keeps one sum per id, so a retried partition replaces, never adds.</param>
/// <param name="Memory">T of the partition's rows alone.</param>
/// <param name="Count">Rows in the partition.</param>
/// <param name="Silo">The silo that built it (for reports; it takes no part in the sum).</param>
[GenerateSerializer, Immutable, Alias("drdam.partition-sum")]
public sealed record PartitionSum([property: Id(0)] int Partition, [property: Id(1)] double[] Memory, [property: Id(2)] long Count, [property: Id(3)] string Silo = "");

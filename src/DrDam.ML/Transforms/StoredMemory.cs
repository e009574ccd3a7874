using DrDam.ML.Memory;

namespace DrDam.ML.Transforms;

/// <summary>A fitted memory and, for a Matrix store fitted with a label column, the label of each pattern.</summary>
/// <param name="Memory">The memory (not to be mutated once fitted: use the transformer's AddRows / Merge).</param>
/// <param name="Labels">One label per pattern, or null.</param>
public sealed record StoredMemory(IAssociativeMemory Memory, IReadOnlyList<string>? Labels);

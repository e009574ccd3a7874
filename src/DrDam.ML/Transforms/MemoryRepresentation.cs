namespace DrDam.ML.Transforms;

/// <summary>How a memory store keeps its patterns.</summary>
public enum MemoryRepresentation
{
    /// <summary>MrDAM: the K×D pattern matrix, exact energy, memory O(KD); can report the dominant memory and its label.</summary>
    Matrix = 0,
    /// <summary>DrDAM: one random-feature vector T of length Y or 2Y whatever K is; patterns are not kept.</summary>
    Distributed = 1,
}

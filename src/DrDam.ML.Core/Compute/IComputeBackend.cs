using DrDam.ML.Memory;

namespace DrDam.ML.Compute;

/// <summary>
/// Where the batched descent steps run. A backend turns a memory (its patterns, or its T and Ω's
/// seed) into an <see cref="IEnergyEvaluator"/>; memories know nothing of backends, so new ones
/// (TorchSharp, ILGPU) plug in here without touching the Memory classes.
/// </summary>
public interface IComputeBackend
{
    /// <summary>A short name for reports ("managed", "torch", …).</summary>
    string Name { get; }

    /// <summary>Builds an evaluator for up to <paramref name="maxBatch"/> states of <paramref name="memory"/>'s current content.</summary>
    /// <exception cref="ArgumentException">The memory is empty or of a kind this backend does not know.</exception>
    IEnergyEvaluator CreateEvaluator(IAssociativeMemory memory, int maxBatch);
}

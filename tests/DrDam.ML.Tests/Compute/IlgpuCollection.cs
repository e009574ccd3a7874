namespace DrDam.ML.Tests.Compute;

/// <summary>
/// The test classes that create ILGPU contexts (the CPU accelerator, the PTX backend, CUDA probes) run one after
/// another rather than side by side: one CI run's test host crashed once, without a message, after these classes grew
/// to four that ran in parallel (not reproduced in nine runs since; the cause is not known).
/// </summary>
[CollectionDefinition(nameof(IlgpuCollection))]
public sealed class IlgpuCollection;

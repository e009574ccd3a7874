namespace DrDam.ML.Compute;

/// <summary>Which backend evaluates the steps (see <see cref="ComputeBackends.Create"/>).</summary>
public enum ComputeBackendKind
{
    /// <summary>A GPU backend when CUDA is present (TorchSharp's, else ILGPU's), else the managed one, the fastest on CPUs (measured by <c>bench</c>).</summary>
    Auto = 0,
    /// <summary>Managed SIMD code (<see cref="ManagedBackend"/>).</summary>
    Managed = 1,
    /// <summary>libtorch through TorchSharp (<see cref="Torch.TorchBackend"/>).</summary>
    Torch = 2,
    /// <summary>ILGPU kernels (<see cref="Ilgpu.IlgpuBackend"/>).</summary>
    Ilgpu = 3,
}

namespace DrDam.ML.Compute;

/// <summary>Which processor a GPU-capable backend (Torch, ILGPU) runs on.</summary>
public enum ComputeDevice
{
    /// <summary>CUDA when the backend finds a GPU, else the CPU.</summary>
    Auto = 0,
    /// <summary>The CPU.</summary>
    Cpu = 1,
    /// <summary>CUDA (an error where there is none).</summary>
    Cuda = 2,
}

using DrDam.ML.Compute;
using DrDam.ML.Compute.Ilgpu;
using DrDam.ML.Compute.Torch;

namespace DrDam.ML.Samples.Computing;

/// <summary>The backends a command can run its descent on, by the names its <c>--backend</c> option takes.</summary>
internal static class BackendChoice
{
    /// <summary>The values of <c>--backend</c>.</summary>
    public static readonly string[] Names = ["managed", "torch", "ilgpu"];

    /// <summary>
    /// The backend called <paramref name="name"/> on <paramref name="device"/> (the managed backend runs on the CPU
    /// whatever the device). The caller disposes what it gets where that is <see cref="IDisposable"/> (ILGPU's context).
    /// </summary>
    /// <exception cref="ArgumentException">An unknown name, <c>--device cuda</c> with the managed backend, or where the backend finds no GPU.</exception>
    public static IComputeBackend Create(string name, ComputeDevice device)
    {
        try
        {
            return name switch
            {
                "managed" when device == ComputeDevice.Cuda => throw new ArgumentException("--device cuda needs --backend torch or ilgpu: the managed backend runs on the CPU."),
                "managed" => ManagedBackend.Instance,
                "torch" => new TorchBackend(device),
                "ilgpu" => new IlgpuBackend(device),
                _ => throw new ArgumentException($"--backend must be one of {string.Join(", ", Names)} (got '{name}')."),
            };
        }
        catch (InvalidOperationException e)
        {
            throw new ArgumentException($"--device cuda: {e.Message}", e);
        }
    }

    /// <summary>Whether <paramref name="backend"/> computes on a GPU.</summary>
    public static bool OnGpu(IComputeBackend backend) => backend.Name.EndsWith("-cuda", StringComparison.Ordinal);
}

using DrDam.ML.Native;
using TorchSharp;
using static TorchSharp.torch;

namespace DrDam.ML.Samples.Benchmarking;

/// <summary>What TorchSharp gives a user directly: libtorch's GEMM (the practical roofline) and MrDAM written naively with it.</summary>
internal static class TorchReference
{
    /// <summary>GFLOP/s of one n×n by n×n float32 matmul on <paramref name="device"/>.</summary>
    public static double GemmGflops(Device device, int n, TimeSpan budget)
    {
        TorchSharpNative.EnsureLoaded();
        using var a = torch.rand([n, n], device: device);
        using var b = torch.rand([n, n], device: device);
        var seconds = Stopwatches.MedianSeconds(() =>
        {
            using var c = a.mm(b);
            Synchronize(device);
        }, budget);
        return 2.0 * n * n * n / seconds / 1e9;
    }

    /// <summary>
    /// GFLOP/s (counted as 4·B·K·D, like our step) of the MrDAM L2 step as a user would write it:
    /// cdist, softmax, logsumexp and a matmul.
    /// </summary>
    public static double NaiveMrDamGflops(Device device, float[] patterns, float[] queries, int dimension, double beta, TimeSpan budget)
    {
        TorchSharpNative.EnsureLoaded();
        var (k, b) = (patterns.Length / dimension, queries.Length / dimension);
        using var xi = torch.tensor(patterns, [k, dimension], device: device);
        using var x = torch.tensor(queries, [b, dimension], device: device);
        // Explicit Scalars: TorchSharp 0.107 can finalize an implicit one while libtorch still reads it.
        using Scalar minusHalfBeta = (-beta / 2).ToScalar(), minusInverseBeta = (-1 / beta).ToScalar(), minusOne = (-1.0).ToScalar();
        var seconds = Stopwatches.MedianSeconds(() =>
        {
            using var scope = torch.NewDisposeScope();
            using var grad = torch.no_grad();
            var logits = torch.cdist(x, xi).square().mul(minusHalfBeta);
            var energies = torch.logsumexp(logits, 1).mul(minusInverseBeta);
            var gradients = x.add(torch.softmax(logits, 1).mm(xi), minusOne);
            energies.cpu();
            gradients.cpu();
        }, budget);
        return 4.0 * b * k * dimension / seconds / 1e9;
    }

    /// <summary>
    /// GB/s read from the first GPU's memory by summing a 4 GiB float tensor (far beyond its cache) with libtorch: the
    /// bandwidth bound of a skinny step whose Ω is held on the GPU.
    /// </summary>
    public static double DeviceReadGbs(TimeSpan budget)
    {
        TorchSharpNative.EnsureLoaded();
        var device = torch.CUDA;
        const long values = 1L << 30;
        using var x = torch.ones(values, device: device);
        var seconds = Stopwatches.MedianSeconds(() =>
        {
            using var sum = x.sum();
            Synchronize(device);
        }, budget);
        return values * sizeof(float) / seconds / 1e9;
    }

    private static void Synchronize(Device device)
    {
        if (device.type == DeviceType.CUDA)
            torch.cuda.synchronize(device);
    }
}

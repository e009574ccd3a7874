using DrDam.ML.Compute;

namespace DrDam.ML.Samples.Benchmarking;

/// <summary>The workloads of <c>bench</c> (the sizes of issue 7, shared with the BenchmarkDotNet suite) and how long each is timed.</summary>
/// <param name="Quick">Shorter timing budgets and fewer repetitions: the whole run ends within a minute.</param>
/// <param name="Device">Where the Torch backend and the GEMM reference run.</param>
internal sealed record BenchSettings(bool Quick, ComputeDevice Device)
{
    /// <summary>MrDAM step: B queries against K patterns of D values, L2 energy.</summary>
    public const int MrBatch = 256, MrStored = 1024, MrDimension = 3072;

    /// <summary>DrDAM step: SinCos, Y features, D values, B queries.</summary>
    public const int DrBatch = 64, DrFeatures = 20_000, DrDimension = 3072;

    /// <summary>The skinny DrDAM step (the fig1 preset's batch), with the DrDAM sizes above.</summary>
    public const int SkinnyBatch = 4;

    /// <summary>GEMM reference: n×n by n×n.</summary>
    public const int GemmSize = 2048;

    /// <summary>DrDAM fit: D = 784 (a Fashion-MNIST image), Y = 2048, patterns streamed in chunks.</summary>
    public const int FitDimension = 784, FitFeatures = 2048, FitChunk = 1000;

    /// <summary>The K of each fit measurement.</summary>
    public static readonly int[] FitCounts = [10_000, 100_000];

    /// <summary>How long each step is repeated.</summary>
    public TimeSpan Budget => Quick ? TimeSpan.FromSeconds(1) : TimeSpan.FromSeconds(3);
}

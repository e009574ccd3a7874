using BenchmarkDotNet.Attributes;
using DrDam.ML.Compute;
using DrDam.ML.Compute.Torch;
using DrDam.ML.Memory;
using TorchSharp;
using static TorchSharp.torch;

namespace DrDam.ML.Benchmarks;

/// <summary>
/// The `bench` command's TorchSharp workloads at the same sizes as <see cref="RetrievalStepBenchmarks"/>:
/// libtorch's GEMM at n = 2048 (the roofline), the MrDAM and DrDAM steps of the Torch backend, and the
/// MrDAM step written naively with TorchSharp (cdist, softmax, matmul), the baseline we must beat.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(Config))]
public class TorchStepBenchmarks : IFlopCounted
{
    private const int B = 256, K = 1024, D = 3072, DrBatch = 64, Y = 20_000, N = 2048;
    private const double Beta = 60;

    private sealed class Config : BenchmarkDotNet.Configs.ManualConfig
    {
        public Config() => AddColumn(new FlopsColumn());
    }

    private IEnergyEvaluator mrdam = null!, drdam = null!;
    private Tensor a = null!, b = null!, xi = null!, x = null!;
    private Scalar minusHalfBeta = null!, minusInverseBeta = null!, minusOne = null!;
    private float[] queries = null!, gradients = null!;
    private double[] energies = null!;

    [GlobalSetup]
    public void Setup()
    {
        var backend = new TorchBackend(ComputeDevice.Cpu);
        var random = new Random(1);
        var patterns = Enumerable.Range(0, K * D).Select(_ => (float)(random.NextDouble() / Math.Sqrt(D))).ToArray();
        queries = Enumerable.Range(0, B * D).Select(_ => (float)(random.NextDouble() / Math.Sqrt(D))).ToArray();
        (gradients, energies) = (new float[B * D], new double[B]);
        var matrix = new MemoryMatrix(D, new MemoryMatrixOptions { Beta = Beta });
        matrix.AddRange(patterns, K);
        mrdam = backend.CreateEvaluator(matrix, B);
        var distributed = new DistributedMemory(D, new DistributedMemoryOptions { Beta = Beta, FeatureCount = Y });
        distributed.AddRange(patterns.AsMemory(0, 16 * D), 16);
        drdam = backend.CreateEvaluator(distributed, DrBatch);
        (a, b) = (torch.rand([N, N]), torch.rand([N, N]));
        (xi, x) = (torch.tensor(patterns, [K, D]), torch.tensor(queries, [B, D]));
        (minusHalfBeta, minusInverseBeta, minusOne) = ((-Beta / 2).ToScalar(), (-1 / Beta).ToScalar(), (-1.0).ToScalar());
    }

    [Benchmark(Baseline = true)]
    public void LibtorchGemm2048()
    {
        using var c = a.mm(b);
    }

    [Benchmark]
    public void TorchBackendMrDamL2Step() => mrdam.Evaluate(queries, B, energies, gradients);

    [Benchmark]
    public void TorchBackendDrDamSinCosStep() => drdam.Evaluate(queries.AsSpan(0, DrBatch * D), DrBatch, energies, gradients);

    [Benchmark]
    public void NaiveTorchMrDamL2Step()
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var logits = torch.cdist(x, xi).square().mul(minusHalfBeta);
        torch.logsumexp(logits, 1).mul(minusInverseBeta).cpu();
        x.add(torch.softmax(logits, 1).mm(xi), minusOne).cpu();
    }

    /// <inheritdoc/>
    public double Flops(string method) => method switch
    {
        nameof(LibtorchGemm2048) => 2.0 * N * N * N,
        nameof(TorchBackendMrDamL2Step) or nameof(NaiveTorchMrDamL2Step) => 4.0 * B * K * D,
        nameof(TorchBackendDrDamSinCosStep) => 4.0 * DrBatch * Y * D,
        _ => 0,
    };
}

using BenchmarkDotNet.Attributes;
using DrDam.ML.Compute;
using DrDam.ML.Compute.Managed;
using DrDam.ML.Memory;
using DrDam.ML.Memory.Features;

namespace DrDam.ML.Benchmarks;

/// <summary>
/// One batched descent step (energy and gradient) of MrDAM and DrDAM at the sizes, next to
/// the plain matrix products they are made of, measured in the same run: the ratio of the step's
/// GFLOP/s to the GEMM's is the step's efficiency.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(Config))]
public unsafe class RetrievalStepBenchmarks : IFlopCounted
{
    private const int B = 256, K = 1024, D = 3072;
    private const int DrBatch = 64, Y = 20_000;

    private sealed class Config : BenchmarkDotNet.Configs.ManualConfig
    {
        public Config() => AddColumn(new FlopsColumn());
    }

    private IEnergyEvaluator mrdam = null!, drdamCached = null!, drdamOnDemand = null!;
    private float[] queries = null!, drQueries = null!, gradients = null!, patterns = null!, scores = null!;
    private double[] energies = null!;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        patterns = Enumerable.Range(0, K * D).Select(_ => (float)(random.NextDouble() / Math.Sqrt(D))).ToArray();
        queries = Enumerable.Range(0, B * D).Select(_ => (float)(random.NextDouble() / Math.Sqrt(D))).ToArray();
        drQueries = queries[..(DrBatch * D)];
        gradients = new float[B * D];
        energies = new double[B];
        scores = new float[B * K];
        var matrix = new MemoryMatrix(D, new MemoryMatrixOptions { Beta = 60 });
        matrix.AddRange(patterns, K);
        mrdam = ManagedBackend.Instance.CreateEvaluator(matrix, B);
        drdamCached = Distributed(ProjectionStorage.Cached);
        drdamOnDemand = Distributed(ProjectionStorage.OnDemand);
    }

    private IEnergyEvaluator Distributed(ProjectionStorage storage)
    {
        var memory = new DistributedMemory(D, new DistributedMemoryOptions { Beta = 60, FeatureCount = Y, ProjectionStorage = storage });
        memory.AddRange(patterns.AsMemory(0, 16 * D), 16);
        return ManagedBackend.Instance.CreateEvaluator(memory, DrBatch);
    }

    /// <summary>S = XΞᵀ then M = SΞ: the two products of an MrDAM step, without the softmax.</summary>
    [Benchmark(Baseline = true)]
    public void TwoGemmsOfTheMrDamStep()
    {
        fixed (float* x = queries, xi = patterns, s = scores, m = gradients)
        {
            Sgemm.Multiply(x, D, xi, D, transposeB: true, s, K, B, K, D, accumulate: false);
            Sgemm.Multiply(s, K, xi, D, transposeB: false, m, D, B, D, K, accumulate: false);
        }
    }

    [Benchmark]
    public void MrDamL2Step() => mrdam.Evaluate(queries, B, energies, gradients);

    [Benchmark]
    public void DrDamSinCosStepCached() => drdamCached.Evaluate(drQueries, DrBatch, energies, gradients);

    [Benchmark]
    public void DrDamSinCosStepOnDemand() => drdamOnDemand.Evaluate(drQueries, DrBatch, energies, gradients);

    /// <inheritdoc/>
    public double Flops(string method) => method switch
    {
        nameof(TwoGemmsOfTheMrDamStep) or nameof(MrDamL2Step) => 4.0 * B * K * D,
        nameof(DrDamSinCosStepCached) or nameof(DrDamSinCosStepOnDemand) => 4.0 * DrBatch * Y * D,
        _ => 0,
    };
}

using DrDam.ML.Compute;
using DrDam.ML.Compute.Ilgpu;
using DrDam.ML.Compute.Torch;
using DrDam.ML.Memory;
using DrDam.ML.Memory.Features;
using DrDam.ML.Samples.Computing;

namespace DrDam.ML.Samples.Benchmarking;

/// <summary>
/// The numbers users quote, measured in one run on this machine: the hardware's ceilings (FMA peak, memory
/// bandwidth) and libtorch's GEMM, the MrDAM and DrDAM steps per backend as GFLOP/s and as fractions of the ceiling
/// that bounds each, our speedup over MrDAM written
/// naively in TorchSharp, and the bytes a DrDAM fit allocates per stored pattern.
/// </summary>
internal static class BenchJob
{
    public static Dictionary<string, object?> Run(BenchSettings settings, Action<string>? stage)
    {
        var torchBackend = new TorchBackend(settings.Device);
        // ILGPU's CPU accelerator emulates GPU threads (a correctness reference): it is timed only on CUDA.
        using var ilgpu = settings.Device != ComputeDevice.Cpu && IlgpuBackend.CudaAvailable() ? new IlgpuBackend(ComputeDevice.Cuda) : null;
        IComputeBackend[] backends = ilgpu is null ? [ManagedBackend.Instance, torchBackend] : [ManagedBackend.Instance, torchBackend, ilgpu];
        IComputeBackend[] gpuBackends = [.. backends.Where(BackendChoice.OnGpu)];
        var report = new Dictionary<string, object?>
        {
            ["device"] = torchBackend.Name == "torch-cuda" ? "cuda" : "cpu",
            ["gpu"] = ilgpu?.DeviceName,
            ["cpu"] = HostProcessor.Describe(),
            ["vector_bits"] = HostProcessor.VectorBits,
            ["processors"] = Environment.ProcessorCount,
            ["torch_threads"] = TorchSharp.torch.get_num_threads(),
        };

        stage?.Invoke("FMA peak (every core)");
        var peak = HardwareBounds.FmaPeakGflops(settings.Budget);
        report["fma_peak_gflops"] = Round(peak);
        stage?.Invoke("memory bandwidth (triad, read sweep)");
        report["memory_bandwidth_gbs"] = Round(HardwareBounds.TriadGbs(settings.Budget));
        var read = HardwareBounds.ReadGbs(settings.Budget);
        report["memory_read_gbs"] = Round(read);
        stage?.Invoke("Gaussian draws (every core)");
        var draws = HardwareBounds.GaussianDrawGvalues(BenchSettings.DrDimension, settings.Budget);
        report["gaussian_draw_gvalues"] = Round(draws);

        var random = new Random(1);
        var (mrB, mrK, mrD) = (BenchSettings.MrBatch, BenchSettings.MrStored, BenchSettings.MrDimension);
        var patterns = Uniform(random, mrK * mrD, 1 / Math.Sqrt(mrD));
        var queries = Uniform(random, mrB * mrD, 1 / Math.Sqrt(mrD));
        var matrix = new MemoryMatrix(mrD, new MemoryMatrixOptions { Beta = 60 });
        matrix.AddRange(patterns, mrK);
        var mrFlops = 4.0 * mrB * mrK * mrD;
        var mrdam = new Dictionary<string, double>();
        foreach (var backend in backends)
        {
            stage?.Invoke($"MrDAM step, {backend.Name}");
            mrdam[backend.Name] = Round(mrFlops / StepSeconds(backend, matrix, queries, mrB, settings.Budget) / 1e9);
        }
        stage?.Invoke("GEMM reference (libtorch matmul)");
        var gemm = TorchReference.GemmGflops(torchBackend.Device, BenchSettings.GemmSize, settings.Budget);
        report["gemm_gflops"] = Round(gemm);
        report["mrdam_step_gflops"] = mrdam;
        report["mrdam_ratio"] = Round(mrdam.Values.Max() / gemm);
        report["mrdam_gemm_ratio"] = mrdam.ToDictionary(p => p.Key, p => Round(p.Value / gemm));
        report["mrdam_peak_fraction"] = Round(mrdam[ManagedBackend.Instance.Name] / peak);
        stage?.Invoke("MrDAM step, naive TorchSharp");
        var naive = TorchReference.NaiveMrDamGflops(torchBackend.Device, patterns, queries, mrD, 60, settings.Budget);
        report["naive_torch_mrdam_gflops"] = Round(naive);
        report["speedup_vs_naive_torch"] = Round(mrdam.Values.Max() / naive);

        var (drB, y, drD) = (BenchSettings.DrBatch, BenchSettings.DrFeatures, BenchSettings.DrDimension);
        var drFlops = 4.0 * drB * y * drD;
        var drQueries = queries[..(drB * drD)];
        var drdam = new Dictionary<string, double>();
        foreach (var storage in new[] { ProjectionStorage.Cached, ProjectionStorage.OnDemand })
        {
            var memory = new DistributedMemory(drD, new DistributedMemoryOptions { Beta = 60, FeatureCount = y, ProjectionStorage = storage });
            memory.AddRange(patterns.AsMemory(0, 16 * drD), 16);
            // The Torch backend always holds Ω on its device, so it is timed once, with the cached memory.
            foreach (var backend in storage == ProjectionStorage.Cached ? backends : [ManagedBackend.Instance])
            {
                var name = $"{backend.Name}_{(storage == ProjectionStorage.Cached ? "cached" : "on_demand")}";
                stage?.Invoke($"DrDAM step, {name}");
                drdam[name] = Round(drFlops / StepSeconds(backend, memory, drQueries, drB, settings.Budget) / 1e9);
            }
        }
        report["drdam_step_gflops"] = drdam;
        report["drdam_gemm_ratio"] = drdam.ToDictionary(p => p.Key, p => Round(p.Value / gemm));
        report["drdam_ratio"] = Round(drdam.Where(p => p.Key.EndsWith("_cached", StringComparison.Ordinal)).Max(p => p.Value) / gemm);
        report["drdam_on_demand_ratio"] = Round(drdam["managed_on_demand"] / gemm);
        report["drdam_peak_fraction"] = Round(drdam["managed_cached"] / peak);
        report["drdam_on_demand_bound_fraction"] = Round(OnDemandBoundFraction(drdam["managed_on_demand"], drB, y, drD, peak, draws));

        // Few rows take the skinny product (B streamed once): one row is the PredictionEngine shape, four the fig1 preset's.
        stage?.Invoke("MrDAM step, one row");
        report["mrdam_single_row_gflops"] = Round(4.0 * mrK * mrD / StepSeconds(ManagedBackend.Instance, matrix, queries[..mrD], 1, settings.Budget) / 1e9);
        // A skinny step does 4·B flops per value of Ω it reads: held Ω bounds it by memory bandwidth (Y·D values of 4 or 2
        // bytes per step), regenerated Ω by the Gaussian draws (and the products).
        foreach (var (storage, name, bytes) in new[] { (ProjectionStorage.Cached, "", 4), (ProjectionStorage.CachedBFloat16, "_bfloat16", 2), (ProjectionStorage.OnDemand, "_on_demand", 0) })
        {
            var skinny = new DistributedMemory(drD, new DistributedMemoryOptions { Beta = 60, FeatureCount = y, ProjectionStorage = storage });
            skinny.AddRange(patterns.AsMemory(0, 16 * drD), 16);
            stage?.Invoke($"DrDAM step, {BenchSettings.SkinnyBatch} rows, {storage}");
            var seconds = StepSeconds(ManagedBackend.Instance, skinny, queries[..(BenchSettings.SkinnyBatch * drD)], BenchSettings.SkinnyBatch, settings.Budget);
            var gflops = 4.0 * BenchSettings.SkinnyBatch * y * drD / seconds / 1e9;
            report[$"drdam_skinny{name}_step_gflops"] = Round(gflops);
            if (bytes > 0)
                report[$"drdam_skinny{name}_bandwidth_fraction"] = Round((double)y * drD * bytes / seconds / 1e9 / read);
            else
                report[$"drdam_skinny{name}_bound_fraction"] = Round(OnDemandBoundFraction(gflops, BenchSettings.SkinnyBatch, y, drD, peak, draws));
        }

        if (gpuBackends.Length > 0)
            GpuSkinnySteps(report, gpuBackends, patterns, queries, settings.Budget, stage);

        foreach (var storage in new[] { ProjectionStorage.OnDemand, ProjectionStorage.Cached })
        {
            var key = storage == ProjectionStorage.OnDemand ? "drdam_fit_bytes_per_pattern" : "drdam_fit_bytes_per_pattern_cached";
            var perPattern = new Dictionary<string, double>();
            foreach (var k in BenchSettings.FitCounts)
            {
                stage?.Invoke($"DrDAM fit, K = {k}, {storage}");
                perPattern[k.ToString(System.Globalization.CultureInfo.InvariantCulture)] = Round(FitAllocation.BytesPerPattern(k, storage));
            }
            report[key] = perPattern;
        }
        return report;
    }

    // The skinny step (B = 4) on each GPU backend, Ω held in the GPU's memory (fp32): the bytes of Ω per step against the
    // GPU's read bandwidth, measured here with libtorch; and ILGPU's step with Ω generated in the kernel.
    private static void GpuSkinnySteps(Dictionary<string, object?> report, IComputeBackend[] gpuBackends, float[] patterns, float[] queries, TimeSpan budget, Action<string>? stage)
    {
        stage?.Invoke("GPU memory read bandwidth");
        var read = TorchReference.DeviceReadGbs(budget);
        report["gpu_memory_read_gbs"] = Round(read);
        var (y, d, b) = (BenchSettings.DrFeatures, BenchSettings.DrDimension, BenchSettings.SkinnyBatch);
        var fractions = new Dictionary<string, double>();
        var rates = new Dictionary<string, double>();
        foreach (var storage in new[] { ProjectionStorage.Cached, ProjectionStorage.OnDemand })
        {
            var memory = new DistributedMemory(d, new DistributedMemoryOptions { Beta = 60, FeatureCount = y, ProjectionStorage = storage });
            memory.AddRange(patterns.AsMemory(0, 16 * d), 16);
            // The Torch backend holds Ω whatever the storage: it is timed with the held one only.
            foreach (var backend in storage == ProjectionStorage.Cached ? gpuBackends : gpuBackends.Where(g => g is IlgpuBackend))
            {
                var name = $"{backend.Name}_{(storage == ProjectionStorage.Cached ? "cached" : "on_demand")}";
                stage?.Invoke($"DrDAM step, {b} rows, {name}");
                var seconds = StepSeconds(backend, memory, queries[..(b * d)], b, budget);
                rates[name] = Round(4.0 * b * y * d / seconds / 1e9);
                if (storage == ProjectionStorage.Cached)
                    fractions[name] = Round((double)y * d * sizeof(float) / seconds / 1e9 / read);
            }
        }
        report["gpu_skinny_step_gflops"] = rates;
        report["gpu_skinny_bandwidth_fraction"] = fractions;
    }

    // A step that regenerates Ω draws its Y·D values once and then multiplies with them on the same cores, so it takes at
    // least the draws' time plus the products' time at the FMA peak: the bound's time over the step's.
    private static double OnDemandBoundFraction(double stepGflops, int batch, int y, int d, double peakGflops, double drawGvalues)
    {
        var flops = 4.0 * batch * y * d / 1e9;
        return ((double)y * d / 1e9 / drawGvalues + flops / peakGflops) / (flops / stepGflops);
    }

    private static double StepSeconds(IComputeBackend backend, IAssociativeMemory memory, float[] queries, int batch, TimeSpan budget)
    {
        using var evaluator = backend.CreateEvaluator(memory, batch);
        var energies = new double[batch];
        var gradients = new float[queries.Length];
        return Stopwatches.MedianSeconds(() => evaluator.Evaluate(queries, batch, energies, gradients), budget);
    }

    private static float[] Uniform(Random random, int count, double high)
        => Enumerable.Range(0, count).Select(_ => (float)(random.NextDouble() * high)).ToArray();

    private static double Round(double value) => Math.Round(value, 3);
}

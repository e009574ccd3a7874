using System.Diagnostics;
using DrDam.ML.Compute;
using DrDam.ML.Memory;
using DrDam.ML.Memory.Features;
using DrDam.ML.Memory.Dynamics;
using DrDam.ML.Samples.Benchmarking;
using DrDam.ML.Samples.Computing;
using DrDam.ML.Samples.Rendering;
using DrDam.ML.Transforms;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Image;

namespace DrDam.ML.Samples.Imaging;

/// <summary>
/// One inpainting or denoising run as an ML.NET pipeline: images → ResizeImages → (ConvertToGrayscale) →
/// ExtractPixels scaled into [0, 1/√D] (docs/MATH.md §5) → Occlude or AddNoise → Store (MrDAM and/or DrDAM) →
/// retrieval from the corrupted pixels; then the grid and energy PNGs and the measures.
/// </summary>
internal sealed class ImageJob(ImageJobSettings settings)
{
    /// <summary>Measures, output files and timings of a run, in the order printed.</summary>
    public Dictionary<string, object?> Run(Func<string, IProgress<int>?> progressFor)
    {
        var clock = Stopwatch.StartNew();
        var s = settings;
        if (s.Count < 1)
            throw new ArgumentException($"--count must be >= 1 (got {s.Count}).");
        // Everything that can be checked before loading anything is checked here: settings, then the output folder.
        var memories = AsOption(() => Memories().ToList());
        var retrieval = AsOption(() => new RetrievalOptions { StepSize = s.Step, MaxSteps = s.Steps, Tolerance = s.Tolerance, RecordEnergyTrace = true });
        var outDir = OutputFolder.Prepare(s.Out ?? Path.Combine("out", s.Command), "--out");
        var backend = BackendChoice.Create(s.Backend, s.Device);
        using var ownedBackend = backend as IDisposable;
        var ml = new MLContext(seed: s.Seed);
        var (images, nativeWidth, nativeHeight, n) = ImageSource.Load(ml, s.Images, s.Count, s.Tint && !s.Grey);
        var (width, height) = s.Size ?? (nativeWidth, nativeHeight);
        var channels = s.Grey || (s.Images is null && !s.Tint) ? 1 : 3;
        var values = (long)width * height * channels;
        var batch = Math.Min(n, 64);
        if (values * batch > MemoryLimits.MaxValues)
            throw new ArgumentException($"--size: images of {width}×{height}×{channels} = {values:N0} values are too large: a batch of {batch} needs {values * batch:N0} values, more than one array holds ({MemoryLimits.MaxValues:N0}). Resize them with --size.");
        var d = (int)values;
        foreach (var (_, memory) in memories)
        {
            if (memory is DistributedMemoryOptions distributed)
                AsOption(() => FeatureSpace.EnsureFits(d, distributed), $" for images of {width}×{height}×{channels} = {d:N0} values");
        }
        var scale = (float)(1 / Math.Sqrt(d));
        var corruption = s.Command == "denoise"
            ? Corruption.ParseNoise(s.Noise ?? ImageJobSettings.DefaultNoise, scale, (ulong)s.Seed)
            : Corruption.ParseOcclusion(s.Occlude ?? ImageJobSettings.DefaultOcclusion, width, height, channels, (ulong)s.Seed);

        IEstimator<ITransformer> prepare = ml.Transforms.ResizeImages(ImageSource.ImageColumn, width, height, resizing: ImageResizingEstimator.ResizingKind.Fill);
        if (channels == 1)
            prepare = prepare.Append(ml.Transforms.ConvertToGrayscale(ImageSource.ImageColumn));
        prepare = prepare.Append(ml.Transforms.ExtractPixels("Pixels", ImageSource.ImageColumn,
            colorsToExtract: channels == 1 ? ImagePixelExtractingEstimator.ColorBits.Red : ImagePixelExtractingEstimator.ColorBits.Rgb,
            scaleImage: scale / 255));
        prepare = corruption.Occlusion is { } occlusion
            ? prepare.Append(ml.Transforms.AssociativeMemory.Occlude("Corrupted", "Visible", "Pixels", occlusion))
            : prepare.Append(ml.Transforms.AssociativeMemory.AddNoise("Corrupted", "Pixels", corruption.Noise!));
        var columns = corruption.Occlusion is null ? new[] { "Pixels", "Corrupted" } : ["Pixels", "Corrupted", "Visible"];
        var prepared = ml.Data.Cache(prepare.Fit(images).Transform(images), columns);
        if (corruption.Occlusion is not null && prepared.GetColumn<VBuffer<bool>>("Visible").All(v => v.DenseValues().All(visible => visible)))
            throw new ArgumentException($"--occlude {corruption.Text} hides no pixel of a {width}×{height} image.");

        var results = new Dictionary<string, (float[][] States, double[][] Trace, int[] Steps)>();
        var retrievalSeconds = new Dictionary<string, double>();
        var firstStepSeconds = new Dictionary<string, double?>();
        foreach (var (name, memory) in memories)
        {
            // Stores the clean pixels and restores the corrupted ones (visible pixels clamped) in one estimator.
            var store = ml.Transforms.AssociativeMemory.Store(name, "Pixels", "Corrupted", corruption.Occlusion is null ? null : "Visible",
                new MemoryStoreOptions { Memory = memory, Retrieval = retrieval, BatchSize = batch }).Fit(prepared);
            var watch = Stopwatch.StartNew();
            var firstStep = new FirstStepClock(watch, progressFor(name));
            results[name] = Read(store.WithBackend(backend).WithProgress(firstStep).Transform(prepared), name);
            retrievalSeconds[name] = Math.Round(watch.Elapsed.TotalSeconds, 2);
            firstStepSeconds[name] = firstStep.Seconds is { } first ? Math.Round(first, 2) : null;
        }

        var original = Vectors(prepared, "Pixels");
        var corrupted = Vectors(prepared, "Corrupted");
        var judged = corruption.Occlusion is null ? null : prepared.GetColumn<VBuffer<bool>>("Visible").Select(v => v.DenseValues().Select(x => !x).ToArray()).ToArray();
        double? Mse(string? name, float[][]? reference = null)
            => name is null || !results.TryGetValue(name, out var r) ? null : MeanSquaredError(r.States, reference ?? original, judged, scale);

        var gridPath = Path.GetFullPath(Path.Combine(outDir, "grid.png"));
        var rows = new List<(string, IReadOnlyList<byte[]>)> { ("original", ToRgb(original, width, height, channels, scale)), (s.Command == "denoise" ? "noisy" : "occluded", ToRgb(corrupted, width, height, channels, scale)) };
        rows.AddRange(results.Select(r => (r.Key, (IReadOnlyList<byte[]>)ToRgb(r.Value.States, width, height, channels, scale))));
        ImageGrid.Save(gridPath, rows, width, height);
        var plotPath = Path.GetFullPath(Path.Combine(outDir, "energy.png"));
        var plot = new LinePlot($"{s.Command}: mean energy over {n} queries", "step", "energy");
        foreach (var (name, r) in results)
            plot.Add(name, Enumerable.Range(0, s.Steps + 1).Select(t => (double)t).ToArray(), Enumerable.Range(0, s.Steps + 1).Select(t => r.Trace.Average(tr => tr[t])).ToArray());
        plot.Save(plotPath);

        int? omegaReads = results.TryGetValue("DrDAM", out var drdam) ? OmegaReads(drdam.Steps, batch) : null;
        var report = new Dictionary<string, object?>
        {
            ["command"] = s.Command,
            ["images"] = n,
            ["dimension"] = d,
            ["stored"] = n,
            ["representation"] = s.Representation,
            ["beta"] = s.Beta,
            ["features"] = s.UsesDistributed ? s.Features : null,
            ["corruption"] = corruption.Text,
            ["mse_corrupted"] = MeanSquaredError(corrupted, original, judged, scale),
            ["mse_mrdam"] = Mse("MrDAM"),
            ["mse_drdam"] = Mse("DrDAM"),
            ["mse_drdam_vs_mrdam"] = results.ContainsKey("MrDAM") ? Mse("DrDAM", results["MrDAM"].States) : null,
            ["mean_steps"] = results.Values.First().Steps.Average(),
            ["backend"] = backend.Name,
            ["retrieval_seconds"] = retrievalSeconds,
            ["first_step_seconds"] = firstStepSeconds,
            ["drdam_omega_reads"] = omegaReads,
            ["seconds"] = Math.Round(clock.Elapsed.TotalSeconds, 2),
            ["peak_memory_mb"] = Math.Round(Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0, 1),
            ["outputs"] = new[] { gridPath, plotPath },
        };
        if (s.Roofline && omegaReads is { } reads)
            AddRoofline(report, reads, (long)s.Features * d, retrievalSeconds["DrDAM"], firstStepSeconds["DrDAM"], backend);
        return report;
    }

    // DrDAM's floor when Ω is held: every read streams Y·D values of 4 (fp32) or 2 (bfloat16) bytes from memory. The GPU
    // backends hold Ω in fp32 in the GPU's memory, whose read bandwidth TorchSharp measures.
    // The descent's own ratio leaves out the first step (building the evaluator: on a GPU, sending Ω there) and its read.
    private void AddRoofline(Dictionary<string, object?> report, int reads, long omegaValues, double seconds, double? firstStep, IComputeBackend backend)
    {
        var gpu = BackendChoice.OnGpu(backend);
        var read = gpu ? TorchReference.DeviceReadGbs(TimeSpan.FromSeconds(2)) : HardwareBounds.ReadGbs(TimeSpan.FromSeconds(2));
        report[gpu ? "gpu_memory_read_gbs" : "memory_read_gbs"] = Math.Round(read, 2);
        var bytes = settings.Omega switch { ProjectionStorage.OnDemand => 0, _ when gpu => 4, ProjectionStorage.Cached => 4, _ => 2 };
        if (bytes == 0)
            return; // regenerated Ω is bound by the Gaussian draws, not by memory
        var floor = reads * omegaValues * bytes / (read * 1e9);
        report["drdam_bandwidth_floor_seconds"] = Math.Round(floor, 4);
        report["drdam_floor_ratio"] = Math.Round(seconds / floor, 3);
        if (firstStep is { } first && reads > 1)
            report["drdam_descent_floor_ratio"] = Math.Round((seconds - first) / (floor * (reads - 1) / reads), 3);
    }

    // Steps that read Ω: each batch evaluates once per step until its slowest row stops, plus the last evaluation.
    private static int OmegaReads(int[] steps, int batch)
        => steps.Chunk(batch).Sum(rows => rows.Max() + 1);

    // The option a library setting came from, so that an error names what the user typed.
    private static readonly Dictionary<string, string> Options = new()
    {
        ["Beta"] = "--beta", ["FeatureCount"] = "--features", ["ProjectionBlockSize"] = "--size",
        ["StepSize"] = "--step", ["MaxSteps"] = "--steps", ["Tolerance"] = "--tolerance",
    };

    private static T AsOption<T>(Func<T> build, string context = "")
    {
        try
        {
            return build();
        }
        catch (ArgumentException e) when (e.ParamName is { } name && Options.ContainsKey(name))
        {
            throw new ArgumentException($"{Options[name]}{context}: {e.Message}", e); // the CLI drops .NET's "(Parameter …)" tail
        }
    }

    private static void AsOption(Action check, string context) => AsOption(() => { check(); return 0; }, context);

    private IEnumerable<(string Name, AssociativeMemoryOptions Memory)> Memories()
    {
        var s = settings;
        if (s.UsesMatrix)
            yield return ("MrDAM", new MemoryMatrixOptions { Beta = s.Beta });
        if (s.UsesDistributed)
            yield return ("DrDAM", new DistributedMemoryOptions { Beta = s.Beta, FeatureCount = s.Features, Basis = s.Basis, Seed = (ulong)s.Seed, ProjectionStorage = s.Omega });
    }

    // One pass over the retrieval: each row's descent runs once for all three columns.
    private static (float[][] States, double[][] Trace, int[] Steps) Read(IDataView output, string name)
    {
        var columns = new[] { name, name + "EnergyTrace", name + "Steps" }.Select(c => output.Schema[c]).ToArray();
        using var cursor = output.GetRowCursor(columns);
        var (getState, getTrace, getSteps) = (cursor.GetGetter<VBuffer<float>>(columns[0]), cursor.GetGetter<VBuffer<double>>(columns[1]), cursor.GetGetter<int>(columns[2]));
        var (states, traces, steps) = (new List<float[]>(), new List<double[]>(), new List<int>());
        VBuffer<float> state = default;
        VBuffer<double> trace = default;
        var taken = 0;
        while (cursor.MoveNext())
        {
            getState(ref state);
            getTrace(ref trace);
            getSteps(ref taken);
            states.Add(state.DenseValues().ToArray());
            traces.Add(trace.DenseValues().ToArray());
            steps.Add(taken);
        }
        return (states.ToArray(), traces.ToArray(), steps.ToArray());
    }

    private static float[][] Vectors(IDataView data, string column)
        => data.GetColumn<VBuffer<float>>(column).Select(v => v.DenseValues().ToArray()).ToArray();

    /// <summary>Mean squared error in pixel units ([0, 1]) over the judged coordinates (the hidden ones, or all when null).</summary>
    public static double MeanSquaredError(float[][] values, float[][] reference, bool[][]? judged, float scale)
    {
        double sum = 0;
        long count = 0;
        for (var r = 0; r < values.Length; r++)
            for (var i = 0; i < values[r].Length; i++)
            {
                if (judged is not null && !judged[r][i])
                    continue;
                var e = (values[r][i] - reference[r][i]) / scale;
                sum += e * e;
                count++;
            }
        return count == 0 ? 0 : sum / count;
    }

    // Planar channel vectors (ExtractPixels' layout) back to RGB bytes; grey is repeated in all three.
    private static byte[][] ToRgb(float[][] vectors, int width, int height, int channels, float scale)
    {
        var pixels = width * height;
        return vectors.Select(v =>
        {
            var rgb = new byte[3 * pixels];
            for (var p = 0; p < pixels; p++)
                for (var c = 0; c < 3; c++)
                    rgb[3 * p + c] = (byte)Math.Clamp(Math.Round(v[(channels == 1 ? 0 : c) * pixels + p] / scale * 255), 0, 255);
            return rgb;
        }).ToArray();
    }
}

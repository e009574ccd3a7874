using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using DrDam.ML.Compute;
using DrDam.ML.Memory;
using DrDam.ML.Memory.Dynamics;
using DrDam.ML.Memory.Features;
using DrDam.ML.Samples.Data;
using Spectre.Console;

namespace DrDam.ML.Samples.Commands;

/// <summary>
/// <c>inpaint</c>: store images, hide part of each, and let MrDAM and DrDAM restore the hidden pixels
/// from the visible ones (the visible pixels are clamped). Pixels are scaled into [0, 1/√D] as in the paper.
/// </summary>
public static class InpaintCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var count = new Option<int>("--count") { Description = "Images to store (and query)", DefaultValueFactory = _ => 20 };
        var occlude = new Option<string>("--occlude") { Description = "bottom:F or random:F", DefaultValueFactory = _ => "bottom:0.5" };
        var representation = new Option<string>("--representation") { Description = "mr, dr or both", DefaultValueFactory = _ => "both" };
        representation.AcceptOnlyFromAmong("mr", "dr", "both");
        var beta = new Option<double>("--beta") { Description = "Inverse temperature β", DefaultValueFactory = _ => 60 };
        var features = new Option<int>("--features") { Description = "Y, DrDAM's random projections", DefaultValueFactory = _ => 80_000 };
        var basis = new Option<FeatureBasisKind>("--basis") { Description = "DrDAM feature basis", DefaultValueFactory = _ => FeatureBasisKind.SinCos };
        var omega = new Option<string>("--omega") { Description = "cached or on-demand", DefaultValueFactory = _ => "cached" };
        omega.AcceptOnlyFromAmong("cached", "on-demand");
        var step = new Option<double>("--step") { Description = "Step size η", DefaultValueFactory = _ => 0.1 };
        var steps = new Option<int>("--steps") { Description = "Most descent steps L", DefaultValueFactory = _ => 300 };
        var seed = new Option<int>("--seed") { Description = "Seed of Ω and of random occlusion", DefaultValueFactory = _ => 7 };
        var json = new Option<bool>("--json") { Description = "Print one JSON object as the last line" };
        var command = new Command("inpaint", "Restore occluded Fashion-MNIST images (embedded data/) with MrDAM and DrDAM")
        {
            count, occlude, representation, beta, features, basis, omega, step, steps, seed, json,
        };
        command.SetAction(result => Run(new Settings(
            result.GetValue(count), Occlusion.Parse(result.GetValue(occlude)!), result.GetValue(representation)!,
            result.GetValue(beta), result.GetValue(features), result.GetValue(basis),
            result.GetValue(omega) == "on-demand" ? ProjectionStorage.OnDemand : ProjectionStorage.Cached,
            result.GetValue(step), result.GetValue(steps), result.GetValue(seed), result.GetValue(json))));
        return command;
    }

    private sealed record Settings(int Count, Occlusion Occlusion, string Representation, double Beta, int Features,
        FeatureBasisKind Basis, ProjectionStorage Omega, double Step, int Steps, int Seed, bool Json);

    private static int Run(Settings s)
    {
        if (s.Count < 1)
            throw new ArgumentException($"--count must be >= 1 (got {s.Count}).");
        var clock = Stopwatch.StartNew();
        var images = IdxImages.Read(SampleData.FashionMnistImages, s.Count);
        var d = images.Dimension;
        var n = images.Count;
        var scale = (float)(1 / Math.Sqrt(d));
        var patterns = new float[n * d];
        for (var i = 0; i < patterns.Length; i++)
            patterns[i] = images.Pixels[i] / 255f * scale;
        var hidden = new bool[n * d];
        var random = new Random(s.Seed);
        for (var q = 0; q < n; q++)
            s.Occlusion.Apply(images.Height, images.Width, random, hidden.AsSpan(q * d, d));
        var queries = (float[])patterns.Clone();
        var clamped = new bool[n * d];
        for (var i = 0; i < queries.Length; i++)
        {
            clamped[i] = !hidden[i];
            if (hidden[i])
                queries[i] = 0;
        }
        var options = new RetrievalOptions { StepSize = s.Step, MaxSteps = s.Steps };

        RetrievalResult? mr = null, dr = null;
        Progress(s.Json, ctx =>
        {
            if (s.Representation is "mr" or "both")
            {
                ctx?.Status($"MrDAM: {n} images, D = {d}");
                var memory = new MemoryMatrix(d, new MemoryMatrixOptions { Beta = s.Beta });
                memory.AddRange(patterns, n);
                mr = memory.Retrieve(queries, n, options, clamped);
            }
            if (s.Representation is "dr" or "both")
            {
                ctx?.Status($"DrDAM: Y = {s.Features}, {s.Basis}, Ω {s.Omega}");
                var memory = new DistributedMemory(d, new DistributedMemoryOptions { Beta = s.Beta, FeatureCount = s.Features, Basis = s.Basis, Seed = (ulong)s.Seed, ProjectionStorage = s.Omega });
                memory.AddRange(patterns, n);
                dr = memory.Retrieve(queries, n, options, clamped);
            }
        });

        // Errors in pixel units ([0, 1]) over the hidden pixels.
        double? Mse(float[]? states, float[] reference)
        {
            if (states is null)
                return null;
            double sum = 0;
            var hiddenCount = 0;
            for (var i = 0; i < states.Length; i++)
            {
                if (!hidden[i])
                    continue;
                var e = (states[i] - reference[i]) / scale;
                sum += e * e;
                hiddenCount++;
            }
            return hiddenCount == 0 ? 0 : sum / hiddenCount;
        }
        var report = new Dictionary<string, object?>
        {
            ["command"] = "inpaint",
            ["images"] = n,
            ["dimension"] = d,
            ["stored"] = n,
            ["representation"] = s.Representation,
            ["beta"] = s.Beta,
            ["features"] = s.Representation == "mr" ? null : s.Features,
            ["mse_corrupted"] = Mse(queries, patterns),
            ["mse_mrdam"] = Mse(mr?.States, patterns),
            ["mse_drdam"] = Mse(dr?.States, patterns),
            ["mse_drdam_vs_mrdam"] = mr is null || dr is null ? null : Mse(dr.States, mr.States),
            ["mean_steps"] = (mr ?? dr)!.Steps.Average(),
            ["seconds"] = Math.Round(clock.Elapsed.TotalSeconds, 2),
            ["peak_memory_mb"] = Math.Round(Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0, 1),
        };
        var table = new Table().AddColumn("measure").AddColumn(new TableColumn("value").RightAligned());
        foreach (var (key, value) in report)
            table.AddRow(key, Markup.Escape(value switch { null => "-", double v => v.ToString("G4"), _ => value.ToString()! }));
        if (!s.Json)
            AnsiConsole.Write(table);
        else
            Console.WriteLine(JsonSerializer.Serialize(report));
        return 0;
    }

    private static void Progress(bool quiet, Action<StatusContext?> work)
    {
        if (quiet || Console.IsOutputRedirected)
            work(null);
        else
            AnsiConsole.Status().Start("starting", ctx => work(ctx));
    }
}

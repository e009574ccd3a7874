using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using DrDam.ML.Compute;
using DrDam.ML.Memory.Features;
using DrDam.ML.Samples.Computing;
using DrDam.ML.Samples.Imaging;
using Spectre.Console;

namespace DrDam.ML.Samples.Commands;

/// <summary>
/// The <c>inpaint</c> and <c>denoise</c> commands: the same image pipeline, with <c>--occlude</c> or <c>--noise</c>.
/// Options left out take the preset's value, else the default; with no options at all, <c>inpaint</c> runs on
/// the embedded Fashion-MNIST subset.
/// </summary>
internal static class ImageCommand
{
    public static Command Create(string name)
    {
        var denoise = name == "denoise";
        var images = new Option<string?>("--images") { Description = "Folder of images to store (png/jpg); default: the embedded Fashion-MNIST subset (data/)" };
        var dataset = new Option<string?>("--dataset") { Description = "fashion-mnist (the default source)" };
        dataset.AcceptOnlyFromAmong("fashion-mnist");
        var preset = new Option<string?>("--preset") { Description = "fig1 (64×64×3, 4 images, Y=180000, 300 steps, bottom 2/3 hidden) or fig2 (20 images, Y=200000, 1000 steps, 40% hidden)" };
        preset.AcceptOnlyFromAmong("fig1", "fig2");
        var count = new Option<int?>("--count") { Description = "Images to store and query [default: 20]" };
        var size = new Option<string?>("--size") { Description = "Resize to WxH [default: the images' own size]" };
        var grey = new Option<bool>("--grey") { Description = "Use one grey channel" };
        var corruption = new Option<string?>(denoise ? "--noise" : "--occlude")
        {
            Description = denoise ? "gaussian:S (σ in pixel units), saltpepper:P or flip:P [default: gaussian:0.2]" : "bottom:F, random:F or box:x,y,w,h [default: bottom:0.5]",
        };
        var representation = new Option<string?>("--representation") { Description = "mr, dr or both [default: both]" };
        representation.AcceptOnlyFromAmong("mr", "dr", "both");
        var beta = new Option<double?>("--beta") { Description = "Inverse temperature β [default: 60]" };
        var features = new Option<int?>("--features") { Description = "Y, DrDAM's random projections [default: 80000]" };
        var basis = new Option<FeatureBasisKind?>("--basis") { Description = "DrDAM feature basis [default: SinCos]" };
        var omega = new Option<string?>("--omega") { Description = "cached (4·Y·D bytes), bfloat16 (2·Y·D bytes) or on-demand (regenerated each step) [default: cached]" };
        omega.AcceptOnlyFromAmong("cached", "bfloat16", "on-demand");
        var step = new Option<double?>("--step") { Description = "Step size η [default: 0.1]" };
        var steps = new Option<int?>("--steps") { Description = "Most descent steps L [default: 300]" };
        var tolerance = new Option<double?>("--tolerance") { Description = "Stop a query once its energy changes by less than this; 0 runs every step [default: 1e-6]" };
        var seed = new Option<int?>("--seed") { Description = "Seed of Ω, occlusion and noise [default: 7]" };
        var output = new Option<string?>("--out") { Description = $"Output folder [default: out/{name}]" };
        var json = new Option<bool>("--json") { Description = "Print one JSON object as the last line (no progress display)" };
        var backend = new Option<string?>("--backend") { Description = "Where the descent runs: managed (this library's CPU kernels), torch or ilgpu [default: managed]" };
        backend.AcceptOnlyFromAmong(BackendChoice.Names);
        var device = new Option<string?>("--device") { Description = "cpu, cuda or auto: the device of the torch and ilgpu backends [default: auto]" };
        device.AcceptOnlyFromAmong("auto", "cpu", "cuda");
        var roofline = new Option<bool>("--roofline") { Description = "Also measure the memory read bandwidth and report DrDAM's retrieval time against its floor (reads of Ω × bytes ÷ bandwidth)" };
        var command = new Command(name, denoise
            ? "Store images, add noise to copies, and restore them with MrDAM and DrDAM"
            : "Store images, hide part of each copy, and restore the hidden pixels with MrDAM and DrDAM (visible pixels clamped)")
        {
            images, dataset, preset, count, size, grey, corruption, representation, beta, features, basis, omega, step, steps, tolerance, seed, output, json, roofline, backend, device,
        };
        command.SetAction(result =>
        {
            var baseline = result.GetValue(preset) is { } p ? ImageJobSettings.Preset(p, name) : new ImageJobSettings { Command = name };
            var settings = baseline with
            {
                Images = result.GetValue(images) ?? baseline.Images,
                Count = result.GetValue(count) ?? baseline.Count,
                Size = result.GetValue(size) is { } wh ? ParseSize(wh) : baseline.Size,
                Grey = result.GetValue(grey) || baseline.Grey,
                Occlude = denoise ? null : result.GetValue(corruption) ?? baseline.Occlude,
                Noise = denoise ? result.GetValue(corruption) ?? ImageJobSettings.DefaultNoise : null,
                Representation = result.GetValue(representation) ?? baseline.Representation,
                Beta = result.GetValue(beta) ?? baseline.Beta,
                Features = result.GetValue(features) ?? baseline.Features,
                Basis = result.GetValue(basis) ?? baseline.Basis,
                Omega = result.GetValue(omega) switch { "on-demand" => ProjectionStorage.OnDemand, "bfloat16" => ProjectionStorage.CachedBFloat16, "cached" => ProjectionStorage.Cached, _ => baseline.Omega },
                Step = result.GetValue(step) ?? baseline.Step,
                Steps = result.GetValue(steps) ?? baseline.Steps,
                Tolerance = result.GetValue(tolerance) ?? baseline.Tolerance,
                Seed = result.GetValue(seed) ?? baseline.Seed,
                Out = result.GetValue(output) ?? baseline.Out,
                Json = result.GetValue(json),
                Roofline = result.GetValue(roofline),
                Backend = result.GetValue(backend) ?? baseline.Backend,
                Device = result.GetValue(device) is { } where ? Enum.Parse<ComputeDevice>(where, ignoreCase: true) : baseline.Device,
            };
            return Run(settings);
        });
        return command;
    }

    private static (int, int) ParseSize(string text)
    {
        var parts = text.ToLowerInvariant().Split('x');
        if (parts.Length == 2 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var w)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var h) && w > 0 && h > 0)
            return (w, h);
        throw new ArgumentException($"--size must be WxH with positive integers, e.g. 64x64 (got '{text}').");
    }

    private static int Run(ImageJobSettings settings)
    {
        var job = new ImageJob(settings);
        Dictionary<string, object?> report;
        if (settings.Json || Console.IsOutputRedirected)
        {
            report = job.Run(_ => null);
        }
        else
        {
            report = null!;
            AnsiConsole.Progress().AutoClear(false).Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                .Start(ctx => report = job.Run(name =>
                {
                    var task = ctx.AddTask($"{name} descent", maxValue: settings.Steps);
                    return new Progress<int>(step => task.Value = step);
                }));
        }
        if (settings.Json)
        {
            Console.WriteLine(JsonSerializer.Serialize(report));
            return 0;
        }
        AnsiConsole.Write(ReportTable.Of(report));
        return 0;
    }
}

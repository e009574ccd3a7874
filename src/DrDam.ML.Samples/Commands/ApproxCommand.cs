using DrDam.ML.Memory.Features;
using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;
using DrDam.ML.Samples.Approximation;
using Spectre.Console;

namespace DrDam.ML.Samples.Commands;

/// <summary><c>approx STUDY</c>: regenerates one of the paper's approximation experiments as a table, PNG plots and JSON rows.</summary>
internal static class ApproxCommand
{
    private static readonly IApproximationStudy[] Studies = [new EnergyGradientStudy(), new RetrievalStudy(), new BasisStudy(), new BoundStudy()];

    private static readonly JsonSerializerOptions Json = new() { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    public static Command Create()
    {
        var study = new Argument<string>("study") { Description = "energy-gradient (Fig. 3), retrieval (Fig. 4A), basis (Fig. 6) or bound (Theorem 2)" };
        study.AcceptOnlyFromAmong(Studies.Select(s => s.Name).ToArray());
        var quick = new Option<bool>("--quick") { Description = "Smaller grids: each study ends within a minute on 2 cores" };
        var seed = new Option<int>("--seed") { Description = "Seed of the patterns and of Ω", DefaultValueFactory = _ => 0 };
        var output = new Option<string>("--out") { Description = "Folder of the PNG plots", DefaultValueFactory = _ => Path.Combine("out", "approx") };
        var omega = new Option<string>("--omega") { Description = "How DrDAM holds Ω: cached (fp32) or bfloat16 (rounded once)", DefaultValueFactory = _ => "cached" };
        omega.AcceptOnlyFromAmong("cached", "bfloat16");
        var json = new Option<bool>("--json") { Description = "Print { \"study\", \"rows\" } as one JSON object on the last line (no progress display)" };
        var command = new Command("approx", "Reproduce the paper's approximation and retrieval results: DrDAM against MrDAM")
        {
            study, quick, seed, omega, output, json,
        };
        command.SetAction(result => Run(Studies.Single(s => s.Name == result.GetValue(study)), new StudySettings(result.GetValue(quick), result.GetValue(seed), result.GetValue(omega) == "bfloat16" ? ProjectionStorage.CachedBFloat16 : ProjectionStorage.Cached),
            result.GetValue(output)!, result.GetValue(json)));
        return command;
    }

    private static int Run(IApproximationStudy study, StudySettings settings, string folder, bool json)
    {
        folder = OutputFolder.Prepare(folder, "--out"); // before the study runs, not after
        var watch = Stopwatch.StartNew();
        IReadOnlyList<ApproximationRow> rows = null!;
        if (json || Console.IsOutputRedirected)
            rows = study.Run(settings, null);
        else
            AnsiConsole.Progress().AutoClear(false).Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                .Start(ctx =>
                {
                    var task = ctx.AddTask(study.Name, maxValue: 1);
                    rows = study.Run(settings, new Progress<double>(fraction => task.Value = fraction));
                    task.Value = 1;
                });
        var outputs = study.Plot(rows, folder);
        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(new { study = study.Name, quick = settings.Quick, seconds = watch.Elapsed.TotalSeconds, outputs, rows }, Json));
            return 0;
        }
        AnsiConsole.Write(study.Summarize(rows));
        foreach (var file in outputs)
            AnsiConsole.WriteLine(file);
        return 0;
    }
}

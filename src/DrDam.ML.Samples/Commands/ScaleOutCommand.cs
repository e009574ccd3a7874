using System.CommandLine;
using System.Text.Json;
using DrDam.ML.Samples.ScaleOut;
using Spectre.Console;

namespace DrDam.ML.Samples.Commands;

/// <summary><c>scale-out</c>: Fashion-MNIST stored in a DrDAM sharded over silo processes joined through Redis, against one process.</summary>
internal static class ScaleOutCommand
{
    public static Command Create()
    {
        var silos = new Option<int>("--silos") { Description = "Silo processes on loopback", DefaultValueFactory = _ => 3 };
        var rows = new Option<int?>("--rows") { Description = "Training images to store [default: all 60,000 from shared/data, else the embedded 1,000]" };
        var partitions = new Option<int>("--partitions") { Description = "Partitions of the fit", DefaultValueFactory = _ => 24 };
        var features = new Option<int>("--features") { Description = "Y, random features", DefaultValueFactory = _ => 8192 };
        var queries = new Option<int>("--queries") { Description = "Occluded test images retrieved", DefaultValueFactory = _ => 100 };
        var seed = new Option<ulong>("--seed") { Description = "τ, the seed of Ω", DefaultValueFactory = _ => 1UL };
        var killOne = new Option<bool>("--kill-one") { Description = "Kill one silo process halfway through the fit" };
        var json = new Option<bool>("--json") { Description = "Print one JSON object as the last line (no live display)" };
        var command = new Command("scale-out", "Fit Fashion-MNIST into a DrDAM sharded over Orleans silo processes (Redis), compare with one process, retrieve through the cluster")
        {
            silos, rows, partitions, features, queries, seed, killOne, json,
        };
        command.SetAction(result =>
        {
            var settings = new ScaleOutSettings(result.GetValue(silos), result.GetValue(rows), result.GetValue(partitions), result.GetValue(features),
                result.GetValue(queries), result.GetValue(seed), result.GetValue(killOne));
            var report = Run(settings, result.GetValue(json));
            if (result.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(report));
                return 0;
            }
            AnsiConsole.Write(ReportTable.Of(report));
            return 0;
        });
        return command;
    }

    private static Dictionary<string, object?> Run(ScaleOutSettings settings, bool json)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        void Log(string line) => Console.Error.WriteLine($"[{started.Elapsed:hh\\:mm\\:ss}] {line}");
        if (json || Console.IsOutputRedirected)
            return ScaleOutJob.Run(settings, (_, _, _) => { }, Log);
        Dictionary<string, object?> report = null!;
        AnsiConsole.Progress().AutoClear(false).Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(ctx =>
            {
                var tasks = new Dictionary<string, ProgressTask>();
                report = ScaleOutJob.Run(settings, (stage, done, total) =>
                {
                    lock (tasks)
                    {
                        if (!tasks.TryGetValue(stage, out var task))
                            tasks[stage] = task = ctx.AddTask(stage, maxValue: total);
                        task.Value = done;
                    }
                }, line => AnsiConsole.MarkupLine(Markup.Escape(line)));
            });
        return report;
    }
}

using System.CommandLine;
using System.Text.Json;
using DrDam.ML.Compute;
using DrDam.ML.Samples.Benchmarking;
using Spectre.Console;

namespace DrDam.ML.Samples.Commands;

/// <summary><c>bench</c>: GEMM roofline, MrDAM and DrDAM steps per backend, naive-TorchSharp reference, DrDAM fit bytes.</summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var quick = new Option<bool>("--quick") { Description = "Short timing budgets: ends within a minute" };
        var device = new Option<string>("--device") { Description = "cpu, cuda or auto: where the Torch and ILGPU backends and the GEMM reference run (ILGPU is timed on CUDA only)", DefaultValueFactory = _ => "auto" };
        device.AcceptOnlyFromAmong("auto", "cpu", "cuda");
        var json = new Option<bool>("--json") { Description = "Print one JSON object as the last line" };
        var command = new Command("bench", "Measure the step rates against this machine's GEMM roofline (run with -c Release)") { quick, device, json };
        command.SetAction(result =>
        {
            var settings = new BenchSettings(result.GetValue(quick), Enum.Parse<ComputeDevice>(result.GetValue(device)!, ignoreCase: true));
            Dictionary<string, object?> report = null!;
            if (result.GetValue(json) || Console.IsOutputRedirected)
            {
                // No live status line where the output is a file or JSON: each stage goes to stderr with its start time.
                var clock = System.Diagnostics.Stopwatch.StartNew();
                report = BenchJob.Run(settings, stage => Console.Error.WriteLine(FormattableString.Invariant($"[{clock.Elapsed.TotalSeconds,6:F1} s] {stage}")));
            }
            else
                AnsiConsole.Status().Start("bench", ctx => report = BenchJob.Run(settings, stage => ctx.Status(stage)));
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
}

using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using DrDam.ML.Samples.Beta;
using Spectre.Console;

namespace DrDam.ML.Samples.Commands;

/// <summary><c>beta</c>: the automatic β measured on iris, digits and Fashion-MNIST for label accuracy and imputation MSE.</summary>
internal static class BetaCommand
{
    public static Command Create()
    {
        var datasets = new Option<string[]>("--dataset") { Description = "iris, digits, fashion-mnist (default: all three)", AllowMultipleArgumentsPerToken = true };
        var json = new Option<bool>("--json") { Description = "Print one JSON object as the last line" };
        var command = new Command("beta", "Measure the automatic β: label accuracy and imputation MSE per β and DrDAM's Y") { datasets, json };
        command.SetAction(result =>
        {
            var names = result.GetValue(datasets) is { Length: > 0 } given ? given : ["iris", "digits", "fashion-mnist"];
            var sharpness = new[] { 4.0, 8, 16, 32, 64, 128 };
            var distributedSharpness = new[] { 2.0, 4, 8, 16, 32 };
            var rows = new List<BetaStudy.Row>();
            void RunAll(Action<string>? progress)
            {
                foreach (var name in names)
                    rows.AddRange(BetaStudy.Run(name, sharpness, distributedSharpness, name == "fashion-mnist" ? [4000, 16000] : [2000, 8000, 32000], progress));
            }
            if (result.GetValue(json) || Console.IsOutputRedirected)
                RunAll(null);
            else
                AnsiConsole.Status().Start("beta", ctx => RunAll(stage => ctx.Status(stage)));
            if (result.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(new { command = "beta", rows }));
                return 0;
            }
            var table = new Table();
            foreach (var column in new[] { "data", "D", "K", "memory", "β", "β·s", "Y", "label accuracy", "hidden MSE", "mean-fill MSE" })
                table.AddColumn(column);
            foreach (var r in rows)
                table.AddRow(r.Data, $"{r.Dimension}", $"{r.Stored}", r.Memory, r.Beta.ToString("G4", CultureInfo.InvariantCulture), $"{r.Sharpness}",
                    r.Features?.ToString(CultureInfo.InvariantCulture) ?? "", r.LabelAccuracy.ToString("F3", CultureInfo.InvariantCulture),
                    r.HiddenMse.ToString("F4", CultureInfo.InvariantCulture), r.MeanFillMse.ToString("F4", CultureInfo.InvariantCulture));
            AnsiConsole.Write(table);
            return 0;
        });
        return command;
    }
}

using System.CommandLine;
using System.Text.Json;
using DrDam.ML.Clustering;
using DrDam.ML.Samples.Clustering;
using Spectre.Console;

namespace DrDam.ML.Samples.Commands;

/// <summary><c>cluster</c>: ClAM and ML.NET's KMeans on the same table, scored side by side.</summary>
internal static class ClusterCommand
{
    public static Command Create()
    {
        var data = new Option<string?>("--data") { Description = "CSV file with a header row (numeric features)" };
        var labelColumn = new Option<string?>("--label-column") { Description = "Label column of --data, used only for evaluation" };
        var dataset = new Option<string?>("--dataset") { Description = "iris, digits or fashion-mnist (embedded) [default: iris]" };
        dataset.AcceptOnlyFromAmong("iris", "digits", "fashion-mnist");
        var rows = new Option<int?>("--rows") { Description = "fashion-mnist only: the first N images; above 1,000 from the 60,000 training images in ../shared/data" };
        var k = new Option<int?>("--k") { Description = "Clusters [default: the number of labels, else 3]" };
        var beta = new Option<double?>("--beta") { Description = "β of the contraction [default: automatic, 192 / mean squared distance between rows]" };
        var steps = new Option<int>("--steps") { Description = "T, unrolled steps", DefaultValueFactory = _ => new ClusteringOptions().Steps };
        var epochs = new Option<int>("--epochs") { Description = "The most training epochs (training stops once the loss stalls)", DefaultValueFactory = _ => new ClusteringOptions().Epochs };
        var batchSize = new Option<int?>("--batch-size") { Description = "Rows per Adam step [default: ClusteringOptions' default]" };
        var learningRate = new Option<double?>("--learning-rate") { Description = "Adam's learning rate for the prototypes [default: ClusteringOptions' default]" };
        var threads = new Option<int?>("--threads") { Description = "libtorch threads while training [default: 1 for small data, one per core for large]" };
        var seed = new Option<int>("--seed") { Description = "Seed", DefaultValueFactory = _ => 0 };
        var normalize = new Option<string>("--normalize") { Description = "zscore, minmax or none", DefaultValueFactory = _ => "zscore" };
        normalize.AcceptOnlyFromAmong("zscore", "minmax", "none");
        var deep = new Option<bool>("--deep") { Description = "Deep variant: cluster in the latent space of an autoencoder trained with the contraction" };
        var neighbourWeight = new Option<double?>("--neighbour-weight") { Description = "--deep only: weight of the encoder's neighbour embedding, 0 for a plain autoencoder [default: DeepClusteringOptions' default]" };
        var output = new Option<string?>("--out") { Description = "Output folder of the 2-D projection PNG [default: out/cluster]" };
        var json = new Option<bool>("--json") { Description = "Print one JSON object as the last line (no progress display)" };
        var command = new Command("cluster", "Cluster a table with ClAM (associative-memory clustering) and with KMeans; report NMI, ARI, silhouette")
        {
            data, labelColumn, dataset, rows, k, beta, steps, epochs, batchSize, learningRate, threads, seed, normalize, deep, neighbourWeight, output, json,
        };
        command.SetAction(result =>
        {
            if (result.GetValue(data) is not null && result.GetValue(rows) is not null)
                throw new ArgumentException("--rows applies to --dataset fashion-mnist only, not to a --data file.");
            var deepOptions = (result.GetValue(deep), result.GetValue(neighbourWeight)) switch
            {
                (false, not null) => throw new ArgumentException("--neighbour-weight applies to --deep only."),
                (false, null) => null,
                (true, { } weight) => new DeepClusteringOptions { NeighbourWeight = weight },
                (true, null) => new DeepClusteringOptions(),
            };
            var table = result.GetValue(data) is { } path
                ? TabularData.ReadCsv(path, result.GetValue(labelColumn))
                : TabularData.Dataset(result.GetValue(dataset) ?? "iris", result.GetValue(rows));
            var settings = new ClusterSettings(table, result.GetValue(k), result.GetValue(beta), result.GetValue(steps), result.GetValue(epochs),
                result.GetValue(seed), result.GetValue(normalize)!, deepOptions, result.GetValue(output), result.GetValue(batchSize), result.GetValue(threads), result.GetValue(learningRate));
            return Run(settings, result.GetValue(json));
        });
        return command;
    }

    private static string Nmi(ClusterProgress e) => e.Nmi is { } nmi ? $", NMI {nmi:F3}" : "";

    private static int Run(ClusterSettings settings, bool json)
    {
        Dictionary<string, object?> report = null!;
        if (json || Console.IsOutputRedirected)
        {
            // No live display, but progress still goes to standard error: a long run is never silent.
            var started = System.Diagnostics.Stopwatch.StartNew();
            void Log(string line) => Console.Error.WriteLine($"[{started.Elapsed:hh\\:mm\\:ss}] {line}");
            report = ClusterJob.Run(settings, new SynchronousProgress<ClusterProgress>(e => Log(e.Pretraining
                ? $"pretraining epoch {e.Epoch}/{settings.Deep!.PretrainEpochs}, loss {e.Loss:G4}"
                : $"epoch {e.Epoch}/{settings.Epochs}, loss {e.Loss:G4}{Nmi(e)}")), Log);
        }
        else
            AnsiConsole.Progress().AutoClear(false).Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                .Start(ctx =>
                {
                    var pretraining = settings.Deep is { } deep ? ctx.AddTask("autoencoder pretraining", maxValue: deep.PretrainEpochs) : null;
                    var task = ctx.AddTask("ClAM training", maxValue: settings.Epochs);
                    report = ClusterJob.Run(settings, new Progress<ClusterProgress>(e =>
                    {
                        var target = e.Pretraining ? pretraining! : task;
                        target.Value = e.Epoch;
                        target.Description = $"{(e.Pretraining ? "autoencoder pretraining" : "ClAM training")}: loss {e.Loss:G4}{Nmi(e)}";
                    }));
                    task.Value = task.MaxValue; // training may stop early, once the loss stalls
                });
        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(report));
            return 0;
        }
        AnsiConsole.Write(ReportTable.Of(report));
        return 0;
    }
}

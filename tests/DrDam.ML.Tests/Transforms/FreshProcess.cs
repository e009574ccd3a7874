using System.Diagnostics;
using Microsoft.ML;

namespace DrDam.ML.Tests.Transforms;

/// <summary>Applies a saved model in a new process (DrDam.ML.ModelHost) and returns what it produced.</summary>
internal static class FreshProcess
{
    public static IDataView Apply(MLContext ml, string modelPath, IDataView input, string folder)
    {
        var inputPath = System.IO.Path.Combine(folder, "input.idv");
        var outputPath = System.IO.Path.Combine(folder, "output.idv");
        using (var stream = File.Create(inputPath))
            ml.Data.SaveAsBinary(input, stream);
        var host = System.IO.Path.Combine(AppContext.BaseDirectory, "DrDam.ML.ModelHost.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in new[] { host, modelPath, inputPath, outputPath })
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(120_000))
        {
            process.Kill();
            throw new TimeoutException("The model host did not finish within two minutes.");
        }
        Assert.True(process.ExitCode == 0, $"model host failed ({process.ExitCode}): {errors.Result}");
        return ml.Data.LoadFromBinary(outputPath);
    }
}

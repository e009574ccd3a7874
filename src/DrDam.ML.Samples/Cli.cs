using System.CommandLine;
using DrDam.ML.Samples.Commands;

namespace DrDam.ML.Samples;

/// <summary>The command line: one command per job.</summary>
public static class Cli
{
    /// <summary>Parses and runs <paramref name="args"/>; bad input prints one line on standard error and returns 1.</summary>
    public static int Run(string[] args)
    {
        var root = new RootCommand("DrDam.ML samples: dense associative memories on embedded data")
        {
            ImageCommand.Create("inpaint"),
            ImageCommand.Create("denoise"),
            ClusterCommand.Create(),
            ApproxCommand.Create(),
            BenchCommand.Create(),
            BetaCommand.Create(),
        };
        try
        {
            return root.Parse(args).Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (Exception e) when (e is ArgumentException or IOException or InvalidDataException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 1;
        }
    }
}

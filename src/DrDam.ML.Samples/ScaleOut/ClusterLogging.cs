using Microsoft.Extensions.Logging;

namespace DrDam.ML.Samples.ScaleOut;

/// <summary>Orleans' own log in the CLI's processes: warnings and errors only, all on standard error (standard output carries results).</summary>
internal static class ClusterLogging
{
    public static void Configure(ILoggingBuilder logging)
        => logging.ClearProviders().AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace).SetMinimumLevel(LogLevel.Warning);
}

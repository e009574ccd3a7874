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
            ScaleOutCommand.Create(),
            SiloCommand.Create(),
        };
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0 && !IsHelp(args))
            return Fail(string.Join(" ", parsed.Errors.Select(e => e.Message.TrimEnd('.') + ".")));
        try
        {
            return parsed.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (Exception e) when (Cause(e) is ArgumentException or IOException or InvalidDataException or UnauthorizedAccessException or InvalidOperationException or FormatException or NotSupportedException)
        {
            return Fail(Cause(e).Message);
        }
        catch (Exception e) when (Cause(e) is not OutOfMemoryException)
        {
            // Not an expected kind of bad input: still one line and exit code 1, never a crash dump.
            return Fail($"unexpected {Cause(e).GetType().Name}: {Cause(e).Message}");
        }
    }

    private static bool IsHelp(string[] args) => args.Any(a => a is "-h" or "--help" or "-?");

    private static int Fail(string message)
    {
        Console.Error.WriteLine($"error: {Readable(message)}");
        return 1;
    }

    // One line, without .NET's "(Parameter 'x') Actual value was y." tail or CLR type names.
    private static string Readable(string message)
    {
        var at = message.IndexOf(" (Parameter '", StringComparison.Ordinal);
        var text = (at >= 0 ? message[..at] : message).ReplaceLineEndings(" ");
        return System.Text.RegularExpressions.Regex.Replace(text, @"'System\.Nullable`1\[System\.(\w+)\]'|'System\.(\w+)'",
            m => (m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value) switch { "Int32" or "Int64" => "integer", "Double" or "Single" => "number", var t => t });
    }

    // ML.NET and the thread pool wrap the exception that says what went wrong.
    private static Exception Cause(Exception e) => e switch
    {
        System.Reflection.TargetInvocationException { InnerException: { } inner } => Cause(inner),
        AggregateException { InnerExceptions.Count: 1 } aggregate => Cause(aggregate.InnerExceptions[0]),
        _ => e,
    };
}

using System.CommandLine;
using DrDam.ML.Samples.Commands;

var root = new RootCommand("DrDam.ML samples: dense associative memories on embedded data")
{
    InpaintCommand.Create(),
};
try
{
    return root.Parse(args).Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
}
catch (Exception e) when (e is ArgumentException or IOException or InvalidDataException)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 1;
}

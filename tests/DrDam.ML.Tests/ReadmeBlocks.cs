using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace DrDam.ML.Tests;

/// <summary>
/// The C# blocks of README.md as complete top-level programs: read by their fence (<c>```csharp</c>, or
/// <c>```csharp orleans</c> for the blocks that start a silo, run by the Orleans tests' process), compiled with Roslyn
/// against the libraries beside the tests (with the SDK's implicit usings), and run from a scratch folder holding a copy
/// of data/.
/// </summary>
internal static class ReadmeBlocks
{
    /// <summary>The blocks fenced by <c>```</c><paramref name="fence"/> on a line of its own.</summary>
    public static IReadOnlyList<string> Read(string fence)
        => [.. new Regex("```" + Regex.Escape(fence) + @"\n(.*?)```", RegexOptions.Singleline)
            .Matches(File.ReadAllText(Path.Combine(TestData.RepositoryRoot(), "README.md"))).Select(m => m.Groups[1].Value)];

    /// <summary>Compiles a block, or fails the test with the compiler's errors.</summary>
    public static Assembly Compile(string source, string name)
    {
        const string implicitUsings = "global using System; global using System.Collections.Generic; global using System.IO; global using System.Linq; global using System.Threading.Tasks;";
        var parse = new CSharpParseOptions(LanguageVersion.Latest);
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Concat(AppDomain.CurrentDomain.GetAssemblies().Where(a => !a.IsDynamic && a.Location.Length > 0).Select(a => a.Location))
            .Concat(Directory.GetFiles(AppContext.BaseDirectory, "*.dll"))
            .DistinctBy(Path.GetFileName)
            .Where(IsManaged)
            .Select(path => MetadataReference.CreateFromFile(path));
        var compilation = CSharpCompilation.Create(name,
            [CSharpSyntaxTree.ParseText(source, parse), CSharpSyntaxTree.ParseText(implicitUsings, parse)],
            references, new CSharpCompilationOptions(OutputKind.ConsoleApplication, nullableContextOptions: NullableContextOptions.Enable));
        using var image = new MemoryStream();
        var emitted = compilation.Emit(image);
        var errors = emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToArray();
        if (!emitted.Success)
            throw new Xunit.Sdk.XunitException($"README block does not compile:\n{string.Join('\n', errors.Select(e => e.ToString()))}\n{source}");
        return Assembly.Load(image.ToArray());
    }

    /// <summary>Compiles and runs block <paramref name="index"/> of <paramref name="fence"/> in a scratch folder; fails the test if it throws.</summary>
    public static void Run(string fence, int index)
    {
        var block = Read(fence)[index];
        var assembly = Compile(block, $"ReadmeBlock{index}");
        var previous = Environment.CurrentDirectory;
        var output = Path.Combine(Path.GetTempPath(), "drdam-readme-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(output);
        try
        {
            // Blocks read data/ relative to the repository and write their files to the working folder: run them in a scratch copy of data/.
            CopyData(output);
            Environment.CurrentDirectory = output;
            var entry = assembly.EntryPoint!;
            entry.Invoke(null, entry.GetParameters().Length == 0 ? null : [Array.Empty<string>()]);
        }
        catch (TargetInvocationException e)
        {
            throw new Xunit.Sdk.XunitException($"README block {index} threw {e.InnerException}\n{block}");
        }
        finally
        {
            Environment.CurrentDirectory = previous;
            Directory.Delete(output, recursive: true);
        }
    }

    private static bool IsManaged(string path)
    {
        try
        {
            AssemblyName.GetAssemblyName(path);
            return true;
        }
        catch (BadImageFormatException)
        {
            return false;
        }
    }

    private static void CopyData(string destination)
    {
        var source = Path.Combine(TestData.RepositoryRoot(), "data");
        Directory.CreateDirectory(Path.Combine(destination, "data"));
        foreach (var file in Directory.GetFiles(source))
            File.Copy(file, Path.Combine(destination, "data", Path.GetFileName(file)));
    }
}

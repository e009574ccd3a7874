using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace DrDam.ML.Tests;

/// <summary>
/// Every C# block of README.md is a complete top-level program: each is compiled with Roslyn against the
/// libraries (with the SDK's implicit usings) and run from the repository root. A block that stops
/// compiling, or throws, fails the suite.
/// </summary>
[Collection("ConsoleCollection")]
public sealed partial class ReadmeSnippetTests
{
    public static TheoryData<int> Blocks => [.. Enumerable.Range(0, ReadBlocks().Count)];

    [Fact]
    public void TheReadmeHasCSharpBlocks() => Assert.True(ReadBlocks().Count >= 4, $"README.md has {ReadBlocks().Count} csharp blocks");

    [Theory]
    [MemberData(nameof(Blocks))]
    public void BlockCompilesAndRuns(int index)
    {
        var block = ReadBlocks()[index];
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

    [Fact]
    public void ABrokenBlockFailsToCompile()
    {
        var error = Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => Compile("using DrDam.ML.Memory;\nvar m = new MemoryMatrix(\"not a dimension\");", "Broken"));
        Assert.Contains("error CS", error.Message);
    }

    private static IReadOnlyList<string> ReadBlocks()
        => [.. CSharpBlock().Matches(File.ReadAllText(Path.Combine(TestData.RepositoryRoot(), "README.md"))).Select(m => m.Groups[1].Value)];

    private static Assembly Compile(string source, string name)
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

    [GeneratedRegex(@"```csharp\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex CSharpBlock();
}

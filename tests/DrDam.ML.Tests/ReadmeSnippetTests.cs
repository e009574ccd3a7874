namespace DrDam.ML.Tests;

/// <summary>
/// Every <c>```csharp</c> block of README.md is a complete top-level program (<see cref="ReadmeBlocks"/>): a block that
/// stops compiling, or throws, fails the suite. The <c>```csharp orleans</c> blocks run in the Orleans tests' process.
/// </summary>
[Collection("ConsoleCollection")]
public sealed class ReadmeSnippetTests
{
    public static TheoryData<int> Blocks => [.. Enumerable.Range(0, ReadmeBlocks.Read("csharp").Count)];

    [Fact]
    public void TheReadmeHasCSharpBlocks() => Assert.True(ReadmeBlocks.Read("csharp").Count >= 4, $"README.md has {ReadmeBlocks.Read("csharp").Count} csharp blocks");

    [Theory]
    [MemberData(nameof(Blocks))]
    public void BlockCompilesAndRuns(int index) => ReadmeBlocks.Run("csharp", index);

    [Fact]
    public void ABrokenBlockFailsToCompile()
    {
        var error = Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => ReadmeBlocks.Compile("using DrDam.ML.Memory;\nvar m = new MemoryMatrix(\"not a dimension\");", "Broken"));
        Assert.Contains("error CS", error.Message);
    }
}

using DrDam.ML.Tests;

namespace DrDam.ML.Orleans.Tests;

/// <summary>The README's <c>```csharp orleans</c> blocks (they start a silo, so they run in this process, not the main tests').</summary>
public sealed class ReadmeOrleansBlockTests
{
    public static TheoryData<int> Blocks => [.. Enumerable.Range(0, ReadmeBlocks.Read("csharp orleans").Count)];

    [Fact]
    public void TheReadmeShowsTheClusterInCSharp() => Assert.NotEmpty(ReadmeBlocks.Read("csharp orleans"));

    [Theory]
    [MemberData(nameof(Blocks))]
    public void BlockCompilesAndRuns(int index) => ReadmeBlocks.Run("csharp orleans", index);
}

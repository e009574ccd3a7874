using System.Reflection;
using System.Xml.Linq;

namespace DrDam.ML.Tests.Packaging;

/// <summary>
/// The layers are assemblies, and each may only see the layers below it: Core sees no ML.NET, TorchSharp
/// or ILGPU; DrDam.ML sees ML.NET but neither TorchSharp nor ILGPU; the backends see only what they wrap.
/// </summary>
public sealed class LayeringTests
{
    public static TheoryData<string, string[]> Forbidden => new()
    {
        { "DrDam.ML.Core", ["Microsoft.ML", "TorchSharp", "ILGPU", "DrDam.ML", "DrDam.ML.TorchSharp", "DrDam.ML.Ilgpu"] },
        { "DrDam.ML", ["TorchSharp", "ILGPU", "DrDam.ML.TorchSharp", "DrDam.ML.Ilgpu"] },
        { "DrDam.ML.Ilgpu", ["Microsoft.ML", "TorchSharp", "DrDam.ML", "DrDam.ML.TorchSharp"] },
        { "DrDam.ML.TorchSharp", ["ILGPU", "DrDam.ML.Ilgpu"] },
        { "DrDam.ML.Orleans", ["TorchSharp", "ILGPU", "DrDam.ML.TorchSharp", "DrDam.ML.Ilgpu"] },
    };

    [Theory]
    [MemberData(nameof(Forbidden))]
    public void NoAssemblyReferencesALayerItMustNot(string assembly, string[] forbidden)
    {
        var references = Assembly.Load(assembly).GetReferencedAssemblies().Select(r => r.Name!).ToArray();
        var offending = references.Where(r => forbidden.Any(f => r == f || r.StartsWith(f + ".", StringComparison.Ordinal) && !IsAllowed(assembly, r))).ToArray();
        Assert.True(offending.Length == 0, $"{assembly} references {string.Join(", ", offending)}");
    }

    [Fact]
    public void CoreDependsOnTensorsAndHashingOnly()
    {
        var project = XDocument.Load(Path.Combine(TestData.RepositoryRoot(), "src", "DrDam.ML.Core", "DrDam.ML.Core.csproj"));
        var packages = project.Descendants("PackageReference").Select(p => (string)p.Attribute("Include")!).Order().ToArray();
        Assert.Equal(["System.IO.Hashing", "System.Numerics.Tensors"], packages);
        Assert.Empty(project.Descendants("ProjectReference"));
    }

    [Fact]
    public void TheRuleItselfCatchesAViolation()
    {
        // DrDam.ML does reference Microsoft.ML: the same check with Microsoft.ML forbidden must fail.
        Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => NoAssemblyReferencesALayerItMustNot("DrDam.ML", ["Microsoft.ML"]));
    }

    // "DrDam.ML" forbids the DrDam.ML.* upper layers, not DrDam.ML.Core itself.
    private static bool IsAllowed(string assembly, string reference) => reference == "DrDam.ML.Core";
}

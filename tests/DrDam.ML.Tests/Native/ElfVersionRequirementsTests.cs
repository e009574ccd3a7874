using DrDam.ML.Native;

namespace DrDam.ML.Tests.Native;

public class ElfVersionRequirementsTests
{
    // TorchSharp's native library, copied into the test output by the TorchSharp package.
    private static byte[] Shipped() => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", TorchSharpNative.LibraryFile));

    [Fact]
    public void ShippedLibraryRequiresGlibcxx3432Strongly()
    {
        var requirement = Assert.Single(ElfVersionRequirements.Read(Shipped()), r => r.Version == TorchSharpNative.MissingVersion);
        Assert.Equal("libstdc++.so.6", requirement.File);
        Assert.False(requirement.Weak);
    }

    [Fact]
    public void MarkWeakSetsOneFlagBitAndNothingElse()
    {
        var original = Shipped();
        var patched = (byte[])original.Clone();
        Assert.True(ElfVersionRequirements.MarkWeak(patched, TorchSharpNative.MissingVersion));
        var changed = Enumerable.Range(0, original.Length).Where(i => original[i] != patched[i]).ToArray();
        var at = Assert.Single(changed);
        Assert.Equal(0x2, original[at] ^ patched[at]);
        Assert.True(ElfVersionRequirements.Read(patched).Single(r => r.Version == TorchSharpNative.MissingVersion).Weak);
        // Every other requirement is untouched, and a second edit changes nothing.
        Assert.Equal(ElfVersionRequirements.Read(original).Where(r => r.Version != TorchSharpNative.MissingVersion),
            ElfVersionRequirements.Read(patched).Where(r => r.Version != TorchSharpNative.MissingVersion));
        var again = (byte[])patched.Clone();
        ElfVersionRequirements.MarkWeak(again, TorchSharpNative.MissingVersion);
        Assert.Equal(patched, again);
        Assert.False(ElfVersionRequirements.MarkWeak(again, "GLIBCXX_99"));
    }

    [Fact]
    public void NonElfAndTruncatedInputAreRejected()
    {
        Assert.Contains("Not an ELF file", Assert.Throws<InvalidDataException>(() => ElfVersionRequirements.Read(new byte[100])).Message);
        var truncated = Shipped()[..4096];
        Assert.Contains("outside the file", Assert.Throws<InvalidDataException>(() => ElfVersionRequirements.Read(truncated)).Message);
    }
}

using Microsoft.ML;

namespace DrDam.ML.Transforms.Plumbing;

/// <summary>Version stamps of our transformers inside ML.NET model files.</summary>
internal static class ModelFormat
{
    /// <summary>Format 1.1: the first published layout.</summary>
    private const uint Current = 0x00010001;

    public static VersionInfo Version(string modelSignature, string loaderSignature) => new(
        modelSignature: modelSignature,
        verWrittenCur: Current,
        verReadableCur: Current,
        verWeCanReadBack: Current,
        loaderSignature: loaderSignature,
        loaderAssemblyName: typeof(ModelFormat).Assembly.GetName().Name);
}

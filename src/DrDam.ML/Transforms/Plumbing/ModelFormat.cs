using Microsoft.ML;

namespace DrDam.ML.Transforms.Plumbing;

/// <summary>Version stamps of our transformers inside ML.NET model files.</summary>
internal static class ModelFormat
{
    /// <summary>Format 1.2: a store is written once per model and referred to by the folder that holds it (1.1 wrote it in every stage).</summary>
    private const uint Current = 0x00010002;

    public static VersionInfo Version(string modelSignature, string loaderSignature) => new(
        modelSignature: modelSignature,
        verWrittenCur: Current,
        verReadableCur: Current,
        verWeCanReadBack: Current, // 1.1 files predate the package split; they are not read
        loaderSignature: loaderSignature,
        loaderAssemblyName: typeof(ModelFormat).Assembly.GetName().Name);
}

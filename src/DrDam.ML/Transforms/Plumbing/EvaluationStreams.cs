using DrDam.ML.Memory.Features;

namespace DrDam.ML.Transforms.Plumbing;

/// <summary>The random streams of the evaluation transforms: outside the streams that define Ω.</summary>
internal static class EvaluationStreams
{
    /// <summary>Which coordinates an occlusion hides.</summary>
    public const RandomStream Occlusion = (RandomStream)3;

    /// <summary>The noise <c>AddNoise</c> adds.</summary>
    public const RandomStream Noise = (RandomStream)4;
}

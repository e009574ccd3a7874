using DrDam.ML.Memory.Features;
using Microsoft.ML;

namespace DrDam.ML.Transforms.Plumbing;

/// <summary>Adds seeded noise to each vector; the noise of row r depends only on (seed, r).</summary>
internal sealed class NoiseMapping(DataViewSchema schema, string input, string output, NoiseOptions options)
    : VectorMapping(schema, input, output, null)
{
    protected override void Map(ReadOnlySpan<float> values, long position, Span<float> output, Span<bool> mask, Span<float> scratch)
    {
        var (low, high) = (options.Low, options.High);
        if (options.Kind == NoiseKind.Gaussian)
        {
            GaussianRows.Fill(options.Seed, EvaluationStreams.Noise, position, scratch);
            for (var i = 0; i < output.Length; i++)
            {
                var v = values[i] + (float)options.Amount * scratch[i];
                output[i] = options.Clip ? Math.Clamp(v, low, high) : v;
            }
            return;
        }
        // One uniform u per coordinate: u ≤ p hits it; for salt and pepper, u ≤ p/2 picks Low (even odds).
        UniformRows.Fill(options.Seed, EvaluationStreams.Noise, position, scratch);
        for (var i = 0; i < output.Length; i++)
        {
            var hit = scratch[i] <= options.Amount;
            output[i] = !hit ? values[i]
                : options.Kind == NoiseKind.BitFlip ? (values[i] >= (low + high) / 2 ? low : high)
                : (scratch[i] <= options.Amount / 2 ? low : high);
        }
    }
}

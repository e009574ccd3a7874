using DrDam.ML.Memory.Features;
using Microsoft.ML;

namespace DrDam.ML.Transforms.Plumbing;

/// <summary>Hides part of each vector (writes <see cref="OcclusionOptions.FillValue"/>) and emits the visibility mask (true = visible).</summary>
internal sealed class OcclusionMapping : VectorMapping
{
    private readonly OcclusionOptions options;
    private readonly int height;
    private readonly int pixels;

    public OcclusionMapping(DataViewSchema schema, string input, string output, string mask, OcclusionOptions options) : base(schema, input, output, mask)
    {
        this.options = options;
        if (options.Height == 0)
        {
            height = Dimension;
            if (options.Width != 1 || options.Channels != 1)
                throw new ArgumentOutOfRangeException(nameof(options), "Width and Channels need a Height: set Height > 0 to read the vector as an image.");
        }
        else
        {
            height = options.Height;
            var values = (long)options.Height * options.Width * options.Channels;
            if (values != Dimension)
                throw new ArgumentOutOfRangeException("inputSchema",
                    $"Input column '{input}' has {Dimension} values, but the image is {options.Height}×{options.Width}×{options.Channels} = {values}.");
        }
        pixels = height * options.Width;
        var r = options.Rectangle;
        if (options.Kind == OcclusionKind.Rectangle && ((long)r.X + r.Width > options.Width || (long)r.Y + r.Height > height))
            throw new ArgumentOutOfRangeException(nameof(options), $"Rectangle {r} does not fit in the {options.Width}×{height} image.");
    }

    protected override void Map(ReadOnlySpan<float> values, long position, Span<float> output, Span<bool> mask, Span<float> scratch)
    {
        var width = options.Width;
        var uniforms = scratch[..pixels];
        if (options.Kind == OcclusionKind.Random)
            UniformRows.Fill(options.Seed, EvaluationStreams.Occlusion, position, uniforms);
        var firstHiddenRow = (int)Math.Round(height * (1 - options.Fraction));
        var r = options.Rectangle;
        for (var pixel = 0; pixel < pixels; pixel++)
        {
            var (y, x) = Math.DivRem(pixel, width);
            var hidden = options.Kind switch
            {
                OcclusionKind.Bottom => y >= firstHiddenRow,
                OcclusionKind.Random => uniforms[pixel] <= options.Fraction,
                _ => x >= r.X && x < r.X + r.Width && y >= r.Y && y < r.Y + r.Height,
            };
            for (var c = 0; c < options.Channels; c++)
            {
                var i = options.Interleaved ? pixel * options.Channels + c : c * pixels + pixel;
                mask[i] = !hidden;
                output[i] = hidden ? options.FillValue : values[i];
            }
        }
    }
}

using System.Globalization;
using DrDam.ML.Transforms;

namespace DrDam.ML.Samples.Imaging;

/// <summary>How queries are corrupted: an occlusion (inpainting, visible pixels clamped) or noise (denoising).</summary>
internal sealed record Corruption(string Text, OcclusionOptions? Occlusion, NoiseOptions? Noise)
{
    /// <summary>Parses <c>bottom:F</c>, <c>random:F</c> or <c>box:x,y,w,h</c> (pixels) for an image of the given shape.</summary>
    public static Corruption ParseOcclusion(string text, int width, int height, int channels, ulong seed)
    {
        var (kind, value) = Split(text, "--occlude", "bottom:F, random:F or box:x,y,w,h");
        var image = new OcclusionOptions { Height = height, Width = width, Channels = channels, Seed = seed };
        return kind switch
        {
            "bottom" => new(text, image with { Kind = OcclusionKind.Bottom, Fraction = HidingFraction(text, value) }, null),
            "random" => new(text, image with { Kind = OcclusionKind.Random, Fraction = HidingFraction(text, value) }, null),
            "box" => new(text, image with { Kind = OcclusionKind.Rectangle, Rectangle = Box(value, width, height) }, null),
            _ => throw Bad("--occlude", text, "bottom:F, random:F or box:x,y,w,h"),
        };
    }

    /// <summary>Parses <c>gaussian:σ</c>, <c>saltpepper:p</c> or <c>flip:p</c>; pixel values lie in [0, <paramref name="high"/>].</summary>
    public static Corruption ParseNoise(string text, float high, ulong seed)
    {
        var (kind, value) = Split(text, "--noise", "gaussian:S, saltpepper:P or flip:P");
        var amount = Number(value, "--noise");
        var options = new NoiseOptions { High = high, Seed = seed };
        return kind switch
        {
            // σ is given in pixel units ([0, 1]) and rescaled like the pixels.
            "gaussian" => new(text, null, options with { Kind = NoiseKind.Gaussian, Amount = amount * high }),
            "saltpepper" => new(text, null, options with { Kind = NoiseKind.SaltAndPepper, Amount = Fraction(value, "--noise") }),
            "flip" => new(text, null, options with { Kind = NoiseKind.BitFlip, Amount = Fraction(value, "--noise") }),
            _ => throw Bad("--noise", text, "gaussian:S, saltpepper:P or flip:P"),
        };
    }

    private static (string Kind, string Value) Split(string text, string option, string expected)
    {
        var at = text.IndexOf(':');
        return at > 0 ? (text[..at].ToLowerInvariant(), text[(at + 1)..]) : throw Bad(option, text, expected);
    }

    private static double Number(string value, string option)
        => double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v) && v >= 0 ? v
            : throw new ArgumentException($"{option}: '{value}' is not a non-negative number.");

    private static double Fraction(string value, string option)
    {
        var v = Number(value, option);
        return v <= 1 ? v : throw new ArgumentException($"{option}: the fraction must lie in [0, 1] (got {value}).");
    }

    // An occlusion that hides nothing would report an error of 0 over no pixel: refused.
    private static double HidingFraction(string text, string value)
    {
        var fraction = Fraction(value, "--occlude");
        return fraction > 0 ? fraction : throw new ArgumentException($"--occlude {text} hides no pixel: give a fraction in (0, 1].");
    }

    private static (int, int, int, int) Box(string value, int width, int height)
    {
        var parts = value.Split(',');
        if (parts.Length != 4 || !parts.All(p => int.TryParse(p, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v >= 0))
            throw Bad("--occlude", "box:" + value, "box:x,y,w,h with four non-negative integers");
        var b = parts.Select(p => int.Parse(p, CultureInfo.InvariantCulture)).ToArray();
        if ((long)b[0] + b[2] > width || (long)b[1] + b[3] > height)
            throw new ArgumentException($"--occlude box:{value} does not fit in a {width}×{height} image.");
        if (b[2] == 0 || b[3] == 0)
            throw new ArgumentException($"--occlude box:{value} hides no pixel: give a width and a height > 0.");
        return (b[0], b[1], b[2], b[3]);
    }

    private static ArgumentException Bad(string option, string text, string expected) => new($"{option} must be {expected} (got '{text}').");
}

using DrDam.ML.Compute;
using DrDam.ML.Memory.Features;

namespace DrDam.ML.Samples.Imaging;

/// <summary>Everything an inpaint or denoise run needs, after defaults and presets are applied.</summary>
internal sealed record ImageJobSettings
{
    public required string Command { get; init; }
    public string? Images { get; init; }
    public int Count { get; init; } = 20;
    public (int Width, int Height)? Size { get; init; }
    public bool Grey { get; init; }
    public bool Tint { get; init; }
    /// <summary>The corruption of an inpaint run when none is given.</summary>
    public const string DefaultOcclusion = "bottom:0.5";

    /// <summary>The corruption of a denoise run when none is given.</summary>
    public const string DefaultNoise = "gaussian:0.2";

    public string? Occlude { get; init; } = DefaultOcclusion;
    public string? Noise { get; init; }
    public string Representation { get; init; } = "both";
    public double Beta { get; init; } = 60;
    public int Features { get; init; } = 80_000;
    public FeatureBasisKind Basis { get; init; } = FeatureBasisKind.SinCos;
    public ProjectionStorage Omega { get; init; } = ProjectionStorage.Cached;
    public double Step { get; init; } = 0.1;
    public int Steps { get; init; } = 300;
    public double Tolerance { get; init; } = 1e-6;
    public int Seed { get; init; } = 7;
    public string? Out { get; init; }

    /// <summary>Where the descent runs: managed, torch or ilgpu (Samples.Computing.BackendChoice).</summary>
    public string Backend { get; init; } = "managed";

    /// <summary>The device of the torch and ilgpu backends.</summary>
    public ComputeDevice Device { get; init; } = ComputeDevice.Auto;
    public bool Json { get; init; }

    /// <summary>Also measure this machine's memory read bandwidth and report DrDAM's retrieval against the floor it sets (docs/ROOFLINE.md).</summary>
    public bool Roofline { get; init; }

    public bool UsesMatrix => Representation is "mr" or "both";

    public bool UsesDistributed => Representation is "dr" or "both";

    /// <summary>The paper's image settings (docs/MATH.md §5) on 64×64×3 images; Fashion-MNIST is tinted as a colour stand-in for Tiny ImageNet.</summary>
    public static ImageJobSettings Preset(string name, string command) => name switch
    {
        "fig1" => new() { Command = command, Count = 4, Size = (64, 64), Tint = true, Beta = 60, Features = 180_000, Step = 0.1, Steps = 300, Occlude = "bottom:0.66" },
        "fig2" => new() { Command = command, Count = 20, Size = (64, 64), Tint = true, Beta = 60, Features = 200_000, Step = 0.1, Steps = 1000, Occlude = "bottom:0.4" },
        _ => throw new ArgumentException($"--preset must be fig1 or fig2 (got '{name}')."),
    };
}

using System.Numerics.Tensors;

namespace DrDam.ML.Clustering;

/// <summary>A trained two-layer ReLU encoder evaluated in managed code: z = W₂·relu(W₁x + b₁) + b₂.</summary>
public sealed class Encoder
{
    /// <summary>Creates the encoder from row-major weights.</summary>
    public Encoder(int inputs, int hidden, int latent, float[] w1, float[] b1, float[] w2, float[] b2)
    {
        (Inputs, Hidden, Latent) = (inputs, hidden, latent);
        if (w1.Length != hidden * inputs || b1.Length != hidden || w2.Length != latent * hidden || b2.Length != latent)
            throw new ArgumentException($"Encoder weights do not match {inputs}→{hidden}→{latent}.");
        (W1, B1, W2, B2) = (w1, b1, w2, b2);
    }

    /// <summary>Input, hidden and latent sizes.</summary>
    public int Inputs { get; }

    /// <summary>Hidden units.</summary>
    public int Hidden { get; }

    /// <summary>Latent size (the space the prototypes live in).</summary>
    public int Latent { get; }

    /// <summary>First layer (hidden×inputs), its bias, second layer (latent×hidden), its bias.</summary>
    public float[] W1 { get; }

    /// <inheritdoc cref="W1"/>
    public float[] B1 { get; }

    /// <inheritdoc cref="W1"/>
    public float[] W2 { get; }

    /// <inheritdoc cref="W1"/>
    public float[] B2 { get; }

    /// <summary>Writes e(x) into <paramref name="latent"/>, using <paramref name="hidden"/> (Hidden floats) as scratch.</summary>
    public void Encode(ReadOnlySpan<float> x, Span<float> hidden, Span<float> latent)
    {
        for (var h = 0; h < Hidden; h++)
            hidden[h] = Math.Max(0, TensorPrimitives.Dot(W1.AsSpan(h * Inputs, Inputs), x) + B1[h]);
        for (var l = 0; l < Latent; l++)
            latent[l] = TensorPrimitives.Dot(W2.AsSpan(l * Hidden, Hidden), hidden[..Hidden]) + B2[l];
    }
}

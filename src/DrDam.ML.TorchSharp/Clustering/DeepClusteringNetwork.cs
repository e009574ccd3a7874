using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DrDam.ML.Clustering;

/// <summary>
/// Deep ClAM (docs/CLUSTERING.md): x → encoder e_φ → contraction f_ρ in the latent space → decoder d_θ,
/// trained end to end on ‖x − d_θ(f_ρ(e_φ(x)))‖². Encoder and decoder are two-layer ReLU MLPs.
/// </summary>
public sealed class DeepClusteringNetwork : nn.Module<Tensor, Tensor>
{
    private readonly Linear encoderHidden, encoderOut, decoderHidden, decoderOut;
    private ContractionLayer? contraction;

    /// <summary>Creates the autoencoder for <paramref name="dimension"/> inputs.</summary>
    public DeepClusteringNetwork(int dimension, int hidden, int latent) : base(nameof(DeepClusteringNetwork))
    {
        encoderHidden = nn.Linear(dimension, hidden);
        encoderOut = nn.Linear(hidden, latent);
        decoderHidden = nn.Linear(latent, hidden);
        decoderOut = nn.Linear(hidden, dimension);
        RegisterComponents();
    }

    /// <summary>The contraction, once <see cref="AttachContraction"/> has been called.</summary>
    public ContractionLayer? Contraction => contraction;

    /// <summary>e_φ(x).</summary>
    public Tensor Encode(Tensor x) => encoderOut.forward(nn.functional.relu(encoderHidden.forward(x)));

    /// <summary>d_θ(z).</summary>
    public Tensor Decode(Tensor z) => decoderOut.forward(nn.functional.relu(decoderHidden.forward(z)));

    /// <summary>Inserts the contraction between encoder and decoder (after pretraining).</summary>
    public void AttachContraction(ContractionLayer layer)
    {
        contraction = layer;
        register_module("contraction", layer);
    }

    /// <summary>f_ρ(z), or z itself before a contraction is attached.</summary>
    public Tensor Contract(Tensor z) => contraction is null ? z : contraction.forward(z, torch.ones_like(z));

    /// <summary>The reconstruction d_θ(f_ρ(e_φ(x))), or d_θ(e_φ(x)) before a contraction is attached.</summary>
    public override Tensor forward(Tensor x) => Decode(Contract(Encode(x)));

    /// <summary>The encoder's weights and biases (W₁ h×d, b₁, W₂ z×h, b₂), row-major, for managed inference.</summary>
    public (float[] W1, float[] B1, float[] W2, float[] B2) EncoderWeights()
    {
        static float[] Read(Tensor t) => t.detach().cpu().data<float>().ToArray();
        return (Read(encoderHidden.weight!), Read(encoderHidden.bias!), Read(encoderOut.weight!), Read(encoderOut.bias!));
    }
}

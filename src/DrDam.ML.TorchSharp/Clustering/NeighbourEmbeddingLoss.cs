using DrDam.ML.Compute.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace DrDam.ML.Clustering;

/// <summary>
/// The neighbour-embedding loss of deep ClAM's encoder (docs/CLUSTERING.md, "Deep variant"): parametric UMAP's fuzzy
/// cross-entropy with the Cauchy similarity q(d²) = 1 / (1 + d²) between latent codes. A row and one of its neighbours
/// in the input (an edge of <see cref="NeighbourGraph"/>) are pulled together by −log q; a row and the neighbour of
/// another row in the batch are pushed apart by −log(1 − q). The encoder thereby keeps the data's neighbourhoods, so
/// that clusters which the input's manifold separates but its straight-line distances do not come apart in the latent
/// space.
/// </summary>
internal static class NeighbourEmbeddingLoss
{
    /// <summary>Pairs pushed apart per row: the neighbours of the next rows of the batch, cyclically.</summary>
    public const int NegativeSamples = 10;

    /// <summary>Weight of the mean repulsion against the attraction: UMAP's five negative samples per edge.</summary>
    public const double RepulsionWeight = 5;

    /// <summary>Floor under d² in −log(1 − q) = log(1 + d²) − log d², so coinciding codes give a finite push.</summary>
    private static readonly Scalar Floor = 1e-4.ToScalar();

    /// <summary>
    /// mean −log q(‖zᵢ − pᵢ‖²) + <see cref="RepulsionWeight"/>·mean −log(1 − q(‖zᵢ − pᵢ₊ₘ‖²)) over m = 1 …
    /// <see cref="NegativeSamples"/> (indices modulo the batch; fewer in a batch of fewer rows), for codes
    /// <paramref name="codes"/> and the codes of their sampled neighbours <paramref name="neighbourCodes"/> (both b×latent).
    /// </summary>
    public static Tensor Compute(Tensor codes, Tensor neighbourCodes)
    {
        var attraction = torch.log1p(SquaredDistances(codes, neighbourCodes)).mean();
        var negatives = (int)Math.Min(NegativeSamples, codes.shape[0] - 1);
        if (negatives == 0)
            return attraction;
        var repulsion = torch.zeros([], dtype: codes.dtype, device: codes.device);
        for (var m = 1; m <= negatives; m++)
        {
            var squared = SquaredDistances(codes, neighbourCodes.roll(m, 0));
            repulsion = repulsion.add(torch.log1p(squared).add(torch.log(squared.add(Floor)), TorchScalars.MinusOne).mean());
        }
        using var scale = (RepulsionWeight / negatives).ToScalar();
        return attraction.add(repulsion, scale);
    }

    private static Tensor SquaredDistances(Tensor a, Tensor b)
    {
        var difference = a.add(b, TorchScalars.MinusOne);
        return difference.mul(difference).sum(1);
    }
}

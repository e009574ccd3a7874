using DrDam.ML.Compute.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace DrDam.ML.Clustering;

/// <summary>
/// The k-nearest-neighbour graph of the rows (squared Euclidean distance, a row is not its own neighbour), computed in
/// libtorch a block of rows at a time: ‖a‖² − 2·a·xᵀ + ‖x‖², then the k smallest. The block bounds the memory to
/// <see cref="BlockRows"/>·n distances.
/// </summary>
internal static class NeighbourGraph
{
    /// <summary>Rows whose distances to every row are held at once.</summary>
    public const int BlockRows = 1024;

    /// <summary>An n×<paramref name="count"/> tensor of row indices (int64), each row's nearest first.</summary>
    public static Tensor Nearest(Tensor x, int count)
    {
        using var scope = torch.NewDisposeScope();
        var n = x.shape[0];
        if (count < 1 || count >= n)
            throw new ArgumentOutOfRangeException(nameof(count), count, $"A row can have 1 to {n - 1} neighbours among {n} rows (got {count}).");
        var squares = x.mul(x).sum(1);
        var blocks = new List<Tensor>();
        for (long start = 0; start < n; start += BlockRows)
        {
            var rows = Math.Min(BlockRows, n - start);
            var distances = squares.narrow(0, start, rows).unsqueeze(1).add(squares.unsqueeze(0))
                .add(x.narrow(0, start, rows).matmul(x.t()), TorchScalars.MinusTwo);
            var self = torch.arange(rows, device: x.device);
            distances.index_put_(torch.tensor(float.PositiveInfinity, dtype: x.dtype, device: x.device), self, self.add(start));
            blocks.Add(distances.topk(count, 1, largest: false).indexes);
        }
        return torch.cat(blocks, 0).MoveToOuterDisposeScope();
    }
}

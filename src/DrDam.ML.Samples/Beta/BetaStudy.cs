using DrDam.ML.Compute;
using DrDam.ML.Memory;
using DrDam.ML.Memory.Dynamics;
using DrDam.ML.Samples.Clustering;

namespace DrDam.ML.Samples.Beta;

/// <summary>
/// How well β = c/s (<see cref="AutomaticBeta"/>, s the stored rows' mean squared distance) serves imputation: every fifth row of a data set (features scaled into
/// [0, 1] by the stored rows) is a query with 30% of its coordinates hidden and filled with 0.5; MrDAM and DrDAM
/// restore them with the visible ones clamped. Reports, per c = β·s, the label accuracy of the nearest stored row
/// to the final state and the hidden coordinates' MSE, for MrDAM and for DrDAM per Y.
/// </summary>
internal static class BetaStudy
{
    public sealed record Row(string Data, int Dimension, int Stored, string Memory, double Beta, double Sharpness, int? Features, double LabelAccuracy, double HiddenMse, double MeanFillMse);

    private static readonly RetrievalOptions Descent = new() { StepSize = 0.1, MaxSteps = 300 };

    public static IEnumerable<Row> Run(string dataset, double[] sharpness, double[] distributedSharpness, int[] featureCounts, Action<string>? progress)
    {
        var table = TabularData.Dataset(dataset);
        var all = Scale(table.Features, keep: i => i % 5 != 0);
        var stored = all.Where((_, i) => i % 5 != 0).ToArray();
        var storedLabels = table.Labels!.Where((_, i) => i % 5 != 0).ToArray();
        var queries = all.Where((_, i) => i % 5 == 0).ToArray();
        var queryLabels = table.Labels!.Where((_, i) => i % 5 == 0).ToArray();
        var (d, k, n) = (stored[0].Length, stored.Length, queries.Length);
        var patterns = stored.SelectMany(r => r).ToArray();
        var (occluded, visible) = Occlude(queries, new Random(5));
        var meanFill = MeanFill(queries, visible, stored);
        var spread = AutomaticBeta.MeanSquaredDistance(patterns, k, d);
        foreach (var c in sharpness)
        {
            progress?.Invoke($"{dataset}: MrDAM at β·s = {c}");
            var matrix = new MemoryMatrix(d, new MemoryMatrixOptions { Beta = c / spread });
            matrix.AddRange(patterns, k);
            yield return Measure(dataset, "MrDAM", c / spread, c, null, matrix.Retrieve(occluded, n, Descent, clamped: visible).States);
        }
        foreach (var c in distributedSharpness)
        {
            foreach (var y in featureCounts)
            {
                progress?.Invoke($"{dataset}: DrDAM at β·s = {c}, Y = {y}");
                var distributed = new DistributedMemory(d, new DistributedMemoryOptions { Beta = c / spread, FeatureCount = y, Seed = 1 });
                distributed.AddRange(patterns, k);
                yield return Measure(dataset, "DrDAM", c / spread, c, y, distributed.Retrieve(occluded, n, Descent, clamped: visible).States);
            }
        }

        Row Measure(string data, string memory, double beta, double c, int? y, float[] states)
        {
            var correct = 0;
            for (var q = 0; q < n; q++)
                correct += storedLabels[Nearest(states.AsSpan(q * d, d), stored)] == queryLabels[q] ? 1 : 0;
            return new Row(data, d, k, memory, beta, c, y, (double)correct / n, HiddenMse(states, queries, visible), meanFill);
        }
    }

    // Min–max scaling fitted on the stored rows; constant columns map to 0.
    private static float[][] Scale(float[][] rows, Func<int, bool> keep)
    {
        var d = rows[0].Length;
        var (low, high) = (new float[d], new float[d]);
        Array.Fill(low, float.PositiveInfinity);
        Array.Fill(high, float.NegativeInfinity);
        for (var r = 0; r < rows.Length; r++)
            for (var i = 0; keep(r) && i < d; i++)
                (low[i], high[i]) = (Math.Min(low[i], rows[r][i]), Math.Max(high[i], rows[r][i]));
        return rows.Select(row => row.Select((v, i) => high[i] > low[i] ? Math.Clamp((v - low[i]) / (high[i] - low[i]), 0, 1) : 0f).ToArray()).ToArray();
    }

    private static (float[] Occluded, bool[] Visible) Occlude(float[][] queries, Random random)
    {
        var d = queries[0].Length;
        var occluded = queries.SelectMany(r => r).ToArray();
        var visible = new bool[occluded.Length];
        for (var i = 0; i < visible.Length; i++)
        {
            visible[i] = random.NextDouble() >= 0.3;
            if (!visible[i])
                occluded[i] = 0.5f;
        }
        return (occluded, visible);
    }

    private static double HiddenMse(float[] states, float[][] truth, bool[] visible)
    {
        var d = truth[0].Length;
        double sum = 0;
        var count = 0;
        for (var i = 0; i < states.Length; i++)
        {
            if (visible[i])
                continue;
            var e = states[i] - truth[i / d][i % d];
            sum += e * e;
            count++;
        }
        return sum / Math.Max(1, count);
    }

    private static double MeanFill(float[][] queries, bool[] visible, float[][] stored)
    {
        var d = stored[0].Length;
        var mean = Enumerable.Range(0, d).Select(i => stored.Average(r => r[i])).ToArray();
        return HiddenMse(Enumerable.Range(0, queries.Length * d).Select(i => (float)mean[i % d]).ToArray(), queries, visible);
    }

    private static int Nearest(ReadOnlySpan<float> x, float[][] stored)
    {
        var (best, at) = (float.PositiveInfinity, 0);
        for (var j = 0; j < stored.Length; j++)
        {
            var distance = System.Numerics.Tensors.TensorPrimitives.Distance(x, stored[j]);
            if (distance < best)
                (best, at) = (distance, j);
        }
        return at;
    }
}

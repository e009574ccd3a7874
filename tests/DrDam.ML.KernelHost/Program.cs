using System.Runtime.Intrinsics;
using DrDam.ML.Compute;
using DrDam.ML.Compute.Managed;
using DrDam.ML.Memory;
using DrDam.ML.Memory.Features;

// Prints the widest accelerated vector and whether the products fuse their multiply-adds, then one line per workload:
// its name, whether each row gave the same bits alone as in the batch, and every energy and gradient value ("R" format).
// The MrDAM batch takes the packed product, the DrDAM batches of 12, 3 and 6 rows the packed and the two skinny ones,
// with Ω cached, in bfloat16 and made on demand (the Gaussian generator's path). The last workload is Sgemm itself:
// products of every shape class, whose values must be the same bits on every path that fuses.
const int d = 40, rows = 12;
var random = new Random(1);
float[] Uniform(int length) => Enumerable.Range(0, length).Select(_ => (float)(random.NextDouble() * 0.3)).ToArray();
var patterns = Uniform(30 * d);
var states = Uniform(rows * d);
Console.WriteLine($"{(Vector512.IsHardwareAccelerated ? 512 : Vector256.IsHardwareAccelerated ? 256 : 128)} {(Sgemm.FusesMultiplyAdds ? "fused" : "unfused")}");

var matrix = new MemoryMatrix(d, new MemoryMatrixOptions { Beta = 8 });
matrix.AddRange(patterns, 30);
Report("mrdam", matrix, rows);
foreach (var storage in new[] { ProjectionStorage.Cached, ProjectionStorage.CachedBFloat16, ProjectionStorage.OnDemand })
{
    var distributed = new DistributedMemory(d, new DistributedMemoryOptions { Beta = 5, FeatureCount = 1500, ProjectionBlockSize = 600, Seed = 3, ProjectionStorage = storage });
    distributed.AddRange(patterns, 30);
    Report($"drdam-{storage}", distributed, rows);
    Report($"drdam-{storage}-skinny", distributed, 3);
    Report($"drdam-{storage}-skinny-6", distributed, 6);
}
ReportProducts();
return 0;

// C = A·op(B), then C += A·op(B) again, for skinny (1, 3, 4, 6, 8 rows) and packed (9, 21) shapes, ragged n, k across two
// slices of Sgemm.SliceDepth; each row is also multiplied alone.
unsafe void ReportProducts()
{
    const int k = Sgemm.SliceDepth + 37, n = 70;
    var values = new List<float>();
    var alone = true;
    foreach (var transposeB in new[] { false, true })
    {
        foreach (var m in new[] { 1, 3, 4, 6, 8, 9, 21 })
        {
            var (a, b) = (Uniform(m * k), Uniform(n * k));
            var (c, row) = (new float[m * n], new float[n]);
            fixed (float* pa = a, pb = b, pc = c, pr = row)
            {
                var ldb = transposeB ? k : n;
                Sgemm.Multiply(pa, k, pb, ldb, transposeB, pc, n, m, n, k, accumulate: false);
                Sgemm.Multiply(pa, k, pb, ldb, transposeB, pc, n, m, n, k, accumulate: true);
                for (var i = 0; i < m; i++)
                {
                    Sgemm.Multiply(pa + i * k, k, pb, ldb, transposeB, pr, n, 1, n, k, accumulate: false);
                    Sgemm.Multiply(pa + i * k, k, pb, ldb, transposeB, pr, n, 1, n, k, accumulate: true);
                    alone &= row.AsSpan().SequenceEqual(c.AsSpan(i * n, n));
                }
            }
            values.AddRange(c);
        }
    }
    Console.WriteLine($"sgemm {alone} {string.Join(' ', values.Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture)))}");
}

void Report(string name, IAssociativeMemory memory, int count)
{
    using var evaluator = ManagedBackend.Instance.CreateEvaluator(memory, count);
    var (energies, gradients) = (new double[count], new float[count * d]);
    evaluator.Evaluate(states.AsSpan(0, count * d), count, energies, gradients);
    var alone = true;
    for (var r = 0; r < count; r++)
    {
        var (energy, gradient) = (new double[1], new float[d]);
        evaluator.Evaluate(states.AsSpan(r * d, d), 1, energy, gradient);
        alone &= energy[0] == energies[r] && gradient.AsSpan().SequenceEqual(gradients.AsSpan(r * d, d));
    }
    Console.WriteLine($"{name} {alone} {string.Join(' ', energies.Select(e => e.ToString("R", System.Globalization.CultureInfo.InvariantCulture)))} {string.Join(' ', gradients.Select(g => g.ToString("R", System.Globalization.CultureInfo.InvariantCulture)))}");
}

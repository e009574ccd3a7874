using System.Runtime.Intrinsics;
using DrDam.ML.Compute;
using DrDam.ML.Memory;
using DrDam.ML.Memory.Features;

// Prints the widest accelerated vector, then one line per workload: its name, whether each row gave the same bits alone
// as in the batch, and every energy and gradient value ("R" round-trip format). The MrDAM batch takes the packed product,
// the DrDAM batches of 12 and of 3 rows the packed and the skinny ones, cached and bfloat16 Ω.
const int d = 40, rows = 12;
var random = new Random(1);
float[] Uniform(int length) => Enumerable.Range(0, length).Select(_ => (float)(random.NextDouble() * 0.3)).ToArray();
var patterns = Uniform(30 * d);
var states = Uniform(rows * d);
Console.WriteLine(Vector512.IsHardwareAccelerated ? 512 : Vector256.IsHardwareAccelerated ? 256 : 128);

var matrix = new MemoryMatrix(d, new MemoryMatrixOptions { Beta = 8 });
matrix.AddRange(patterns, 30);
Report("mrdam", matrix, rows);
foreach (var storage in new[] { ProjectionStorage.Cached, ProjectionStorage.CachedBFloat16 })
{
    var distributed = new DistributedMemory(d, new DistributedMemoryOptions { Beta = 5, FeatureCount = 1500, ProjectionBlockSize = 600, Seed = 3, ProjectionStorage = storage });
    distributed.AddRange(patterns, 30);
    Report($"drdam-{storage}", distributed, rows);
    Report($"drdam-{storage}-skinny", distributed, 3);
}
return 0;

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

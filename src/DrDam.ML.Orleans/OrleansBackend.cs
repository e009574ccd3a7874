using DrDam.ML.Compute;
using DrDam.ML.Memory;
using DrDam.ML.Orleans.Grains;

namespace DrDam.ML.Orleans;

/// <summary>
/// An Orleans cluster as an <see cref="IComputeBackend"/>: an MrDAM memory's patterns are split by rows over
/// <see cref="Shards"/> shard grains (uploaded once per evaluator); each descent step sends the query batch to every
/// shard and merges their answers exactly (<see cref="ShardMerge"/>), so <c>memory.Retrieve(…, backend)</c> and
/// <c>storeTransformer.WithBackend(…)</c> run on the cluster unchanged. A shard that fails makes the step fail with
/// an error naming it: never a partial answer.
/// </summary>
public sealed class OrleansBackend(IGrainFactory grains, int shards) : IComputeBackend
{
    private readonly IGrainFactory grains = grains ?? throw new ArgumentNullException(nameof(grains));

    /// <summary>How many grains a memory's patterns are split over.</summary>
    public int Shards { get; } = shards > 0 ? shards : throw new ArgumentOutOfRangeException(nameof(shards), shards, $"shards must be > 0 (got {shards}).");

    /// <inheritdoc/>
    public string Name => "orleans";

    /// <inheritdoc/>
    public IEnergyEvaluator CreateEvaluator(IAssociativeMemory memory, int maxBatch)
        => EvaluatorBase.Create(memory, maxBatch, matrix => new ShardedEvaluator(grains, matrix, maxBatch, Shards),
            _ => throw new ArgumentException("The Orleans backend shards MrDAM memories; fit DrDAM memories with ShardedFit and retrieve locally.", nameof(memory)));

    private sealed class ShardedEvaluator : EvaluatorBase
    {
        private readonly (string Key, IMemoryShardGrain Grain)[] shards;
        private readonly double beta;

        public ShardedEvaluator(IGrainFactory grains, MemoryMatrix memory, int maxBatch, int count) : base(memory, maxBatch)
        {
            if (!ShardMerge.Supports(memory.Options.Energy))
                throw new ArgumentException($"Energy {memory.Options.Energy} does not merge exactly over shards (its ε does not split); use L2, Dot or CosineDot.", nameof(memory));
            beta = memory.Beta;
            var id = Guid.NewGuid().ToString("N");
            var k = (int)memory.Count;
            count = Math.Min(count, k);
            shards = [.. Enumerable.Range(0, count).Select(i => ($"{id}/{i}", grains.GetGrain<IMemoryShardGrain>($"{id}/{i}")))];
            Task.WhenAll(shards.Select((s, i) =>
            {
                var (from, to) = (i * k / count, (i + 1) * k / count);
                return s.Grain.LoadAsync(memory.Dimension, memory.Options.Energy, beta, memory.Patterns[(from * memory.Dimension)..(to * memory.Dimension)].ToArray(), to - from);
            })).GetAwaiter().GetResult();
        }

        protected override void EvaluateCore(ReadOnlySpan<float> states, int rows, Span<double> energies, Span<float> gradients)
        {
            var batch = states.ToArray();
            var answers = shards.Select(async s =>
            {
                try
                {
                    return await s.Grain.EvaluateAsync(batch, rows);
                }
                catch (Exception e)
                {
                    throw new InvalidOperationException($"Shard '{s.Key}' failed during a descent step ({e.GetType().Name}: {e.Message}); the step has no partial answer.", e);
                }
            }).ToArray();
            var steps = Task.WhenAll(answers).GetAwaiter().GetResult();
            ShardMerge.Merge(beta, [.. steps.Select(s => (s.Energies, s.Gradients))], rows, Dimension, energies, gradients);
        }
    }
}

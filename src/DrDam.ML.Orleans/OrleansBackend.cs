using DrDam.ML.Compute;
using DrDam.ML.Memory;
using DrDam.ML.Orleans.Grains;

namespace DrDam.ML.Orleans;

/// <summary>
/// An Orleans cluster as an <see cref="IComputeBackend"/>, so <c>memory.Retrieve(…, backend)</c> and
/// <c>storeTransformer.WithBackend(…)</c> run on the cluster unchanged.
/// <list type="bullet">
/// <item>MrDAM: the patterns are split by rows over <see cref="Shards"/> shard grains (uploaded once per evaluator);
/// each descent step sends the query batch to every shard and merges their answers exactly (<see cref="ShardMerge"/>).</item>
/// <item>DrDAM: T is published once per evaluator to a memory grain, and each step's batch is split over
/// <see cref="Shards"/> lanes of <see cref="IRetrievalGrain"/> stateless workers, each with its silo's copy of T and Ω.</item>
/// </list>
/// A shard or lane that fails makes the step fail with an error naming it: never a partial answer.
/// </summary>
public sealed class OrleansBackend(IGrainFactory grains, int shards) : IComputeBackend
{
    private readonly IGrainFactory grains = grains ?? throw new ArgumentNullException(nameof(grains));

    /// <summary>How many grains an MrDAM memory's patterns, or a DrDAM step's batch, are split over.</summary>
    public int Shards { get; } = shards > 0 ? shards : throw new ArgumentOutOfRangeException(nameof(shards), shards, $"shards must be > 0 (got {shards}).");

    /// <inheritdoc/>
    public string Name => "orleans";

    /// <inheritdoc/>
    public IEnergyEvaluator CreateEvaluator(IAssociativeMemory memory, int maxBatch)
        => EvaluatorBase.Create(memory, maxBatch, matrix => new ShardedEvaluator(grains, matrix, maxBatch, Shards), distributed => new ServedEvaluator(grains, distributed, maxBatch, Shards));

    /// <summary>Awaits every part of a step; a part that failed fails the step, naming its grain.</summary>
    private static T[] Gather<T>(IEnumerable<(string Key, Func<Task<T>> Call)> parts, string what)
    {
        var answers = parts.Select(async part =>
        {
            try
            {
                return await part.Call();
            }
            catch (Exception e)
            {
                throw new InvalidOperationException($"{what} '{part.Key}' failed during a descent step ({e.GetType().Name}: {e.Message}); the step has no partial answer.", e);
            }
        }).ToArray();
        return Task.WhenAll(answers).GetAwaiter().GetResult();
    }

    /// <summary>Lets a clean-up call run on its own: an evaluator is disposed even when the cluster is already gone.</summary>
    private static void Forget(Task cleanup) => cleanup.ContinueWith(t => _ = t.Exception, TaskScheduler.Default);

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
            var steps = Gather(shards.Select(s => (s.Key, (Func<Task<ShardStep>>)(() => s.Grain.EvaluateAsync(batch, rows)))), "Shard");
            ShardMerge.Merge(beta, [.. steps.Select(s => (s.Energies, s.Gradients))], rows, Dimension, energies, gradients);
        }

        public override void Dispose()
        {
            foreach (var (_, grain) in shards)
                Forget(grain.UnloadAsync());
        }
    }

    private sealed class ServedEvaluator : EvaluatorBase
    {
        private readonly IGrainFactory grains;
        private readonly string id = "backend/" + Guid.NewGuid().ToString("N");
        private readonly long version;
        private readonly int lanes;

        public ServedEvaluator(IGrainFactory grains, DistributedMemory memory, int maxBatch, int lanes) : base(memory, maxBatch)
        {
            this.grains = grains;
            this.lanes = lanes;
            var settings = DistributedMemorySettings.From(memory.Dimension, memory.Options);
            var published = grains.GetGrain<IMemoryGrain>(id);
            published.SubmitAsync(settings, new PartitionSum(0, memory.Memory.ToArray(), memory.Count)).GetAwaiter().GetResult();
            version = published.DescribeAsync().GetAwaiter().GetResult().Version;
        }

        protected override void EvaluateCore(ReadOnlySpan<float> states, int rows, Span<double> energies, Span<float> gradients)
        {
            var (d, count) = (Dimension, Math.Min(lanes, rows));
            var batch = states.ToArray();
            var parts = Gather(Enumerable.Range(0, count).Select(lane =>
            {
                var (from, to) = (lane * rows / count, (lane + 1) * rows / count);
                var key = $"{id}#{lane}";
                return (key, (Func<Task<(int, ShardStep)>>)(async () => (from, await grains.GetGrain<IRetrievalGrain>(key).EvaluateAsync(version, batch[(from * d)..(to * d)], to - from))));
            }), "Lane");
            foreach (var (from, step) in parts)
            {
                step.Energies.CopyTo(energies[from..]);
                step.Gradients.CopyTo(gradients[(from * d)..]);
            }
        }

        // The published copy of T is this evaluator's alone: remove it from grain storage.
        public override void Dispose() => Forget(grains.GetGrain<IMemoryGrain>(id).ClearAsync());
    }
}

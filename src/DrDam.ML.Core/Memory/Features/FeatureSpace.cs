using System.Buffers;
using System.Numerics.Tensors;
using DrDam.ML.Memory.Parallelism;

namespace DrDam.ML.Memory.Features;

/// <summary>
/// The random feature map x ↦ φ(√β·x) of a distributed memory: a basis, the projection Ω (cached or
/// regenerated on demand, in blocks of rows) and the phases b. All work is organised by blocks of
/// projections so that a block of Ω is the largest thing ever materialised in on-demand mode.
/// </summary>
public sealed class FeatureSpace
{
    private readonly AlignedBlock<float>[]? cachedBlocks;
    private readonly AlignedBlock<ushort>[]? roundedBlocks;
    private readonly float[] offsets;
    private readonly Accumulation accumulation;

    /// <summary>Creates the feature map of a memory; a cached Ω is generated here (in parallel).</summary>
    public FeatureSpace(int dimension, DistributedMemoryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        EnsureFits(dimension, options);
        Options = options;
        Basis = FeatureBasis.Create(options.Basis);
        Projection = new RandomProjection(dimension, options.FeatureCount, options.Seed, options.Orthogonal);
        BlockSize = Math.Min(options.ProjectionBlockSize, options.FeatureCount);
        BlockCount = (FeatureCount + BlockSize - 1) / BlockSize;
        accumulation = new Accumulation(this);
        offsets = new float[Basis.UsesOffsets ? FeatureCount : 0];
        if (Basis.UsesOffsets)
            Projection.FillOffsets(0, FeatureCount, offsets);
        CachedRowStride = dimension;
        if (options.ProjectionStorage == ProjectionStorage.Cached)
        {
            CachedRowStride = RowStride(dimension);
            var blocks = new AlignedBlock<float>[BlockCount];
            Parallel.For(0, BlockCount, b =>
            {
                var (start, rows) = BlockRange(b);
                blocks[b] = new AlignedBlock<float>(rows * CachedRowStride);
                Projection.FillRows(start, rows, blocks[b].Span[..(rows * dimension)]);
                Spread(blocks[b].Span, rows, dimension, CachedRowStride);
            });
            cachedBlocks = blocks;
        }
        else if (options.ProjectionStorage == ProjectionStorage.CachedBFloat16)
        {
            var blocks = new AlignedBlock<ushort>[BlockCount];
            Parallel.For(0, BlockCount, b =>
            {
                var (start, rows) = BlockRange(b);
                var single = ArrayPool<float>.Shared.Rent(rows * dimension);
                Projection.FillRows(start, rows, single.AsSpan(0, rows * dimension));
                // one value of padding: a kernel may load 32 bits at any value (see RoundedBlock)
                blocks[b] = new AlignedBlock<ushort>(rows * dimension + 1);
                BFloat16.Round(single.AsSpan(0, rows * dimension), blocks[b].Span[..(rows * dimension)]);
                ArrayPool<float>.Shared.Return(single);
            });
            roundedBlocks = blocks;
        }
    }

    /// <summary>
    /// Floats from one row of a cached fp32 block to the next: D, or D plus one cache line where D is a multiple of 16
    /// with an even number of cache lines per row. Rows a multiple of 128 bytes apart fall in few of the L1 cache's
    /// 64 sets (a multiple of 4 KB: all in one), and a product reading a panel of Ω's rows in place then reads it from
    /// L2 (docs/ROOFLINE.md, "Rows of Ω an odd number of cache lines apart").
    /// </summary>
    internal static int RowStride(int dimension) => dimension % 16 == 0 && dimension / 16 % 2 == 0 ? dimension + 16 : dimension;

    // Rows written D apart at the start of the block moved to `stride` apart, last first (a row's new place never
    // overlaps a row not yet moved), and the padding after each row zeroed.
    private static void Spread(Span<float> block, int rows, int dimension, int stride)
    {
        if (stride == dimension)
            return;
        for (var row = rows - 1; row >= 0; row--)
        {
            block.Slice(row * dimension, dimension).CopyTo(block.Slice(row * stride, dimension));
            block.Slice(row * stride + dimension, stride - dimension).Clear();
        }
    }

    /// <summary>
    /// Refuses, before anything is allocated, a map this process cannot hold: T (Y or 2Y doubles), one block of
    /// Ω, and a cached Ω (Y×D floats). Call it to check settings up front; the constructor calls it too.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A size that does not fit, naming the setting, the size asked for and the limit.</exception>
    public static void EnsureFits(int dimension, DistributedMemoryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Guard.Positive(dimension, nameof(dimension));
        var parts = FeatureBasis.Create(options.Basis).Parts;
        MemoryLimits.Values((long)parts * options.FeatureCount, sizeof(double), $"T ({parts}×FeatureCount)", nameof(options.FeatureCount));
        MemoryLimits.Values((long)Math.Min(options.ProjectionBlockSize, options.FeatureCount) * dimension, sizeof(float), "One block of Ω (ProjectionBlockSize×dimension)", nameof(options.ProjectionBlockSize));
        if (options.ProjectionStorage == ProjectionStorage.Cached)
            MemoryLimits.Bytes((long)options.FeatureCount * RowStride(dimension) * sizeof(float), "A cached Ω (FeatureCount×dimension floats, rows padded to an odd number of cache lines; ProjectionStorage.OnDemand holds one block)", nameof(options.FeatureCount));
        if (options.ProjectionStorage == ProjectionStorage.CachedBFloat16)
            MemoryLimits.Bytes((long)options.FeatureCount * dimension * 2, "A cached bfloat16 Ω (FeatureCount×dimension 2-byte values; ProjectionStorage.OnDemand holds one block)", nameof(options.FeatureCount));
    }

    /// <summary>The options that define the map.</summary>
    public DistributedMemoryOptions Options { get; }

    /// <summary>φ's basis.</summary>
    public FeatureBasis Basis { get; }

    /// <summary>Ω.</summary>
    public RandomProjection Projection { get; }

    /// <summary>D.</summary>
    public int Dimension => Projection.Dimension;

    /// <summary>Y.</summary>
    public int FeatureCount => Projection.FeatureCount;

    /// <summary>Length of φ: Y or 2Y.</summary>
    public int FeatureLength => Basis.FeatureLength(FeatureCount);

    /// <summary>√β, the scale applied to states before projecting.</summary>
    public float ProjectionScale => MathF.Sqrt((float)Options.Beta);

    /// <summary>Rows per block of Ω.</summary>
    public int BlockSize { get; }

    /// <summary>Number of blocks covering the Y rows.</summary>
    public int BlockCount { get; }

    /// <summary>Whether Ω is held in memory as floats (<see cref="ProjectionStorage.Cached"/>).</summary>
    public bool IsCached => cachedBlocks is not null;

    /// <summary>Whether Ω is regenerated from the seed whenever it is needed (<see cref="ProjectionStorage.OnDemand"/>).</summary>
    public bool IsGenerated => cachedBlocks is null && roundedBlocks is null;

    /// <summary>First row and row count of block <paramref name="block"/>.</summary>
    public (int Start, int Rows) BlockRange(int block)
    {
        var start = block * BlockSize;
        return (start, Math.Min(BlockSize, FeatureCount - start));
    }

    /// <summary>
    /// Rows of block <paramref name="block"/> of Ω, D floats apart: the cached block where its rows lie D apart, or
    /// written into <paramref name="buffer"/> (BlockSize×D floats at least) from the cached, bfloat16 or seeded rows.
    /// </summary>
    public ReadOnlySpan<float> Block(int block, Span<float> buffer)
    {
        if (cachedBlocks is not null && CachedRowStride == Dimension)
            return cachedBlocks[block].Span;
        var (start, count) = BlockRange(block);
        var target = buffer[..(count * Dimension)];
        FillRows(start, count, target);
        return target;
    }

    /// <summary>
    /// Rows of block <paramref name="block"/> of Ω and the floats from one to the next: a cached block in place
    /// (<see cref="CachedRowStride"/> apart), or written into <paramref name="buffer"/> (BlockSize×D floats at least, D
    /// apart) from the bfloat16 copy or the seed.
    /// </summary>
    internal ReadOnlySpan<float> Rows(int block, Span<float> buffer, out int stride)
    {
        if (cachedBlocks is not null)
        {
            stride = CachedRowStride;
            return cachedBlocks[block].Span;
        }
        var (start, rows) = BlockRange(block);
        var target = buffer[..(rows * Dimension)];
        FillRows(start, rows, target);
        stride = Dimension;
        return target;
    }

    /// <summary>Floats from one row of a cached fp32 block to the next (<see cref="RowStride"/>); D for any other storage.</summary>
    internal int CachedRowStride { get; }

    /// <summary>Whether Ω is held rounded to bfloat16 (<see cref="ProjectionStorage.CachedBFloat16"/>).</summary>
    internal bool IsRounded => roundedBlocks is not null;

    /// <summary>
    /// The bfloat16 values of block <paramref name="block"/> (rows×D), followed by one value of padding, so that a
    /// kernel may read 32 bits at any of them.
    /// </summary>
    internal ReadOnlySpan<ushort> RoundedBlock(int block) => roundedBlocks![block].Span;

    /// <summary>Writes rows [<paramref name="start"/>, start + count) of Ω as the map uses them (rounded where Ω is held in bfloat16) into <paramref name="destination"/> (count×D).</summary>
    public void FillRows(int start, int count, Span<float> destination)
    {
        if (start < 0 || count < 0 || start > FeatureCount - count)
            throw new ArgumentOutOfRangeException(nameof(start), $"rows [{start}, {start + count}) must lie in [0, FeatureCount = {FeatureCount}).");
        Guard.Length(destination.Length, (long)count * Dimension, nameof(destination), "count×Dimension");
        if (IsGenerated)
        {
            Projection.FillRows(start, count, destination);
            return;
        }
        var d = Dimension;
        for (var row = start; row < start + count;)
        {
            var block = row / BlockSize;
            var (blockStart, blockRows) = BlockRange(block);
            var rows = Math.Min(blockStart + blockRows, start + count) - row;
            var target = destination.Slice((row - start) * d, rows * d);
            if (cachedBlocks is not null)
                for (var r = 0; r < rows; r++)
                    cachedBlocks[block].Span.Slice((row - blockStart + r) * CachedRowStride, d).CopyTo(target.Slice(r * d, d));
            else
                BFloat16.Widen(roundedBlocks![block].Span.Slice((row - blockStart) * d, rows * d), target);
            row += rows;
        }
    }

    /// <summary>Phases b_α of a block (empty when the basis uses none).</summary>
    public ReadOnlySpan<float> Offsets(int block)
    {
        if (offsets.Length == 0)
            return default;
        var (start, rows) = BlockRange(block);
        return offsets.AsSpan(start, rows);
    }

    /// <summary>Writes φ(√β·x) for one state (length <see cref="FeatureLength"/>).</summary>
    public void Map(ReadOnlySpan<float> state, Span<float> features)
    {
        Guard.Length(state.Length, Dimension, nameof(state), "Dimension");
        Guard.Length(features.Length, FeatureLength, nameof(features), "FeatureLength");
        var buffer = IsCached ? null : ArrayPool<float>.Shared.Rent(BlockSize * Dimension);
        var projections = ArrayPool<float>.Shared.Rent(BlockSize);
        try
        {
            var squaredNorm = (float)Options.Beta * TensorPrimitives.Dot(state, state);
            for (var b = 0; b < BlockCount; b++)
            {
                var (start, rows) = BlockRange(b);
                var s = projections.AsSpan(0, rows);
                Project(Rows(b, buffer, out var stride), stride, Offsets(b), state, s);
                Basis.Map(s, squaredNorm, FeatureCount, features.Slice(start, rows), SecondPart(features, start, rows));
            }
        }
        finally
        {
            if (buffer is not null)
                ArrayPool<float>.Shared.Return(buffer);
            ArrayPool<float>.Shared.Return(projections);
        }
    }

    /// <summary>
    /// T += sign·Σ φ(√β·ξ) over the given patterns (and R += sign·Σ φ(√β·ξ)·ξᵀ when
    /// <paramref name="linearAttention"/> is not null). Parallel over blocks of features; each
    /// feature sums the patterns in their given order, so the result does not depend on thread count.
    /// Calls are serialised: memories that share this feature space (clones) may be filled from several threads.
    /// </summary>
    public void Accumulate(ReadOnlyMemory<float> patterns, int rows, double sign, double[] memory, float[]? linearAttention)
    {
        lock (accumulation)
        {
            accumulation.Set(patterns, rows, sign, memory, linearAttention);
            WorkerPool.For(BlockCount, accumulation);
            accumulation.Set(default, 0, 0, null!, null); // drop references to the caller's arrays
        }
    }

    // The work of one Accumulate call, reused so that a fit allocates nothing per call.
    private sealed class Accumulation(FeatureSpace space) : IParallelWork
    {
        private ReadOnlyMemory<float> patterns;
        private int rows;
        private double sign;
        private double[] memory = null!;
        private float[]? linearAttention;

        public void Set(ReadOnlyMemory<float> patterns, int rows, double sign, double[] memory, float[]? linearAttention)
            => (this.patterns, this.rows, this.sign, this.memory, this.linearAttention) = (patterns, rows, sign, memory, linearAttention);

        public void Execute(int block)
        {
            var d = space.Dimension;
            var y = space.FeatureCount;
            var basis = space.Basis;
            var (start, blockRows) = space.BlockRange(block);
            var buffer = space.IsCached ? null : ArrayPool<float>.Shared.Rent(blockRows * d);
            var scratch = ArrayPool<float>.Shared.Rent(3 * blockRows);
            try
            {
                var omega = space.Rows(block, buffer, out var stride);
                var s = scratch.AsSpan(0, blockRows);
                var first = scratch.AsSpan(blockRows, blockRows);
                var second = scratch.AsSpan(2 * blockRows, basis.Parts == 2 ? blockRows : 0);
                for (var p = 0; p < rows; p++)
                {
                    var pattern = patterns.Span.Slice(p * d, d);
                    space.Project(omega, stride, space.Offsets(block), pattern, s);
                    basis.Map(s, (float)space.Options.Beta * TensorPrimitives.Dot(pattern, pattern), y, first, second);
                    AddScaled(memory.AsSpan(start, blockRows), first, sign);
                    if (basis.Parts == 2)
                        AddScaled(memory.AsSpan(y + start, blockRows), second, sign);
                    if (linearAttention is null)
                        continue;
                    for (var i = 0; i < blockRows; i++)
                    {
                        OuterRow(linearAttention, d, start + i, first[i], sign, pattern);
                        if (basis.Parts == 2)
                            OuterRow(linearAttention, d, y + start + i, second[i], sign, pattern);
                    }
                }
            }
            finally
            {
                if (buffer is not null)
                    ArrayPool<float>.Shared.Return(buffer);
                ArrayPool<float>.Shared.Return(scratch);
            }
        }

        private static void AddScaled(Span<double> target, ReadOnlySpan<float> values, double sign)
        {
            for (var i = 0; i < values.Length; i++)
                target[i] += sign * values[i];
        }

        // R[feature, :] += sign·φ_feature·ξ
        private static void OuterRow(float[] linearAttention, int dimension, int feature, float value, double sign, ReadOnlySpan<float> pattern)
        {
            var row = linearAttention.AsSpan(feature * dimension, dimension);
            TensorPrimitives.MultiplyAdd(pattern, (float)(sign * value), row, row);
        }
    }

    /// <summary>The slice of the second part of a feature vector for rows [start, start + rows); empty for one-part bases.</summary>
    public Span<float> SecondPart(Span<float> features, int start, int rows)
        => Basis.Parts == 2 ? features.Slice(FeatureCount + start, rows) : default;

    // s_α = √β·⟨ω_α, x⟩ + b_α
    private void Project(ReadOnlySpan<float> omega, int stride, ReadOnlySpan<float> blockOffsets, ReadOnlySpan<float> state, Span<float> projections)
    {
        var d = Dimension;
        var scale = ProjectionScale;
        for (var i = 0; i < projections.Length; i++)
            projections[i] = scale * TensorPrimitives.Dot(omega.Slice(i * stride, d), state);
        if (!blockOffsets.IsEmpty)
            TensorPrimitives.Add(projections, blockOffsets, projections);
    }
}

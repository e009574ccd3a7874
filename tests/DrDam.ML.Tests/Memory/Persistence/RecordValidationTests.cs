using DrDam.ML.Memory;
using DrDam.ML.Memory.Features;
using DrDam.ML.Memory.Persistence;

namespace DrDam.ML.Tests.Memory.Persistence;

/// <summary>
/// Records whose checksum is right but whose fields are not: every size is bounded by what the record holds and by
/// the documented limits before anything is allocated, and every failure is an InvalidDataException.
/// </summary>
public sealed class RecordValidationTests
{
    private static byte[] Save(IAssociativeMemory memory)
    {
        using var stream = new MemoryStream();
        MemorySerializer.Write(stream, memory);
        return stream.ToArray();
    }

    private static IAssociativeMemory Load(byte[] bytes) => MemorySerializer.Read(new MemoryStream(bytes));

    private static byte[] Matrix()
    {
        var memory = new MemoryMatrix(6, new MemoryMatrixOptions { Beta = 4 });
        memory.AddRange(Oracle.Uniform(new Random(1), 5 * 6), 5);
        return Save(memory);
    }

    private static byte[] Distributed(ProjectionStorage storage)
    {
        var memory = new DistributedMemory(6, new DistributedMemoryOptions { Beta = 4, FeatureCount = 100, ProjectionStorage = storage });
        memory.AddRange(Oracle.Uniform(new Random(2), 5 * 6), 5);
        return Save(memory);
    }

    [Fact]
    public void TheEditorKeepsAnUneditedRecordValid()
        => Assert.Equal(5, Load(RecordFields.Edit(Matrix(), payload => payload)).Count);

    [Fact]
    public void AMatrixRecordWithTrailingBytesIsRefused()
    {
        var e = Assert.Throws<InvalidDataException>(() => Load(RecordFields.Edit(Matrix(), payload => [.. payload, 1, 2, 3, 4])));
        Assert.Contains("4 unexpected bytes after the patterns", e.Message);
    }

    [Theory]
    [InlineData(-5, "declares -5 patterns")]
    [InlineData(int.MaxValue, "more than the file holds")]
    public void AMatrixCountThatTheRecordCannotHoldIsRefused(int count, string expected)
        => Assert.Contains(expected, Assert.Throws<InvalidDataException>(() => Load(RecordFields.SetInt32(Matrix(), RecordFields.MatrixCount, count))).Message);

    [Theory]
    [InlineData(0, "declares dimension 0")]
    [InlineData(-3, "declares dimension -3")]
    public void ANonPositiveDimensionIsRefused(int dimension, string expected)
    {
        Assert.Contains(expected, Assert.Throws<InvalidDataException>(() => Load(RecordFields.SetInt32(Matrix(), RecordFields.Dimension, dimension))).Message);
        Assert.Contains(expected, Assert.Throws<InvalidDataException>(() => Load(RecordFields.SetInt32(Distributed(ProjectionStorage.Cached), RecordFields.Dimension, dimension))).Message);
    }

    [Theory]
    [InlineData(ProjectionStorage.Cached, "One block of Ω (ProjectionBlockSize×dimension) needs 200,000,000,000 values")]
    [InlineData(ProjectionStorage.OnDemand, "One block of Ω (ProjectionBlockSize×dimension) needs 200,000,000,000 values")]
    public void AnAbsurdDimensionIsRefusedQuicklyWithoutAllocating(ProjectionStorage storage, string expected)
    {
        var record = RecordFields.SetInt32(Distributed(storage), RecordFields.Dimension, 2_000_000_000);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<InvalidDataException>(() => Load(record));
        Assert.Contains(expected, e.Message);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"took {clock.Elapsed}");
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - allocated < 16 << 20, "nothing large may be allocated before the refusal");
    }

    [Fact]
    public void ANegativeStoredCountIsRefused()
    {
        var record = Distributed(ProjectionStorage.OnDemand);
        // The count (long) follows the dimension, Y, basis, seed, β, two flags, storage, block size and log clip.
        var countOffset = 1 + 4 + 4 + 1 + 8 + 8 + 1 + 1 + 1 + 4 + 8;
        var edited = RecordFields.Edit(record, payload =>
        {
            System.Buffers.Binary.BinaryPrimitives.WriteInt64LittleEndian(payload.AsSpan(countOffset), -7);
            return payload;
        });
        Assert.Contains("declares -7 stored patterns", Assert.Throws<InvalidDataException>(() => Load(edited)).Message);
    }
}

using DrDam.ML.Compute;
using DrDam.ML.Memory;
using DrDam.ML.Memory.Energies;
using DrDam.ML.Memory.Features;
using DrDam.ML.Memory.Persistence;

namespace DrDam.ML.Tests.Memory.Persistence;

public class MemorySerializerTests
{
    private const int D = 6;

    private static byte[] Save(IAssociativeMemory memory)
    {
        using var stream = new MemoryStream();
        MemorySerializer.Write(stream, memory);
        return stream.ToArray();
    }

    private static IAssociativeMemory Load(byte[] bytes) => MemorySerializer.Read(new MemoryStream(bytes));

    private static MemoryMatrix Matrix()
    {
        var memory = new MemoryMatrix(D, new MemoryMatrixOptions { Beta = 12.5, Energy = EnergyKind.CosineDot });
        memory.AddRange(Oracle.Uniform(new Random(1), 5 * D), 5);
        return memory;
    }

    private static DistributedMemory Distributed(bool linearAttention = false, int patterns = 5)
    {
        var memory = new DistributedMemory(D, new DistributedMemoryOptions
        {
            Beta = 7, FeatureCount = 300, Basis = FeatureBasisKind.PositiveExpExp, Seed = 123456789012345UL,
            ProjectionStorage = ProjectionStorage.OnDemand, ProjectionBlockSize = 64, LogClip = 1e-6, LinearAttention = linearAttention,
        });
        memory.AddRange(Oracle.Uniform(new Random(2), patterns * D, 0, 0.3), patterns);
        return memory;
    }

    [Fact]
    public void MemoryMatrixRoundTripsBitIdentically()
    {
        var original = Matrix();
        var loaded = Assert.IsType<MemoryMatrix>(Load(Save(original)));
        Assert.Equal(original.Options, loaded.Options);
        Assert.Equal(original.Patterns.ToArray(), loaded.Patterns.ToArray());
        var queries = Oracle.Uniform(new Random(3), 4 * D);
        Assert.Equal(original.Retrieve(queries, 4).States, loaded.Retrieve(queries, 4).States);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void DistributedMemoryRoundTripsBitIdentically(bool linearAttention)
    {
        var original = Distributed(linearAttention);
        var loaded = Assert.IsType<DistributedMemory>(Load(Save(original)));
        Assert.Equal(original.Options, loaded.Options);
        Assert.Equal(original.Count, loaded.Count);
        Assert.Equal(original.Memory.ToArray(), loaded.Memory.ToArray());
        Assert.Equal(original.LinearAttentionMemory.ToArray(), loaded.LinearAttentionMemory.ToArray());
        var queries = Oracle.Uniform(new Random(3), 4 * D, 0, 0.3);
        Assert.Equal(original.Retrieve(queries, 4).States, loaded.Retrieve(queries, 4).States);
    }

    [Fact]
    public void DistributedFileSizeDoesNotGrowWithStoredCount()
    {
        Assert.Equal(Save(Distributed(patterns: 2)).Length, Save(Distributed(patterns: 200)).Length);
    }

    [Fact]
    public void TruncatedFileIsReported()
    {
        var bytes = Save(Distributed());
        var e = Assert.Throws<InvalidDataException>(() => Load(bytes[..(bytes.Length - 10)]));
        Assert.Contains("truncated", e.Message);
        Assert.Contains("truncated", Assert.Throws<InvalidDataException>(() => Load(bytes[..12])).Message);
    }

    [Fact]
    public void EveryFlippedByteIsCaught()
    {
        var bytes = Save(Matrix());
        for (var i = 18; i < bytes.Length; i += 7)
        {
            var damaged = (byte[])bytes.Clone();
            damaged[i] ^= 0x10;
            Assert.Throws<InvalidDataException>(() => Load(damaged));
        }
        var payload = (byte[])bytes.Clone();
        payload[40] ^= 1;
        Assert.Contains("checksum", Assert.Throws<InvalidDataException>(() => Load(payload)).Message);
    }

    [Fact]
    public void WrongMagicIsReported()
    {
        var bytes = Save(Matrix());
        bytes[0] = (byte)'X';
        Assert.Contains("magic", Assert.Throws<InvalidDataException>(() => Load(bytes)).Message);
        Assert.Contains("magic", Assert.Throws<InvalidDataException>(() => Load("PK\u0003\u0004"u8.ToArray())).Message);
    }

    [Fact]
    public void FutureVersionIsReported()
    {
        var bytes = Save(Matrix());
        bytes[8] = 2;
        var e = Assert.Throws<InvalidDataException>(() => Load(bytes));
        Assert.Contains("version 2 is newer", e.Message);
    }
}

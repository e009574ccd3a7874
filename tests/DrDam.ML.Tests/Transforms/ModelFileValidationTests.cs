using DrDam.ML.Memory;
using DrDam.ML.Transforms;
using Microsoft.ML;

namespace DrDam.ML.Tests.Transforms;

/// <summary>
/// Damaged model zips: every entry the library writes is verified (a checksum, then a range check on every field),
/// a missing entry is an error, and every failure is an InvalidDataException naming the entry. ML.NET hands it to
/// the caller inside a TargetInvocationException (it calls loaders by reflection).
/// </summary>
public sealed class ModelFileValidationTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("drdam-zip-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private (MLContext Ml, IDataView Data, AssociativeMemoryTransformer Store, string Path) Saved(string name)
    {
        var ml = new MLContext(seed: 1);
        var (train, _) = Iris.Load(ml);
        var data = Iris.Features01(ml).Fit(train).Transform(train);
        var store = ml.Transforms.AssociativeMemory.Store("Out", "Features", new MemoryStoreOptions { LabelColumnName = "Label" }).Fit(data);
        var path = Path.Combine(folder, name);
        ml.Model.Save(store, data.Schema, path);
        return (ml, data, store, path);
    }

    private static InvalidDataException LoadFails(string path)
    {
        var e = Assert.ThrowsAny<Exception>(() => new MLContext().Model.Load(path, out _));
        return Assert.IsType<InvalidDataException>(ModelZip.Cause(e));
    }

    [Fact]
    public void LabelsAndLabelColumnSurviveSaveAndLoadAndTheLoadedStoreStillGrows()
    {
        var (ml, data, store, path) = Saved("labels.zip");
        var loaded = Assert.IsType<AssociativeMemoryTransformer>(ml.Model.Load(path, out _));
        Assert.Equal("Label", loaded.LabelColumn);
        Assert.Equal(store.Store.Labels, loaded.Store.Labels);
        var grown = loaded.AddRows(data);
        Assert.Equal(240, grown.Store.Memory.Count);
        Assert.Equal(store.Store.Labels!.Concat(store.Store.Labels!), grown.Store.Labels);
    }

    [Fact]
    public void EveryFlippedByteOfTheLabelsIsCaught()
    {
        var (_, _, _, path) = Saved("flip.zip");
        var original = File.ReadAllBytes(path);
        var entry = Assert.Single(ModelZip.Entries(path, "Labels.bin"));
        var random = new Random(4);
        for (var trial = 0; trial < 40; trial++)
        {
            File.WriteAllBytes(path, original);
            var at = -1;
            ModelZip.Rewrite(path, entry, bytes =>
            {
                at = random.Next(bytes.Length);
                bytes[at] ^= (byte)(1 << random.Next(8));
                return bytes;
            });
            Assert.Contains("Labels.bin", LoadFails(path).Message);
        }
    }

    [Fact]
    public void AMissingLabelsEntryIsAnError()
    {
        var (_, _, _, path) = Saved("missing.zip");
        ModelZip.Rewrite(path, Assert.Single(ModelZip.Entries(path, "Labels.bin")), _ => null);
        Assert.Contains("Labels.bin' is missing", LoadFails(path).Message);
    }

    [Fact]
    public void AMissingMemoryEntryIsAnError()
    {
        var (_, _, _, path) = Saved("nomemory.zip");
        ModelZip.Rewrite(path, Assert.Single(ModelZip.Entries(path, "Memory.bin")), _ => null);
        Assert.Contains("has no Memory.bin", LoadFails(path).Message);
    }

    [Theory]
    [InlineData("flip", "CRC-32 checksum does not match")]
    [InlineData("truncate", "is truncated")]
    public void ACorruptMemoryEntryIsNamed(string damage, string expected)
    {
        var (_, _, _, path) = Saved("corrupt.zip");
        ModelZip.Rewrite(path, Assert.Single(ModelZip.Entries(path, "Memory.bin")), bytes =>
        {
            if (damage == "truncate")
                return bytes[..(bytes.Length / 2)];
            bytes[bytes.Length / 2] ^= 0x10;
            return bytes;
        });
        var e = LoadFails(path);
        Assert.Contains("Memory.bin' is invalid", e.Message);
        Assert.Contains(expected, e.Message);
    }

    [Theory]
    [InlineData(1 << 24, "BatchSize 16777216 lies outside [1, 65536]")]
    [InlineData(0, "BatchSize 0 lies outside")]
    [InlineData(-1, "BatchSize -1 lies outside")]
    public void ABatchSizeOutsideItsRangeIsRefusedEvenWithAValidChecksum(int batchSize, string expected)
    {
        var (_, _, _, path) = Saved("batch.zip");
        var key = ModelZip.Entries(path, "Model.key").First(n => n.Contains("Model.key", StringComparison.Ordinal));
        // BatchSize is the last field of the transformer's settings.
        ModelZip.Rewrite(path, key, bytes => ModelZip.EditSettings(bytes, settings => System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(settings[^4..], batchSize)));
        var e = LoadFails(path);
        Assert.Contains(expected, e.Message);
        Assert.Contains("Model.key", e.Message);
    }

    [Fact]
    public void FlippedSettingsAreCaughtByTheirChecksum()
    {
        var (_, _, _, path) = Saved("settings.zip");
        var original = File.ReadAllBytes(path);
        var key = ModelZip.Entries(path, "Model.key").First();
        byte[] bytes;
        using (var zip = System.IO.Compression.ZipFile.OpenRead(path))
        using (var stream = zip.GetEntry(key)!.Open())
        using (var copy = new MemoryStream())
        {
            stream.CopyTo(copy);
            bytes = copy.ToArray();
        }
        var (offset, length) = ModelZip.SettingsBlock(bytes);
        for (var at = offset; at < offset + length; at++)
        {
            File.WriteAllBytes(path, original);
            var position = at;
            ModelZip.Rewrite(path, key, b =>
            {
                b[position] ^= 0x01;
                return b;
            });
            Assert.Contains("settings are corrupted", LoadFails(path).Message);
        }
    }
}

using DrDam.ML.Memory;
using DrDam.ML.Memory.Persistence;
using DrDam.ML.Tests.Memory.Persistence;
using DrDam.ML.Transforms;
using Microsoft.ML;

namespace DrDam.ML.Tests.Transforms;

/// <summary>
/// Seeded fuzzing of everything the library reads back: memory records of both kinds, and a saved pipeline zip.
/// Truncations, byte flips and absurd size fields (with the checksum made right again) must end in a documented
/// exception, within a per-case time limit, or load a model whose outputs are exactly the original's. A larger
/// run of the same cases: <c>tests/fuzz.sh 5000</c> (the DRDAM_FUZZ_CASES variable).
/// </summary>
public sealed partial class FuzzTests : IDisposable
{
    private static readonly int Cases = int.TryParse(Environment.GetEnvironmentVariable("DRDAM_FUZZ_CASES"), out var n) ? n : 150;
    private static readonly TimeSpan PerCase = TimeSpan.FromSeconds(10);
    private readonly string folder = Directory.CreateTempSubdirectory("drdam-fuzz-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private static byte[] Mutate(byte[] bytes, Random random, bool record)
    {
        switch (random.Next(record ? 3 : 2))
        {
            case 0:
                return bytes[..random.Next(bytes.Length)];
            case 1:
                var copy = (byte[])bytes.Clone();
                for (var flips = random.Next(1, 4); flips > 0; flips--)
                    copy[random.Next(copy.Length)] ^= (byte)(1 << random.Next(8));
                return copy;
            default:
                // An absurd size field with a valid checksum: an int anywhere in the payload set to a huge, zero or negative value.
                var payloadLength = bytes.Length - 22;
                var at = random.Next(Math.Max(1, payloadLength - 4));
                int[] absurd = [int.MaxValue, int.MinValue, -1, 0, 1 << 30, 2_000_000_000];
                return RecordFields.SetInt32(bytes, at, absurd[random.Next(absurd.Length)]);
        }
    }

    private static void WithinTimeLimit(string what, Action action)
    {
        var task = Task.Run(action);
        if (!task.Wait(PerCase))
            Assert.Fail($"{what} did not finish within {PerCase.TotalSeconds} s (a hang)");
    }

    [Fact]
    public void DamagedMemoryRecordsFailWithInvalidDataExceptionOnly()
    {
        var matrix = new MemoryMatrix(7, new MemoryMatrixOptions { Beta = 3 });
        matrix.AddRange(Oracle.Uniform(new Random(1), 9 * 7), 9);
        var distributed = new DistributedMemory(7, new DistributedMemoryOptions { Beta = 3, FeatureCount = 64, ProjectionBlockSize = 16 });
        distributed.AddRange(Oracle.Uniform(new Random(2), 9 * 7), 9);
        var random = new Random(11);
        foreach (var memory in new IAssociativeMemory[] { matrix, distributed })
        {
            using var saved = new MemoryStream();
            MemorySerializer.Write(saved, memory);
            var original = saved.ToArray();
            for (var c = 0; c < Cases; c++)
            {
                var damaged = Mutate(original, random, record: true);
                WithinTimeLimit($"case {c}", () =>
                {
                    try
                    {
                        MemorySerializer.Read(new MemoryStream(damaged));
                    }
                    catch (InvalidDataException)
                    {
                    }
                });
            }
        }
    }

    [Fact]
    public void DamagedModelZipsFailWithDocumentedExceptionsOrLoadIdentically()
    {
        var ml = new MLContext(seed: 1);
        var (train, test) = Iris.Load(ml);
        var model = Iris.Features01(ml)
            .Append(ml.Transforms.AssociativeMemory.Occlude("Occluded", "Visible", "Features", new OcclusionOptions { Kind = OcclusionKind.Random, Fraction = 0.3, FillValue = 0.5f }))
            .Append(ml.Transforms.AssociativeMemory.AddNoise("Noisy", "Features", new NoiseOptions { Amount = 0.05 }))
            .Append(ml.Transforms.AssociativeMemory.Store("Restored", "Features", "Occluded", "Visible", new MemoryStoreOptions
                { LabelColumnName = "Label", Retrieval = new DrDam.ML.Memory.Dynamics.RetrievalOptions { MaxSteps = 30 } }))
            .Fit(train);
        var path = Path.Combine(folder, "model.zip");
        ml.Model.Save(model, train.Schema, path);
        var expected = Columns.All(model.Transform(test));
        var original = File.ReadAllBytes(path);
        string[] owned = [.. ModelZip.Entries(path, ".bin"), .. ModelZip.Entries(path, "Model.key")];
        var random = new Random(12);
        var outcomes = new Dictionary<string, int>();
        for (var c = 0; c < Cases / 3; c++)
        {
            File.WriteAllBytes(path, original);
            if (c % 2 == 0)
            {
                // Damage inside an entry (the zip itself stays valid): our checks must catch it.
                var entry = owned[random.Next(owned.Length)];
                ModelZip.Rewrite(path, entry, bytes => Mutate(bytes, random, record: false));
            }
            else
            {
                File.WriteAllBytes(path, Mutate(original, random, record: false)); // damage to the zip file itself
            }
            var outcome = "loaded identically";
            WithinTimeLimit($"case {c}", () =>
            {
                try
                {
                    var loaded = new MLContext(seed: 1).Model.Load(path, out _);
                    var actual = Columns.All(loaded.Transform(test));
                    foreach (var (name, values) in expected)
                        Assert.True(Columns.Identical(values, actual[name]), $"case {c}: a damaged model loaded and column {name} differs");
                }
                catch (Exception e) when (e is not Xunit.Sdk.XunitException)
                {
                    // Whatever fails inside DrDam.ML is an InvalidDataException; damage to ML.NET's own stages, headers
                    // or the zip structure fails in ML.NET or System.IO.Compression with their exceptions.
                    var cause = ModelZip.Cause(e);
                    if (OurFrame().IsMatch(cause.StackTrace ?? ""))
                        Assert.True(cause is InvalidDataException, $"case {c}: DrDam.ML threw {cause}");
                    outcome = cause is InvalidDataException ? "InvalidDataException" : "ML.NET or zip: " + cause.GetType().Name;
                }
            });
            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
        }
        // Our own checks caught a good share of the cases (the rest were ML.NET's or loaded identically).
        Assert.True(outcomes.GetValueOrDefault("InvalidDataException") >= Cases / 15, string.Join(", ", outcomes));
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"at DrDam\.ML\.(?!Tests)")]
    private static partial System.Text.RegularExpressions.Regex OurFrame();

}

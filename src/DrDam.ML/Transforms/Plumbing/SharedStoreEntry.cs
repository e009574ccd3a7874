using System.Runtime.CompilerServices;
using DrDam.ML.Memory.Persistence;
using Microsoft.ML;

namespace DrDam.ML.Transforms.Plumbing;

/// <summary>
/// Writes a fitted store once per model file however many stages use it, and shares it again on load:
/// the first stage that saves a store writes Memory.bin (and Labels.bin) into its own folder of the zip,
/// every later stage with the same store records only that folder. On load, stages that name the same
/// folder get the same <see cref="StoredMemory"/> instance, so a DrDAM's Ω is cached once (docs/MLNET.md).
/// </summary>
internal static class SharedStoreEntry
{
    public const string MemoryEntry = "Memory.bin";
    public const string LabelsEntry = "Labels.bin";

    // One table per zip being written or read; the zip's repository object is the key, so nothing outlives it.
    private static readonly ConditionalWeakTable<RepositoryWriter, Dictionary<StoredMemory, string>> Written = [];
    private static readonly ConditionalWeakTable<RepositoryReader, Dictionary<string, StoredMemory>> Read = [];

    /// <summary>Saves <paramref name="store"/> in this stage's folder, or a reference to the folder that already holds it.</summary>
    public static void Save(ModelSaveContext ctx, StoredMemory store)
    {
        var written = Written.GetValue(ctx.Repository, _ => new(ReferenceEqualityComparer.Instance));
        lock (written)
        {
            if (written.TryGetValue(store, out var holder))
            {
                ModelEntries.SaveSettings(ctx, w => w.Write(holder));
                return;
            }
            var own = ctx.Directory ?? "";
            ModelEntries.SaveSettings(ctx, w => w.Write(own));
            ctx.SaveBinaryStream(MemoryEntry, writer => MemorySerializer.Write(writer.BaseStream, store.Memory));
            if (store.Labels is { } labels)
            {
                ModelEntries.SaveChecked(ctx, LabelsEntry, writer =>
                {
                    writer.Write(labels.Count);
                    foreach (var label in labels)
                        writer.Write(label);
                });
            }
            written[store] = own;
        }
    }

    /// <summary>Loads the store a stage saved (or refers to); stages naming the same folder share one instance.</summary>
    public static StoredMemory Load(ModelLoadContext ctx, bool expectLabels)
    {
        var holder = ModelEntries.LoadSettings(ctx, r => r.ReadString());
        var read = Read.GetValue(ctx.Repository, _ => []);
        lock (read)
        {
            if (read.TryGetValue(holder, out var shared))
                return shared;
            var memory = ModelEntries.Load(ctx, MemoryEntry, () =>
            {
                using var entry = ctx.Repository.OpenEntryOrNull(holder, MemoryEntry)
                    ?? throw new InvalidDataException($"the file has no {MemoryEntry} in '{holder}' for the associative memory: it is incomplete.");
                return MemorySerializer.Read(entry.Stream);
            }, holder);
            var labels = ModelEntries.Load(ctx, LabelsEntry, () => ModelEntries.LoadChecked(ctx, holder, LabelsEntry, reader =>
            {
                var count = reader.ReadInt32();
                if (count != memory.Count)
                    throw new InvalidDataException($"{LabelsEntry} holds {count} labels for {memory.Count} patterns.");
                var list = new List<string>(count);
                for (var i = 0; i < count; i++)
                    list.Add(reader.ReadString());
                return list;
            }), holder);
            if (expectLabels && labels is null)
                throw new InvalidDataException($"DrDam.ML model entry '{holder}/{LabelsEntry}' is missing, but the model names a label column: the file is incomplete.");
            var store = new StoredMemory(memory, labels);
            read[holder] = store;
            return store;
        }
    }
}

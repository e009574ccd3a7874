using DrDam.ML.Memory;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DrDam.ML.Transforms.Plumbing;

/// <summary>Streams a column of an IDataView into a memory, one chunk of rows at a time (no K×D array for DrDAM).</summary>
internal static class MemoryStoreFit
{
    private const int Chunk = 256;

    public static void Stream(IDataView data, string column, string? labelColumn, IAssociativeMemory memory, List<string>? labels)
    {
        ArgumentNullException.ThrowIfNull(data);
        var d = memory.Dimension;
        var source = SchemaCheck.Find(data.Schema, column, "Store");
        SchemaCheck.FloatVector(source, "Store", d);
        DataViewSchema.Column? label = labelColumn is null ? null : SchemaCheck.Find(data.Schema, labelColumn, "Label");
        using var cursor = data.GetRowCursor(label is { } l ? [source, l] : [source]);
        var getter = cursor.GetGetter<VBuffer<float>>(source);
        var labelGetter = label is { } lc ? LabelGetter(cursor, lc) : null;
        var chunk = new float[Chunk * d];
        var buffer = default(VBuffer<float>);
        var rows = 0;
        while (cursor.MoveNext())
        {
            getter(ref buffer);
            CopyFinite(buffer, chunk.AsSpan(rows * d, d), column, cursor.Position);
            labels?.Add(labelGetter!());
            if (++rows == Chunk)
            {
                Add(memory, chunk, rows);
                rows = 0;
            }
        }
        if (rows > 0)
            Add(memory, chunk, rows);
    }

    /// <summary>A seeded uniform sample of at most <paramref name="capacity"/> rows (reservoir sampling, one pass).</summary>
    public static (float[] Rows, int Count) Sample(IDataView data, string column, int dimension, int capacity, ulong seed)
    {
        var source = SchemaCheck.Find(data.Schema, column, "Store");
        using var cursor = data.GetRowCursor([source]);
        var getter = cursor.GetGetter<VBuffer<float>>(source);
        var sample = new float[MemoryLimits.Values((long)capacity * dimension, sizeof(float), $"A sample of {capacity} rows of column '{column}'", nameof(data))];
        var random = new Random(unchecked((int)seed ^ (int)(seed >> 32)));
        var buffer = default(VBuffer<float>);
        long seen = 0;
        while (cursor.MoveNext())
        {
            var slot = seen < capacity ? (int)seen : random.NextInt64(seen + 1) is var r && r < capacity ? (int)r : -1;
            seen++;
            if (slot < 0)
                continue;
            getter(ref buffer);
            CopyFinite(buffer, sample.AsSpan(slot * dimension, dimension), column, cursor.Position);
        }
        return (sample, (int)Math.Min(seen, capacity));
    }

    /// <summary>The rows of <paramref name="column"/> dealt into <paramref name="partitions"/> row-major parts (row r to part r mod P).</summary>
    public static (float[] Rows, int Count)[] Partitions(IDataView data, string column, int partitions)
    {
        var source = SchemaCheck.Find(data.Schema, column, "Store");
        var d = SchemaCheck.FloatVector(source, "Store");
        var parts = Enumerable.Range(0, partitions).Select(_ => new List<float>()).ToArray();
        using var cursor = data.GetRowCursor([source]);
        var getter = cursor.GetGetter<VBuffer<float>>(source);
        var buffer = default(VBuffer<float>);
        var row = new float[d];
        while (cursor.MoveNext())
        {
            getter(ref buffer);
            CopyFinite(buffer, row, column, cursor.Position);
            parts[(int)(cursor.Position % partitions)].AddRange(row);
        }
        return [.. parts.Select(p => (p.ToArray(), p.Count / d))];
    }

    private static void CopyFinite(VBuffer<float> buffer, Span<float> row, string column, long position)
    {
        buffer.CopyTo(row);
        for (var i = 0; i < row.Length; i++)
        {
            if (!float.IsFinite(row[i]))
                throw new InvalidDataException($"Column '{column}', row {position}: coordinate {i} is {row[i]}; a memory stores finite values only.");
        }
    }

    private static void Add(IAssociativeMemory memory, float[] chunk, int rows)
    {
        var values = chunk.AsMemory(0, rows * memory.Dimension);
        switch (memory)
        {
            case MemoryMatrix matrix: matrix.AddRange(values.Span, rows); break;
            case DistributedMemory distributed: distributed.AddRange(values, rows); break;
            default: throw new InvalidOperationException($"Unknown memory type {memory.GetType().Name}.");
        }
    }

    // Labels of any scalar type are kept as text.
    private static Func<string> LabelGetter(DataViewRow row, DataViewSchema.Column column)
    {
        if (column.Type is VectorDataViewType)
            throw new ArgumentOutOfRangeException("inputSchema", $"Label column '{column.Name}' must be a scalar, but is {column.Type}.");
        var method = typeof(MemoryStoreFit).GetMethod(nameof(TypedLabelGetter), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
            .MakeGenericMethod(column.Type.RawType);
        return (Func<string>)method.Invoke(null, [row, column])!;
    }

    private static Func<string> TypedLabelGetter<T>(DataViewRow row, DataViewSchema.Column column)
    {
        var getter = row.GetGetter<T>(column);
        T value = default!;
        return () =>
        {
            getter(ref value);
            return Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "";
        };
    }
}

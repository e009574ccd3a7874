using Microsoft.ML;
using Microsoft.ML.Data;

namespace DrDam.ML.Transforms.Plumbing;

/// <summary>
/// What one of our transformers adds to a schema: new columns computed from some input columns, a
/// batch of rows at a time (so retrieval runs matrix–matrix). Immutable; each cursor or row gets its
/// own <see cref="BatchState"/> from <see cref="Bind"/>.
/// </summary>
internal abstract class BatchMapping
{
    private DataViewSchema? outputSchema;

    protected BatchMapping(DataViewSchema inputSchema) => InputSchema = inputSchema;

    public DataViewSchema InputSchema { get; }

    /// <summary>The input schema plus the new columns (a new column hides an input column of the same name).</summary>
    public DataViewSchema OutputSchema => outputSchema ??= BuildOutputSchema();

    /// <summary>The new columns, in order.</summary>
    public abstract IReadOnlyList<(string Name, DataViewType Type)> Outputs { get; }

    /// <summary>Rows computed together.</summary>
    public abstract int BatchSize { get; }

    /// <summary>The input columns needed to compute the given new columns.</summary>
    public abstract IEnumerable<DataViewSchema.Column> Dependencies(IReadOnlyList<bool> activeOutputs);

    /// <summary>Per-cursor state reading from <paramref name="input"/>.</summary>
    public abstract BatchState Bind(DataViewRow input, IReadOnlyList<bool> activeOutputs);

    /// <summary>Which new columns are among <paramref name="columns"/> (columns of <see cref="OutputSchema"/>).</summary>
    public bool[] ActiveOutputs(IEnumerable<DataViewSchema.Column> columns)
    {
        var active = new bool[Outputs.Count];
        foreach (var column in columns)
        {
            if (column.Index >= InputSchema.Count)
                active[column.Index - InputSchema.Count] = true;
        }
        return active;
    }

    /// <summary>The input columns needed to serve <paramref name="columns"/> (columns of <see cref="OutputSchema"/>).</summary>
    public DataViewSchema.Column[] InputColumnsFor(IEnumerable<DataViewSchema.Column> columns)
    {
        var list = columns.ToList();
        return list.Where(c => c.Index < InputSchema.Count).Select(c => InputSchema[c.Index])
            .Concat(Dependencies(ActiveOutputs(list)))
            .DistinctBy(c => c.Index)
            .ToArray();
    }

    private DataViewSchema BuildOutputSchema()
    {
        var builder = new DataViewSchema.Builder();
        builder.AddColumns(InputSchema);
        foreach (var (name, type) in Outputs)
            builder.AddColumn(name, type);
        return builder.ToSchema();
    }
}

/// <summary>One cursor's buffers: rows are captured into slots, computed together, then served.</summary>
internal abstract class BatchState : IDisposable
{
    /// <summary>Releases what the state holds beyond managed memory (a backend's device buffers); the cursor or row calls it.</summary>
    public virtual void Dispose() { }

    /// <summary>Reads the input row at <paramref name="position"/> into <paramref name="slot"/>.</summary>
    public abstract void Capture(int slot, long position);

    /// <summary>Computes the new columns for slots [0, count).</summary>
    public abstract void Compute(int count);

    /// <summary>A getter of new column <paramref name="output"/> at the slot <paramref name="slot"/> returns.</summary>
    public abstract Delegate Getter(int output, Func<int> slot);
}

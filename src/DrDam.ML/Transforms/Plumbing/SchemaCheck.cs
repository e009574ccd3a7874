using Microsoft.ML;
using Microsoft.ML.Data;

namespace DrDam.ML.Transforms.Plumbing;

/// <summary>Schema checks with messages that name the column and the expected type.</summary>
internal static class SchemaCheck
{
    public static DataViewSchema.Column Find(DataViewSchema schema, string name, string role)
        => schema.GetColumnOrNull(name)
            ?? throw new ArgumentOutOfRangeException(nameof(schema), $"{role} column '{name}' not found in the input schema (columns: {string.Join(", ", schema.Where(c => !c.IsHidden).Select(c => c.Name))}).");

    /// <summary>A known-size vector of Single, of <paramref name="size"/> when given.</summary>
    public static int FloatVector(DataViewSchema.Column column, string role, int? size = null)
    {
        if (column.Type is not VectorDataViewType { ItemType: NumberDataViewType n } vector || n != NumberDataViewType.Single || !vector.IsKnownSize
            || (size is { } expected && vector.Size != expected))
            throw new ArgumentOutOfRangeException("inputSchema",
                $"{role} column '{column.Name}' must be Vector<Single, {(size?.ToString() ?? "known size")}>, but is {column.Type}.");
        return vector.Size;
    }

    /// <summary>A mask: a Boolean or Single vector of <paramref name="size"/>.</summary>
    public static void Mask(DataViewSchema.Column column, int size)
    {
        if (column.Type is not VectorDataViewType { IsKnownSize: true } vector || vector.Size != size
            || (vector.ItemType != BooleanDataViewType.Instance && vector.ItemType != NumberDataViewType.Single))
            throw new ArgumentOutOfRangeException("inputSchema",
                $"Mask column '{column.Name}' must be Vector<Boolean, {size}> or Vector<Single, {size}>, but is {column.Type}.");
    }

    /// <summary>The same checks on an estimator's SchemaShape (sizes are not known there).</summary>
    public static SchemaShape.Column FindShape(SchemaShape shape, string name, string role)
        => shape.TryFindColumn(name, out var column) ? column
            : throw new ArgumentOutOfRangeException("inputSchema", $"{role} column '{name}' not found in the input schema.");

    public static void FloatVectorShape(SchemaShape.Column column, string role)
    {
        if (column.Kind != SchemaShape.Column.VectorKind.Vector || column.ItemType != NumberDataViewType.Single)
            throw new ArgumentOutOfRangeException("inputSchema", $"{role} column '{column.Name}' must be a known-size Vector<Single>, but is {column.GetTypeString()}.");
    }

    public static SchemaShape.Column Vector(string name, DataViewType item) => new(name, SchemaShape.Column.VectorKind.Vector, item, false);

    public static SchemaShape.Column Scalar(string name, DataViewType item) => new(name, SchemaShape.Column.VectorKind.Scalar, item, false);

    public static SchemaShape.Column Key(string name, DataViewType item) => new(name, SchemaShape.Column.VectorKind.Scalar, item, true);

    /// <summary>The SchemaShape column of an output (a vector of any size, or a scalar).</summary>
    public static SchemaShape.Column Shape((string Name, DataViewType Type) output) => output.Type is VectorDataViewType vector
        ? Vector(output.Name, vector.ItemType)
        : Scalar(output.Name, output.Type);

    public static SchemaShape With(SchemaShape input, IEnumerable<SchemaShape.Column> added)
    {
        var columns = input.ToDictionary(c => c.Name);
        foreach (var column in added)
            columns[column.Name] = column;
        return new SchemaShape(columns.Values);
    }
}

using Microsoft.ML;
using Microsoft.ML.Data;

namespace DrDam.ML.Tests.Transforms;

/// <summary>Reads whole columns of a data view, for comparisons.</summary>
internal static class Columns
{
    public static float[][] Vectors(IDataView data, string name)
        => data.GetColumn<VBuffer<float>>(name).Select(v => v.DenseValues().ToArray()).ToArray();

    public static bool[][] Masks(IDataView data, string name)
        => data.GetColumn<VBuffer<bool>>(name).Select(v => v.DenseValues().ToArray()).ToArray();

    public static T[] Values<T>(IDataView data, string name) => data.GetColumn<T>(name).ToArray();

    /// <summary>Every column of a few common types, as comparable arrays keyed by name.</summary>
    public static Dictionary<string, object> All(IDataView data)
    {
        var result = new Dictionary<string, object>();
        foreach (var column in data.Schema.Where(c => !c.IsHidden))
        {
            result[column.Name] = column.Type switch
            {
                VectorDataViewType { ItemType: var t } when t == NumberDataViewType.Single => Vectors(data, column.Name).SelectMany(v => v).ToArray(),
                VectorDataViewType { ItemType: var t } when t == BooleanDataViewType.Instance => Masks(data, column.Name).SelectMany(v => v).ToArray(),
                var t when t == NumberDataViewType.Single => Values<float>(data, column.Name),
                var t when t == NumberDataViewType.Double => Values<double>(data, column.Name),
                var t when t == NumberDataViewType.Int32 => Values<int>(data, column.Name),
                var t when t == BooleanDataViewType.Instance => Values<bool>(data, column.Name),
                var t when t == TextDataViewType.Instance => Values<ReadOnlyMemory<char>>(data, column.Name).Select(m => m.ToString()).ToArray(),
                KeyDataViewType => Values<uint>(data, column.Name),
                _ => column.Type.GetType().Name,
            };
        }
        return result;
    }

    /// <summary>Whether two column arrays from <see cref="All"/> hold the same values, bit for bit.</summary>
    public static bool Identical(object a, object b) => (a, b) switch
    {
        (float[] x, float[] y) => x.AsSpan().SequenceEqual(y),
        (double[] x, double[] y) => x.AsSpan().SequenceEqual(y),
        (int[] x, int[] y) => x.AsSpan().SequenceEqual(y),
        (bool[] x, bool[] y) => x.AsSpan().SequenceEqual(y),
        (string[] x, string[] y) => x.AsSpan().SequenceEqual(y),
        (uint[] x, uint[] y) => x.AsSpan().SequenceEqual(y),
        _ => Equals(a, b),
    };
}

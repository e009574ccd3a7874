using Microsoft.ML;
using Microsoft.ML.Data;

namespace DrDam.ML.Transforms.Plumbing;

/// <summary>
/// Keeps one input column's values for a batch of rows, so that a batching cursor (which reads ahead)
/// still serves the input columns of the row it stands on.
/// </summary>
internal abstract class ColumnBuffer
{
    public abstract void Capture(int slot);

    public abstract Delegate Getter(Func<int> slot);

    public static ColumnBuffer Create(DataViewRow input, DataViewSchema.Column column, int capacity)
    {
        var type = column.Type is VectorDataViewType vector
            ? typeof(VectorBuffer<>).MakeGenericType(vector.ItemType.RawType)
            : typeof(ValueBuffer<>).MakeGenericType(column.Type.RawType);
        return (ColumnBuffer)Activator.CreateInstance(type, input, column, capacity)!;
    }

    private sealed class ValueBuffer<T>(DataViewRow input, DataViewSchema.Column column, int capacity) : ColumnBuffer
    {
        private readonly ValueGetter<T> source = input.GetGetter<T>(column);
        private readonly T[] values = new T[capacity];

        public override void Capture(int slot) => source(ref values[slot]);

        public override Delegate Getter(Func<int> slot) => (ValueGetter<T>)((ref T value) => value = values[slot()]);
    }

    private sealed class VectorBuffer<T>(DataViewRow input, DataViewSchema.Column column, int capacity) : ColumnBuffer
    {
        private readonly ValueGetter<VBuffer<T>> source = input.GetGetter<VBuffer<T>>(column);
        private readonly VBuffer<T>[] values = new VBuffer<T>[capacity];

        public override void Capture(int slot) => source(ref values[slot]);

        public override Delegate Getter(Func<int> slot) => (ValueGetter<VBuffer<T>>)((ref VBuffer<T> value) => values[slot()].CopyTo(ref value));
    }
}

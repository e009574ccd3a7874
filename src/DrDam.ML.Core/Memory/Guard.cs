namespace DrDam.ML.Memory;

/// <summary>Argument checks shared by the options records and memories; messages name the parameter and the expected value.</summary>
internal static class Guard
{
    public static double Positive(double value, string name)
    {
        if (!(value > 0) || !double.IsFinite(value))
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be a finite number > 0 (got {value}).");
        return value;
    }

    public static int Positive(int value, string name)
    {
        if (value <= 0)
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be > 0 (got {value}).");
        return value;
    }

    public static double Fraction(double value, string name)
    {
        if (!(value >= 0 && value <= 1))
            throw new ArgumentOutOfRangeException(name, value, $"{name} must lie in [0, 1] (got {value}).");
        return value;
    }

    public static float Finite(float value, string name)
        => float.IsFinite(value) ? value : throw new ArgumentOutOfRangeException(name, value, $"{name} must be finite (got {value}).");

    public static int NonNegative(int value, string name)
    {
        if (value < 0)
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be >= 0 (got {value}).");
        return value;
    }

    public static double NonNegative(double value, string name)
    {
        if (!(value >= 0) || !double.IsFinite(value))
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be a finite number >= 0 (got {value}).");
        return value;
    }

    public static void Length(long actual, long expected, string name, string shape)
    {
        if (actual != expected)
            throw new ArgumentException($"{name} must hold {shape} = {expected} values (got {actual}).", name);
    }

    /// <summary>Throws when any value is NaN or infinite, naming the row and column of the first one.</summary>
    /// <remarks>The check itself is one vectorised pass; only a failing span is searched element by element.</remarks>
    public static void Finite(ReadOnlySpan<float> values, int dimension, string name)
    {
        if (System.Numerics.Tensors.TensorPrimitives.IsFiniteAll(values))
            return;
        for (var i = 0; i < values.Length; i++)
        {
            if (!float.IsFinite(values[i]))
                throw new ArgumentException(
                    $"{name} must hold finite values; row {i / dimension}, coordinate {i % dimension} is {values[i]}.", name);
        }
    }

    public static T Defined<T>(T value, string name) where T : struct, Enum
    {
        if (!Enum.IsDefined(value))
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be one of {string.Join(", ", Enum.GetNames<T>())} (got {value}).");
        return value;
    }
}

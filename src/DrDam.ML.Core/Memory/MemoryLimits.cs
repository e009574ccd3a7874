namespace DrDam.ML.Memory;

/// <summary>
/// The documented limits of a memory and the check that refuses a size before allocating it: every count
/// of values must fit one .NET array, and every large buffer must fit the memory this process may use, so
/// an impossible request fails at once with the number asked for and the limit, never by exhausting memory.
/// </summary>
public static class MemoryLimits
{
    /// <summary>The largest β (1e30): beyond it √β·x and β·‖x − ξ‖² overflow single precision.</summary>
    public const double MaxBeta = 1e30;

    /// <summary>The most values one buffer holds (<see cref="Array.MaxLength"/>).</summary>
    public static long MaxValues => Array.MaxLength;

    /// <summary>Bytes this process may still allocate, as the runtime sees it (the machine's or the container's limit).</summary>
    public static long AvailableBytes => GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;

    /// <summary>
    /// <paramref name="values"/> values of <paramref name="bytesPerValue"/> bytes, checked against one array and
    /// the available memory; returns the count as an int.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Too many values for one array, or more bytes than the process may use (named after <paramref name="parameter"/>).</exception>
    public static int Values(long values, int bytesPerValue, string what, string parameter)
    {
        if (values < 0 || values > MaxValues)
            throw new ArgumentOutOfRangeException(parameter, values, $"{what} needs {values:N0} values, more than one array holds ({MaxValues:N0}).");
        Bytes(values * bytesPerValue, what, parameter);
        return (int)values;
    }

    /// <summary><paramref name="bytes"/> bytes in any number of arrays, checked against the available memory.</summary>
    /// <exception cref="ArgumentOutOfRangeException">More bytes than the process may use (named after <paramref name="parameter"/>).</exception>
    public static void Bytes(long bytes, string what, string parameter)
    {
        if (bytes > AvailableBytes)
            throw new ArgumentOutOfRangeException(parameter, bytes,
                $"{what} needs {bytes / 1048576.0:N0} MB, more than the {AvailableBytes / 1048576.0:N0} MB this process may use.");
    }
}

using System.Diagnostics;

namespace DrDam.ML.Samples.Imaging;

/// <summary>
/// Passes a retrieval's step reports on and notes when the first one came: the time to build the evaluator (on a GPU,
/// to send Ω there) and take one step, which the steps after it do not pay again.
/// </summary>
internal sealed class FirstStepClock(Stopwatch watch, IProgress<int>? next) : IProgress<int>
{
    /// <summary>Seconds on <c>watch</c> at the first report; null before it.</summary>
    public double? Seconds { get; private set; }

    public void Report(int value)
    {
        Seconds ??= watch.Elapsed.TotalSeconds;
        next?.Report(value);
    }
}

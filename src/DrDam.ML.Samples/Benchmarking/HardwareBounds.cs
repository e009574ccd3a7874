using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using DrDam.ML.Compute.Managed;
using DrDam.ML.Memory.Features;

namespace DrDam.ML.Samples.Benchmarking;

/// <summary>
/// The ceilings of a roofline, measured on the machine that runs <c>bench</c>: the fused multiply-add peak (every
/// core, the widest accelerated vector, independent chains held in registers), the memory bandwidth (STREAM's
/// triad, and a read-only sweep, over buffers far larger than any cache), and for steps that regenerate Ω the rate
/// at which every core draws its Gaussian rows. docs/ROOFLINE.md explains how the step rates are read against them.
/// </summary>
internal static class HardwareBounds
{
    // 12 independent chains cover a 4-cycle FMA latency on two pipes with room to spare.
    private const int Chains = 12;
    private const int FmaIterations = 1 << 22;

    // Values each core draws per repetition of the Gaussian sweep (about 10 ms of work on the Zen 5 host).
    private const int DrawnValuesPerCore = 1 << 23;

    // Each buffer is 64 M floats (256 MB): far beyond the last-level caches of the hosts measured (32 MB).
    private const int StreamLength = 1 << 26;

    /// <summary>GFLOP/s of fused multiply-adds on every core at once (2 flops per lane per FMA), the best of the timed repetitions.</summary>
    public static double FmaPeakGflops(TimeSpan budget)
    {
        var threads = Environment.ProcessorCount;
        var lanes = Vector512.IsHardwareAccelerated ? 16 : Vector256.IsHardwareAccelerated ? 8 : 4;
        var flops = 2.0 * lanes * Chains * FmaIterations * threads;
        var sink = new float[threads];
        var seconds = BestSeconds(() => Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t => sink[t] = lanes switch
        {
            16 => FmaChains<Lanes512>(FmaIterations),
            8 => FmaChains<Lanes256>(FmaIterations),
            _ => FmaChains<Lanes128>(FmaIterations),
        }), budget);
        if (sink.Any(float.IsNaN))
            throw new InvalidOperationException("The FMA loop produced NaN."); // keeps the results observable
        return flops / seconds / 1e9;
    }

    /// <summary>GB/s of STREAM's triad a = b + s·c over every core (12 bytes counted per element, as STREAM counts them).</summary>
    public static double TriadGbs(TimeSpan budget)
    {
        var (a, b, c) = (new float[StreamLength], new float[StreamLength], new float[StreamLength]);
        var seconds = BestSeconds(() => ForSlices(StreamLength, (from, length) =>
            System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(c.AsSpan(from, length), 3f, b.AsSpan(from, length), a.AsSpan(from, length))), budget);
        return 3.0 * sizeof(float) * StreamLength / seconds / 1e9;
    }

    /// <summary>GB/s of a read-only sum over one buffer on every core: the bound of a step that streams Ω and writes little.</summary>
    /// <remarks>
    /// Four independent sums at the widest vector over a 64-byte-aligned buffer. TensorPrimitives.Sum read the same
    /// buffer at 55–60 GB/s with 512-bit vectors on the Zen 5 host, where this loop reads 90 (docs/ROOFLINE.md).
    /// </remarks>
    public static unsafe double ReadGbs(TimeSpan budget)
    {
        var buffer = (float*)NativeMemory.AlignedAlloc((nuint)StreamLength * sizeof(float), 64);
        try
        {
            new Span<float>(buffer, StreamLength).Fill(1f);
            var total = 0f;
            var seconds = BestSeconds(() =>
            {
                var sums = new float[Environment.ProcessorCount];
                var slice = StreamLength / sums.Length;
                ForSlices(StreamLength, (from, length) => sums[from / slice] = Vector512.IsHardwareAccelerated ? ReadSum<Lanes512>(buffer + from, length)
                    : Vector256.IsHardwareAccelerated ? ReadSum<Lanes256>(buffer + from, length) : ReadSum<Lanes128>(buffer + from, length));
                total = sums.Sum();
            }, budget);
            if (total != StreamLength)
                throw new InvalidOperationException($"The read sweep summed {total}, not {StreamLength}."); // keeps the reads observable
            return (double)sizeof(float) * StreamLength / seconds / 1e9;
        }
        finally
        {
            NativeMemory.AlignedFree(buffer);
        }
    }

    /// <summary>
    /// Billions of Ω's values per second that <see cref="GaussianRows.Fill"/> draws on every core at once, rows of
    /// <paramref name="dimension"/> values (the best of the timed repetitions): what bounds a step that regenerates Ω.
    /// </summary>
    public static double GaussianDrawGvalues(int dimension, TimeSpan budget)
    {
        var threads = Environment.ProcessorCount;
        var rows = Math.Max(1, DrawnValuesPerCore / dimension);
        var buffers = Enumerable.Range(0, threads).Select(_ => new float[dimension]).ToArray();
        var seconds = BestSeconds(() => Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
        {
            for (var row = 0; row < rows; row++)
                GaussianRows.Fill(1, RandomStream.Projection, (long)t * rows + row, buffers[t]);
        }), budget);
        if (buffers.Any(b => !float.IsFinite(b[0])))
            throw new InvalidOperationException("The Gaussian draws produced a value that is not finite."); // keeps the rows observable
        return (double)threads * rows * dimension / seconds / 1e9;
    }

    // Four sums of whole vectors (length a multiple of 4 vectors), then the remainder one by one.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe float ReadSum<TLanes>(float* values, int length) where TLanes : struct, ILanes<TLanes>
    {
        var width = TLanes.Count;
        TLanes a = TLanes.Create(0), b = a, c = a, d = a;
        var i = 0;
        for (; i + 4 * width <= length; i += 4 * width)
        {
            a = TLanes.Add(a, TLanes.Load(values + i));
            b = TLanes.Add(b, TLanes.Load(values + i + width));
            c = TLanes.Add(c, TLanes.Load(values + i + 2 * width));
            d = TLanes.Add(d, TLanes.Load(values + i + 3 * width));
        }
        var sum = TLanes.Sum(TLanes.Add(TLanes.Add(a, b), TLanes.Add(c, d)));
        for (; i < length; i++)
            sum += values[i];
        return sum;
    }

    // One contiguous slice per core (the last takes the remainder).
    private static void ForSlices(int length, Action<int, int> slice)
    {
        var threads = Environment.ProcessorCount;
        var size = length / threads;
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t => slice(t * size, t == threads - 1 ? length - t * size : size));
    }

    // A ceiling is the best repetition, not the median: the machine can do at least that much.
    private static double BestSeconds(Action call, TimeSpan budget)
    {
        call(); // warm-up: the JIT, the thread pool and the buffers' first touch
        var best = double.PositiveInfinity;
        var total = Stopwatch.StartNew();
        for (var runs = 0; runs < 3 || total.Elapsed < budget; runs++)
        {
            var watch = Stopwatch.StartNew();
            call();
            best = Math.Min(best, watch.Elapsed.TotalSeconds);
        }
        return best;
    }

    // Twelve chains of a ← a·x + y in registers; the width is the lane type's.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float FmaChains<TLanes>(int iterations) where TLanes : struct, ILanes<TLanes>
    {
        var (x, y) = (TLanes.Create(0.999f), TLanes.Create(1e-7f));
        TLanes a0 = TLanes.Create(1f), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0, a8 = a0, a9 = a0, a10 = a0, a11 = a0;
        for (var i = 0; i < iterations; i++)
        {
            a0 = TLanes.Fma(a0, x, y); a1 = TLanes.Fma(a1, x, y); a2 = TLanes.Fma(a2, x, y); a3 = TLanes.Fma(a3, x, y);
            a4 = TLanes.Fma(a4, x, y); a5 = TLanes.Fma(a5, x, y); a6 = TLanes.Fma(a6, x, y); a7 = TLanes.Fma(a7, x, y);
            a8 = TLanes.Fma(a8, x, y); a9 = TLanes.Fma(a9, x, y); a10 = TLanes.Fma(a10, x, y); a11 = TLanes.Fma(a11, x, y);
        }
        return TLanes.Sum(a0) + TLanes.Sum(a1) + TLanes.Sum(a2) + TLanes.Sum(a3) + TLanes.Sum(a4) + TLanes.Sum(a5)
            + TLanes.Sum(a6) + TLanes.Sum(a7) + TLanes.Sum(a8) + TLanes.Sum(a9) + TLanes.Sum(a10) + TLanes.Sum(a11);
    }

    // One vector width for FmaChains and ReadSum (the JIT compiles one loop per width).
    private interface ILanes<TSelf> where TSelf : struct, ILanes<TSelf>
    {
        static abstract TSelf Create(float value);
        static abstract TSelf Fma(TSelf a, TSelf b, TSelf c);
        static abstract float Sum(TSelf value);
        static abstract int Count { get; }
        static abstract unsafe TSelf Load(float* values);
        static abstract TSelf Add(TSelf a, TSelf b);
    }

    private readonly record struct Lanes512(Vector512<float> V) : ILanes<Lanes512>
    {
        public static Lanes512 Create(float value) => new(Vector512.Create(value));
        public static Lanes512 Fma(Lanes512 a, Lanes512 b, Lanes512 c) => new(Vector512.FusedMultiplyAdd(a.V, b.V, c.V));
        public static float Sum(Lanes512 value) => Vector512.Sum(value.V);
        public static int Count => Vector512<float>.Count;
        public static unsafe Lanes512 Load(float* values) => new(Vector512.Load(values));
        public static Lanes512 Add(Lanes512 a, Lanes512 b) => new(a.V + b.V);
    }

    private readonly record struct Lanes256(Vector256<float> V) : ILanes<Lanes256>
    {
        public static Lanes256 Create(float value) => new(Vector256.Create(value));
        public static Lanes256 Fma(Lanes256 a, Lanes256 b, Lanes256 c) => new(Vector256.FusedMultiplyAdd(a.V, b.V, c.V));
        public static float Sum(Lanes256 value) => Vector256.Sum(value.V);
        public static int Count => Vector256<float>.Count;
        public static unsafe Lanes256 Load(float* values) => new(Vector256.Load(values));
        public static Lanes256 Add(Lanes256 a, Lanes256 b) => new(a.V + b.V);
    }

    private readonly record struct Lanes128(Vector128<float> V) : ILanes<Lanes128>
    {
        public static Lanes128 Create(float value) => new(Vector128.Create(value));
        // Without the FMA instructions (an x86 host without AVX2, or DOTNET_EnableAVX2=0) Vector128.FusedMultiplyAdd runs
        // in software, about 500× below the hardware's rate: the ceiling is then a multiply and an add, as the kernels do.
        public static Lanes128 Fma(Lanes128 a, Lanes128 b, Lanes128 c)
            => new(Sgemm.FusesMultiplyAdds ? Vector128.FusedMultiplyAdd(a.V, b.V, c.V) : a.V * b.V + c.V);
        public static float Sum(Lanes128 value) => Vector128.Sum(value.V);
        public static int Count => Vector128<float>.Count;
        public static unsafe Lanes128 Load(float* values) => new(Vector128.Load(values));
        public static Lanes128 Add(Lanes128 a, Lanes128 b) => new(a.V + b.V);
    }
}

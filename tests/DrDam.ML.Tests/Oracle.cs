using DrDam.ML.Memory;
using DrDam.ML.Memory.Energies;
using DrDam.ML.Memory.Features;

namespace DrDam.ML.Tests;

/// <summary>Straightforward float64 formulas of docs/MATH.md, written independently of the library's batched code.</summary>
internal static class Oracle
{
    public static float[] Uniform(Random random, int length, double low = 0, double high = 1)
    {
        var values = new float[length];
        for (var i = 0; i < length; i++)
            values[i] = (float)(low + (high - low) * random.NextDouble());
        return values;
    }

    /// <summary>Random binary patterns with entries in {0, 1/√D}.</summary>
    public static float[] Binary(Random random, int rows, int dimension)
    {
        var values = new float[rows * dimension];
        var on = (float)(1 / Math.Sqrt(dimension));
        for (var i = 0; i < values.Length; i++)
            values[i] = random.Next(2) == 1 ? on : 0f;
        return values;
    }

    public static double[] ToDouble(ReadOnlySpan<float> values)
    {
        var result = new double[values.Length];
        for (var i = 0; i < values.Length; i++)
            result[i] = values[i];
        return result;
    }

    public static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<float> b)
    {
        var sum = 0.0;
        for (var i = 0; i < a.Length; i++)
            sum += a[i] * b[i];
        return sum;
    }

    /// <summary>E(x) of the memory representation, by the formulas of docs/MATH.md §1.</summary>
    public static double MatrixEnergy(EnergyKind kind, double beta, double[] x, float[] patterns, int dimension, double epsilon = 1e-5)
    {
        var k = patterns.Length / dimension;
        var norm = Math.Sqrt(x.Sum(v => v * v));
        var terms = new double[k];
        for (var mu = 0; mu < k; mu++)
        {
            var xi = patterns.AsSpan(mu * dimension, dimension);
            var dot = Dot(x, xi);
            var dist = 0.0;
            for (var i = 0; i < dimension; i++)
                dist += (x[i] - xi[i]) * (x[i] - xi[i]);
            terms[mu] = kind switch
            {
                EnergyKind.L2 => -beta / 2 * dist,
                EnergyKind.Dot => beta * dot,
                EnergyKind.CosineDot => beta * dot / norm,
                EnergyKind.Epanechnikov => Math.Max(0, 1 - beta / 2 * dist),
                _ => throw new ArgumentOutOfRangeException(nameof(kind)),
            };
        }
        if (kind == EnergyKind.Epanechnikov)
            return -Math.Log(epsilon + terms.Sum()) / beta;
        var max = terms.Max();
        var lse = max + Math.Log(terms.Sum(t => Math.Exp(t - max)));
        return -lse / beta + (kind == EnergyKind.Dot ? 0.5 * norm * norm : 0);
    }

    /// <summary>φ(√β·x) in double precision from the library's Ω rows and phases.</summary>
    public static double[] Features(DistributedMemoryOptions options, int dimension, double[] x)
    {
        var y = options.FeatureCount;
        var projection = new RandomProjection(dimension, y, options.Seed, options.Orthogonal);
        var omega = new float[y * dimension];
        projection.FillRows(0, y, omega);
        var offsets = new float[y];
        projection.FillOffsets(0, y, offsets);
        var z = x.Select(v => Math.Sqrt(options.Beta) * v).ToArray();
        var zz = z.Sum(v => v * v);
        var parts = options.Basis is FeatureBasisKind.SinCos or FeatureBasisKind.PositiveExpExp ? 2 : 1;
        var phi = new double[parts * y];
        for (var a = 0; a < y; a++)
        {
            var s = Dot(z, omega.AsSpan(a * dimension, dimension));
            switch (options.Basis)
            {
                case FeatureBasisKind.SinCos:
                    phi[a] = Math.Cos(s) / Math.Sqrt(y);
                    phi[y + a] = Math.Sin(s) / Math.Sqrt(y);
                    break;
                case FeatureBasisKind.Cos:
                    phi[a] = Math.Sqrt(2.0 / y) * Math.Cos(s + offsets[a]);
                    break;
                case FeatureBasisKind.PositiveExp:
                    phi[a] = Math.Exp(s - zz) / Math.Sqrt(y);
                    break;
                case FeatureBasisKind.PositiveExpExp:
                    phi[a] = Math.Exp(s - zz) / Math.Sqrt(2.0 * y);
                    phi[y + a] = Math.Exp(-s - zz) / Math.Sqrt(2.0 * y);
                    break;
            }
        }
        return phi;
    }

    /// <summary>Ê(x) = −(1/β)·log max(ε, ⟨φ(√βx), T⟩).</summary>
    public static double DistributedEnergy(DistributedMemory memory, double[] x)
    {
        var phi = Features(memory.Options, memory.Dimension, x);
        var t = memory.Memory;
        var inner = 0.0;
        for (var i = 0; i < phi.Length; i++)
            inner += phi[i] * t[i];
        return -Math.Log(Math.Max(memory.Options.LogClip, inner)) / memory.Beta;
    }

    /// <summary>Central finite difference of <paramref name="energy"/> at x.</summary>
    public static double[] Gradient(Func<double[], double> energy, double[] x, double h = 1e-6)
    {
        var g = new double[x.Length];
        for (var i = 0; i < x.Length; i++)
        {
            var plus = (double[])x.Clone();
            var minus = (double[])x.Clone();
            plus[i] += h;
            minus[i] -= h;
            g[i] = (energy(plus) - energy(minus)) / (2 * h);
        }
        return g;
    }

    public static double Distance(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var sum = 0.0;
        for (var i = 0; i < a.Length; i++)
            sum += (a[i] - (double)b[i]) * (a[i] - (double)b[i]);
        return Math.Sqrt(sum);
    }
}

using ILGPU;

namespace DrDam.ML.Compute.Ilgpu;

/// <summary>
/// One thread's running sums of up to <see cref="IlgpuKernels.FewRows"/> rows of A against one row or column of B,
/// held in registers. The few-row kernels load several values of B before adding any of them, so each thread keeps
/// that many reads in flight: one read at a time leaves the GPU's memory idle between a load and the sums it feeds.
/// </summary>
internal struct FewRowSums
{
    public float S0, S1, S2, S3, S4, S5, S6, S7;

    /// <summary>Adds A[r, t]·<paramref name="v"/> to row r's sum for r &lt; <paramref name="m"/>, A[r, t] at <paramref name="at"/> + r·<paramref name="stride"/>.</summary>
    public void Add(ArrayView<float> a, long at, long stride, int m, float v)
    {
        S0 += a[at] * v;
        if (m > 1) S1 += a[at + stride] * v;
        if (m > 2) S2 += a[at + 2 * stride] * v;
        if (m > 3) S3 += a[at + 3 * stride] * v;
        if (m > 4) S4 += a[at + 4 * stride] * v;
        if (m > 5) S5 += a[at + 5 * stride] * v;
        if (m > 6) S6 += a[at + 6 * stride] * v;
        if (m > 7) S7 += a[at + 7 * stride] * v;
    }

    /// <summary>Row <paramref name="r"/>'s sum.</summary>
    public readonly float Row(int r) => r switch { 0 => S0, 1 => S1, 2 => S2, 3 => S3, 4 => S4, 5 => S5, 6 => S6, _ => S7 };
}

using DrDam.ML.Compute.Managed;
using DrDam.ML.Memory;
using DrDam.ML.Memory.Features;
using TorchSharp;
using static TorchSharp.torch;

namespace DrDam.ML.Compute.Torch;

/// <summary>
/// DrDAM step as tensor operations (docs/MATH.md §3): S = ZΩᵀ with Z = √β·X, the basis turns S into φ,
/// ⟨φ,T⟩ and u, G = UΩ, then ∇Ê = −(G + c·z)/(√β·⟨φ,T⟩) (0 where ⟨φ,T⟩ is clipped), or
/// x − φᵀR/⟨φ,T⟩ with eq. 32's R. Ω is regenerated from its seed into device memory once.
/// </summary>
internal sealed class TorchDistributedMemoryEvaluator : TorchEvaluator
{
    /// <summary>
    /// Rows of Ω per slice of a skinny batch's backward product on CUDA. G = UΩ as one product leaves most of the GPU idle
    /// when G is a few rows of D; cut along Ω's rows into slices of about this many, multiplied as a batch and summed, it
    /// reads Ω near the GPU's bandwidth (fig1's shape on an H200 through libtorch: 3.70 ms as one product, 2.20 ms in
    /// 60 slices of 3,000 rows, 4.06 ms in 180 slices; docs/GPU.md).
    /// </summary>
    public const int CudaBackwardSliceRows = 3000;

    private readonly FeatureBasisKind basis;
    private readonly bool linearAttention;
    private readonly Tensor? slicedOmega;
    private readonly Tensor omega, offsets, memoryFirst, memorySecond, attentionFirst, attentionSecond;
    private readonly Tensor sqrtBeta, minusInverseBeta, epsilon, scale, logShift, selfPerInner, minusOne, minusInverseSqrtBeta;

    /// <param name="memory">The memory.</param>
    /// <param name="maxBatch">The most queries per call.</param>
    /// <param name="device">Where the tensors live.</param>
    /// <param name="backwardSliceRows">Rows of Ω per slice of a skinny batch's backward product; 0 for one product. By
    /// default <see cref="CudaBackwardSliceRows"/> on CUDA and 0 on the CPU.</param>
    public TorchDistributedMemoryEvaluator(DistributedMemory memory, int maxBatch, Device device, int? backwardSliceRows = null) : base(memory, maxBatch, device)
    {
        var features = memory.Features;
        var (y, d) = (features.FeatureCount, Dimension);
        basis = features.Basis.Kind;
        linearAttention = memory.Options.LinearAttention;
        var constants = features.Basis.Constants(y);
        omega = OmegaOnDevice(features);
        var sliceRows = backwardSliceRows ?? (device.type == DeviceType.CUDA ? CudaBackwardSliceRows : 0);
        var slices = sliceRows > 0 ? y / sliceRows : 0;
        if (slices > 1)
        {
            using var covered = omega.narrow(0, 0, (long)slices * (y / slices));
            slicedOmega = Keep(covered.view(slices, y / slices, d));
        }
        var phases = features.Basis.UsesOffsets ? new float[y] : null;
        if (phases is not null)
            features.Projection.FillOffsets(0, y, phases);
        offsets = phases is null ? Keep(torch.empty(0)) : Keep(torch.tensor(phases, [1, y], ScalarType.Float32));
        var t = memory.Memory;
        memoryFirst = Keep(torch.tensor(ToSingle(t[..y]), [y, 1], ScalarType.Float32));
        memorySecond = features.Basis.Parts == 2 ? Keep(torch.tensor(ToSingle(t[y..]), [y, 1], ScalarType.Float32)) : Keep(torch.empty(0));
        if (linearAttention)
        {
            var r = memory.LinearAttentionMemory;
            attentionFirst = Keep(torch.tensor(r[..(y * d)].ToArray(), [y, d], ScalarType.Float32));
            attentionSecond = features.Basis.Parts == 2 ? Keep(torch.tensor(r[(y * d)..].ToArray(), [y, d], ScalarType.Float32)) : Keep(torch.empty(0));
        }
        else
            (attentionFirst, attentionSecond) = (Keep(torch.empty(0)), Keep(torch.empty(0)));
        sqrtBeta = Constant(Math.Sqrt(memory.Beta));
        minusInverseSqrtBeta = Keep(torch.tensor(-1 / Math.Sqrt(memory.Beta), ScalarType.Float64));
        minusInverseBeta = Keep(torch.tensor(-1 / memory.Beta, ScalarType.Float64));
        epsilon = Keep(torch.tensor(memory.Options.LogClip, ScalarType.Float64));
        scale = Constant(constants.Scale);
        logShift = Constant(constants.LogShift);
        selfPerInner = Keep(torch.tensor((double)constants.SelfPerInner, ScalarType.Float64));
        minusOne = Constant(-1);
    }

    // Ω (Y×D fp32) built on the device a block at a time: Y·D may exceed what one .NET array holds (fig1: 2.2·10⁹ values).
    // Each block is copied once, into a pinned array that a host tensor shares, and sent from there.
    private Tensor OmegaOnDevice(FeatureSpace features)
    {
        var d = Dimension;
        var omega = Keep(torch.empty([features.FeatureCount, d], ScalarType.Float32, device: Device));
        var staging = GC.AllocateUninitializedArray<float>(features.BlockSize * d, pinned: true);
        using var host = torch.from_array(staging);
        for (var b = 0; b < features.BlockCount; b++)
        {
            var (start, n) = features.BlockRange(b);
            features.FillRows(start, n, staging.AsSpan(0, n * d)); // rows D apart, whatever the storage's layout
            using var block = host.narrow(0, 0, (long)n * d).view(n, d);
            using var rows = omega.narrow(0, start, n);
            rows.copy_(block);
        }
        return omega;
    }

    protected override (Tensor Energies, Tensor Gradients) Step(Tensor x)
    {
        var z = x.mul(sqrtBeta);
        var s = z.mm(omega.t()); // a transposed view: faster than a contiguous Ωᵀ, and no second copy of Ω
        var (first, second, inner, u) = Backward(s, z.mul(z).sum(1, keepdim: true));
        var h = torch.maximum(inner, epsilon);
        var energies = h.log().squeeze(1).mul(minusInverseBeta);
        if (linearAttention)
        {
            // x − φᵀR/⟨φ,T⟩
            var g = first.mm(attentionFirst);
            if (second is not null)
                g = g.add(second.mm(attentionSecond), TorchScalars.One);
            return (energies, x.add(g.div(h.to_type(ScalarType.Float32)), TorchScalars.MinusOne));
        }
        // −(G + c·z)/(√β·h), and 0 where the clip is active (−log ε has no slope)
        var self = inner.mul(selfPerInner);
        var gradient = TimesOmega(u).add(z.mul(self.to_type(ScalarType.Float32)), TorchScalars.One)
            .mul(minusInverseSqrtBeta.div(h).to_type(ScalarType.Float32));
        return (energies, gradient.mul(inner.gt(epsilon).to_type(ScalarType.Float32)));
    }

    // G = UΩ; for a skinny batch with slices, Σ over slices s of U_s·Ω_s (one batched product), plus the last rows
    // of Ω that do not fill a slice.
    private Tensor TimesOmega(Tensor u)
    {
        var rows = u.shape[0];
        if (slicedOmega is null || rows > Sgemm.SkinnyRows) // a skinny batch, as the managed backend counts it
            return u.mm(omega);
        var (slices, per, y) = (slicedOmega.shape[0], slicedOmega.shape[1], omega.shape[0]);
        var covered = slices * per;
        var g = torch.bmm(u.narrow(1, 0, covered).reshape(rows, slices, per).transpose(0, 1), slicedOmega).sum(0L, keepdim: false); // 0L: a literal 0 would bind to sum(ScalarType)
        return covered == y ? g : g.add(u.narrow(1, covered, y - covered).mm(omega.narrow(0, covered, y - covered)), TorchScalars.One);
    }

    // φ's parts, ⟨φ,T⟩ (float64, rows×1) and u (∂⟨φ,T⟩/∂s), per basis (see the managed bases).
    private (Tensor First, Tensor? Second, Tensor Inner, Tensor U) Backward(Tensor s, Tensor zSquaredNorms)
    {
        switch (basis)
        {
            case FeatureBasisKind.SinCos:
            {
                var (cos, sin) = (s.cos().mul(scale), s.sin().mul(scale));
                var inner = Dot(cos, memoryFirst).add(Dot(sin, memorySecond), TorchScalars.One);
                var u = cos.mul(memorySecond.t()).add(sin.mul(memoryFirst.t()), TorchScalars.MinusOne);
                return (cos, sin, inner, u);
            }
            case FeatureBasisKind.Cos:
            {
                var shifted = s.add(offsets, TorchScalars.One);
                var first = shifted.cos().mul(scale);
                var u = shifted.sin().mul(scale).mul(memoryFirst.t()).mul(minusOne);
                var inner = Dot(first, memoryFirst);
                return (first, null, inner, u);
            }
            case FeatureBasisKind.PositiveExp:
            {
                var first = s.add(zSquaredNorms, TorchScalars.MinusOne).add(logShift, TorchScalars.One).exp();
                var u = first.mul(memoryFirst.t());
                var inner = u.sum(1, keepdim: true, type: ScalarType.Float64);
                return (first, null, inner, u);
            }
            case FeatureBasisKind.PositiveExpExp:
            {
                var shift = zSquaredNorms.mul(minusOne).add(logShift, TorchScalars.One);
                var first = s.add(shift, TorchScalars.One).exp();
                var second = s.mul(minusOne).add(shift, TorchScalars.One).exp();
                var inner = Dot(first, memoryFirst).add(Dot(second, memorySecond), TorchScalars.One);
                var u = first.mul(memoryFirst.t()).add(second.mul(memorySecond.t()), TorchScalars.MinusOne);
                return (first, second, inner, u);
            }
            default:
                throw new InvalidOperationException($"Basis {basis} has no Torch implementation.");
        }
    }

    private static Tensor Dot(Tensor features, Tensor memory) => features.mm(memory).to_type(ScalarType.Float64);
}

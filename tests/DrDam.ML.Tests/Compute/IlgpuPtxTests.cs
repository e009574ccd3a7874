using System.Reflection;
using DrDam.ML.Compute.Ilgpu;
using ILGPU;
using ILGPU.Algorithms;
using ILGPU.Backends.EntryPoints;
using ILGPU.Backends.PTX;
using ILGPU.Runtime;
using ILGPU.Runtime.Cuda;

namespace DrDam.ML.Tests.Compute;

/// <summary>
/// ILGPU's PTX backend compiles every kernel for CUDA (asked for Hopper, sm_90, with PTX ISA 8.0) without a GPU: what
/// the CPU accelerator's tests cannot see (a construct the PTX backend refuses, a group reduction that does not become
/// warp shuffles, a tile not staged through barriers) fails here, on CI.
/// </summary>
[Collection(nameof(IlgpuCollection))]
public sealed class IlgpuPtxTests
{
    public static TheoryData<string, bool, string> Kernels => new()
    {
        { nameof(IlgpuKernels.Multiply), true, "bar.sync" },
        { nameof(IlgpuKernels.MultiplyFewRowsTransposed), true, "shfl.sync" },
        { nameof(IlgpuKernels.MultiplyFewRowsSliced), true, "mul.f32" },
        { nameof(IlgpuKernels.SumSlices), false, "add.f32" },
        { nameof(IlgpuKernels.Weigh), true, "shfl.sync" },
        { nameof(IlgpuKernels.Features), false, "st.f32" },
        { nameof(IlgpuKernels.OmegaRows), false, "st.f32" },
    };

    [Theory]
    [MemberData(nameof(Kernels))]
    public void EveryKernelCompilesToPtx(string name, bool explicitlyGrouped, string instruction)
    {
        using var context = Context.Create(builder => builder.Cuda().EnableAlgorithms());
        using var backend = new PTXBackend(context, CudaArchitecture.SM_90, CudaInstructionSet.ISA_80, null!); // no NVVM: ILGPU's own PTX generator
        var method = typeof(IlgpuKernels).GetMethod(name, BindingFlags.Public | BindingFlags.Static)!;
        var entry = explicitlyGrouped ? EntryPointDescription.FromExplicitlyGroupedKernel(method) : EntryPointDescription.FromImplicitlyGroupedKernel(method);
        var ptx = ((PTXCompiledKernel)backend.Compile(entry, KernelSpecialization.Empty)).PTXAssembly;
        Assert.Contains(".target sm_", ptx); // ILGPU 1.5.3 writes sm_80 for PTX ISA 8.0; the driver compiles it for the GPU it runs on
        Assert.Contains(".entry", ptx);
        Assert.Contains(instruction, ptx);
    }
}

using System.Diagnostics;
using System.Globalization;

namespace DrDam.ML.Tests.Compute;

/// <summary>
/// The managed kernels on every instruction set a host may offer: tests/DrDam.ML.KernelHost runs the MrDAM step and the
/// packed and skinny DrDAM steps (cached, bfloat16 and on-demand Ω) in a fresh process with AVX-512, then AVX2, switched off
/// (the runtime's DOTNET_EnableAVX512 and DOTNET_EnableAVX2). Each path must keep every row's bits alone and batched,
/// and agree with the host's widest path to float rounding (vector widths change the summation order of the reductions
/// around the products). The products themselves (the "sgemm" workload) are the same bits on every path that fuses its
/// multiply-adds: each element is one chain of fused multiply-adds in the same order, whatever the tile. Without AVX2 an
/// x86 processor may lack FMA; the 128-bit kernels then multiply and add, so there the products agree to float rounding.
/// </summary>
public class InstructionSetPathTests
{
    private static (int VectorBits, bool Fused, Dictionary<string, (bool Alone, double[] Values)> Workloads) Run(params (string Name, string Value)[] environment)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "DrDam.ML.KernelHost.dll"));
        foreach (var (name, value) in environment)
            start.Environment[name] = value;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        Assert.True(process.WaitForExit(120_000), "the kernel host hung");
        Assert.True(process.ExitCode == 0, $"kernel host failed ({process.ExitCode}): {error}");
        var lines = output.Trim().Split('\n');
        var workloads = lines[1..].Select(line => line.Split(' ')).ToDictionary(
            parts => parts[0],
            parts => (bool.Parse(parts[1]), parts[2..].Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray()));
        var path = lines[0].Split(' ');
        return (int.Parse(path[0], CultureInfo.InvariantCulture), path[1] == "fused", workloads);
    }

    [Fact]
    public void EveryPathKeepsBatchIndependenceAndAgreesWithTheWidest()
    {
        var widest = Run();
        var narrower = new List<(int, bool, Dictionary<string, (bool, double[])>)>();
        if (widest.VectorBits == 512)
            narrower.Add(Run(("DOTNET_EnableAVX512", "0")));
        if (widest.VectorBits >= 256)
            narrower.Add(Run(("DOTNET_EnableAVX512", "0"), ("DOTNET_EnableAVX2", "0")));
        Assert.True(widest.Fused, "the widest path multiplies and adds without fusing");
        foreach (var (bits, fused, workloads) in narrower.Prepend(widest))
        {
            Assert.True(bits <= widest.VectorBits);
            Assert.Equal(11, workloads.Count);
            foreach (var (name, (alone, values)) in workloads)
            {
                Assert.True(alone, $"{name} at {bits} bits: a row alone differs from itself in the batch");
                var reference = widest.Workloads[name].Values;
                Assert.Equal(reference.Length, values.Length);
                if (name == "sgemm" && fused)
                {
                    Assert.True(reference.SequenceEqual(values), $"sgemm at {bits} bits: a product differs from the {widest.VectorBits}-bit path's bits");
                    continue;
                }
                var scale = 1 + reference.Max(Math.Abs);
                for (var i = 0; i < values.Length; i++)
                    Assert.True(Math.Abs(values[i] - reference[i]) <= 1e-4 * scale, $"{name} at {bits} bits, value {i}: {values[i]} against {reference[i]}");
            }
        }
        Assert.Equal(widest.VectorBits >= 512 ? 2 : widest.VectorBits >= 256 ? 1 : 0, narrower.Count);
    }
}

using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace DrDam.ML.Samples.Benchmarking;

/// <summary>
/// What the figures of <c>bench</c> were measured on: the processor's name (with its x86 family and
/// model on Linux, which tell e.g. Zen 4's double-pumped AVX-512 from Zen 5's full-width units) and
/// the widest vector the runtime accelerates.
/// </summary>
internal static class HostProcessor
{
    public static string Describe()
    {
        const string cpuInfo = "/proc/cpuinfo";
        if (!File.Exists(cpuInfo))
            return RuntimeInformation.ProcessArchitecture.ToString();
        var fields = new Dictionary<string, string>();
        foreach (var line in File.ReadLines(cpuInfo).TakeWhile(line => line.Length > 0)) // the first processor's block
        {
            var parts = line.Split(':', 2);
            if (parts.Length == 2)
                fields.TryAdd(parts[0].Trim(), parts[1].Trim());
        }
        var name = fields.GetValueOrDefault("model name", RuntimeInformation.ProcessArchitecture.ToString());
        return fields.TryGetValue("cpu family", out var family) && fields.TryGetValue("model", out var model)
            ? $"{name} (family {family}, model {model})"
            : name;
    }

    public static int VectorBits
        => Vector512.IsHardwareAccelerated ? 512 : Vector256.IsHardwareAccelerated ? 256 : Vector128.IsHardwareAccelerated ? 128 : 0;
}

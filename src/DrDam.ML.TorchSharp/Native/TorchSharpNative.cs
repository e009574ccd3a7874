using System.Reflection;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace DrDam.ML.Native;

/// <summary>What <see cref="TorchSharpNative.EnsureLoaded"/> found.</summary>
public enum NativeLoadOutcome
{
    /// <summary>Not Linux: TorchSharp loads its native library as shipped.</summary>
    NotLinux = 0,
    /// <summary>The shipped libLibTorchSharp.so loads here: nothing was changed.</summary>
    LoadsAsShipped = 1,
    /// <summary>The shipped library needs GLIBCXX_3.4.32, which this system's libstdc++ lacks; a patched copy is in use.</summary>
    Patched = 2,
}

/// <summary>
/// Makes TorchSharp 0.107's native library load on systems whose libstdc++ predates GLIBCXX_3.4.32
/// (Debian 12): the only symbol bound to that version is a marker nothing calls, so a copy of the
/// library with that one requirement marked weak loads and works (docs/NATIVE.md). The copy
/// is written once into a cache folder (atomically, so concurrent processes are safe, and never next
/// to a possibly read-only package), TorchSharp's dependencies are loaded from their own folder, and
/// TorchSharp's P/Invokes are pointed at the copy. Where the shipped library loads, nothing is done.
/// </summary>
public static class TorchSharpNative
{
    /// <summary>The native library TorchSharp's P/Invokes bind to.</summary>
    public const string LibraryFile = "libLibTorchSharp.so";

    /// <summary>The version requirement that Debian 12's libstdc++ cannot meet.</summary>
    public const string MissingVersion = "GLIBCXX_3.4.32";

    /// <summary>Overrides the cache folder of the patched copy.</summary>
    public const string CacheVariable = "DRDAM_NATIVE_CACHE";

    private static readonly string[] Dependencies = ["libc10.so", "libtorch_cpu.so", "libtorch.so"];
    private static readonly Lock Gate = new();
    private static NativeLoadOutcome? outcome;

    /// <summary>
    /// Call before the first TorchSharp call (DrDam.ML's TorchSharp code does). Idempotent and thread-safe.
    /// </summary>
    /// <exception cref="DllNotFoundException">No libLibTorchSharp.so was found, or it fails to load for another reason than the known one.</exception>
    public static NativeLoadOutcome EnsureLoaded()
    {
        lock (Gate)
        {
            return outcome ??= Load();
        }
    }

    private static NativeLoadOutcome Load()
    {
        if (!OperatingSystem.IsLinux())
            return NativeLoadOutcome.NotLinux;
        var original = FindLibrary();
        if (!NeedsPatch(original))
            return NativeLoadOutcome.LoadsAsShipped;
        var patched = PatchedCopy(original, CacheRoot());
        var folder = Path.GetDirectoryName(original)!;
        foreach (var dependency in Dependencies.Select(d => Path.Combine(folder, d)).Where(File.Exists))
            NativeLibrary.Load(dependency);
        var handle = NativeLibrary.Load(patched);
        NativeLibrary.SetDllImportResolver(typeof(TorchSharp.torch).Assembly,
            (name, _, _) => name is "LibTorchSharp" or "libLibTorchSharp" or LibraryFile ? handle : IntPtr.Zero);
        return NativeLoadOutcome.Patched;
    }

    /// <summary>
    /// Whether <paramref name="library"/> fails to load for the known reason. False when it loads as is.
    /// </summary>
    /// <exception cref="DllNotFoundException">It fails to load for another reason.</exception>
    internal static bool NeedsPatch(string library)
    {
        try
        {
            NativeLibrary.Free(NativeLibrary.Load(library));
            return false;
        }
        catch (DllNotFoundException e)
        {
            var requirements = ElfVersionRequirements.Read(File.ReadAllBytes(library));
            if (!requirements.Any(r => r.Version == MissingVersion && !r.Weak) || !e.Message.Contains(MissingVersion, StringComparison.Ordinal))
                throw new DllNotFoundException($"{library} does not load, and not because of {MissingVersion}: {e.Message}", e);
            return true;
        }
    }

    /// <summary>
    /// The patched copy of <paramref name="original"/> under <paramref name="cacheRoot"/>, in a folder named by the
    /// original's SHA-256; written through a temporary file and an atomic rename, reused when present.
    /// </summary>
    internal static string PatchedCopy(string original, string cacheRoot)
    {
        var bytes = File.ReadAllBytes(original);
        var folder = Path.Combine(cacheRoot, Convert.ToHexStringLower(SHA256.HashData(bytes))[..16]);
        ElfVersionRequirements.MarkWeak(bytes, MissingVersion);
        var target = Path.Combine(folder, LibraryFile);
        if (File.Exists(target) && File.ReadAllBytes(target).AsSpan().SequenceEqual(bytes))
            return target;
        Directory.CreateDirectory(folder);
        var temporary = Path.Combine(folder, $"{LibraryFile}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        File.WriteAllBytes(temporary, bytes);
        File.Move(temporary, target, overwrite: true);
        return target;
    }

    private static string FindLibrary()
    {
        var folders = new List<string>();
        if (AppContext.GetData("NATIVE_DLL_SEARCH_DIRECTORIES") is string searchDirectories)
            folders.AddRange(searchDirectories.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries));
        folders.Add(Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native"));
        folders.Add(AppContext.BaseDirectory);
        var assemblyFolder = Path.GetDirectoryName(typeof(TorchSharp.torch).Assembly.Location);
        if (!string.IsNullOrEmpty(assemblyFolder))
            folders.Add(assemblyFolder);
        return folders.Select(f => Path.Combine(f, LibraryFile)).FirstOrDefault(File.Exists)
            ?? throw new DllNotFoundException($"{LibraryFile} was not found (searched {string.Join(", ", folders.Distinct())}); reference TorchSharp's native runtime, e.g. the libtorch-cpu-linux-x64 package.");
    }

    private static string CacheRoot()
    {
        var configured = Environment.GetEnvironmentVariable(CacheVariable);
        if (!string.IsNullOrEmpty(configured))
            return configured;
        var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var root = !string.IsNullOrEmpty(xdg) ? xdg : !string.IsNullOrEmpty(home) ? Path.Combine(home, ".cache") : Path.GetTempPath();
        return Path.Combine(root, "drdam-ml", "native");
    }
}

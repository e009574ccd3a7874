using System.Diagnostics;
using DrDam.ML.Orleans.Hosting;

namespace DrDam.ML.Samples.ScaleOut;

/// <summary>
/// A silo in its own process: this program's <c>silo</c> command, joined to the cluster through Redis on free
/// loopback ports. It exits when its standard input closes, so it never outlives the process that started it.
/// </summary>
internal sealed class SiloProcess : IDisposable
{
    private readonly Process process;

    private SiloProcess(Process process, int siloPort, int gatewayPort) => (this.process, SiloPort, GatewayPort) = (process, siloPort, gatewayPort);

    /// <summary>The silo-to-silo port.</summary>
    public int SiloPort { get; }

    /// <summary>The gateway port.</summary>
    public int GatewayPort { get; }

    /// <summary>The process id.</summary>
    public int Id => process.Id;

    /// <summary>Whether it has exited (or was killed).</summary>
    public bool HasExited => process.HasExited;

    /// <summary>Starts a silo of the cluster <paramref name="cluster"/> describes (Redis required) and waits until it is up.</summary>
    /// <exception cref="InvalidOperationException">It exited or did not come up within a minute.</exception>
    public static SiloProcess Start(ScaleOutOptions cluster)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        var (siloPort, gatewayPort) = (FreePort.Next(), FreePort.Next());
        var start = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { typeof(SiloProcess).Assembly.Location, "silo", "--redis", cluster.Redis ?? throw new ArgumentException("Silo processes join through Redis: set Redis.", nameof(cluster)),
                     "--service-id", cluster.ServiceId, "--cluster-id", cluster.ClusterId, "--silo-port", $"{siloPort}", "--gateway-port", $"{gatewayPort}" })
            start.ArgumentList.Add(argument);
        var process = Process.Start(start)!;
        var ready = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        var errors = new System.Text.StringBuilder();
        var lastOutput = new Queue<string>(); // what it printed last, for the error when it dies without stderr
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not { } line)
                return;
            if (line.StartsWith(SiloHost.ReadyLine, StringComparison.Ordinal))
                ready.TrySetResult(true);
            lock (lastOutput)
            {
                lastOutput.Enqueue(line);
                if (lastOutput.Count > 5)
                    lastOutput.Dequeue();
            }
        };
        process.ErrorDataReceived += (_, e) => { if (e.Data is { } line) lock (errors) errors.AppendLine(line); };
        process.EnableRaisingEvents = true;
        process.Exited += (_, _) => ready.TrySetResult(false);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var silo = new SiloProcess(process, siloPort, gatewayPort);
        if (ready.Task.Wait(TimeSpan.FromMinutes(1)) && ready.Task.Result)
            return silo;
        var exited = process.HasExited;
        silo.Kill(); // waits for the exit, and with it for the last lines of its output (Exited can come before them)
        string log, output;
        lock (errors)
            log = errors.ToString().ReplaceLineEndings(" ").Trim();
        lock (lastOutput)
            output = string.Join(" | ", lastOutput);
        var what = exited ? $"exited with code {process.ExitCode} before it was up" : "did not come up within a minute";
        silo.Dispose();
        throw new InvalidOperationException($"The silo process on port {siloPort} {what}: {(log.Length > 0 ? log : "no error output")}{(output.Length > 0 ? $"; its last output: {output}" : "")}.");
    }

    /// <summary>Kills it at once (SIGKILL): a crash, not a shutdown; the cluster learns of it by missed probes.</summary>
    public void Kill()
    {
        if (!process.HasExited)
            process.Kill(entireProcessTree: true);
        process.WaitForExit();
    }

    /// <summary>Closes its standard input (it shuts down) and kills it if it has not exited within 10 s.</summary>
    public void Dispose()
    {
        if (!process.HasExited)
        {
            try
            {
                process.StandardInput.Close();
            }
            catch (IOException)
            {
                // Already gone.
            }
            if (!process.WaitForExit(10_000))
                Kill();
        }
        process.Dispose();
    }
}

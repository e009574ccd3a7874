using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace DrDam.ML.Samples.ScaleOut;

/// <summary>
/// A private redis-server (Debian's) on a free loopback port, with its append-only file in a temporary folder
/// (fsync on every write), so that a restart brings every key back. Stopped and removed on dispose.
/// </summary>
internal sealed class LocalRedis : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("drdam-redis-").FullName;
    private Process? server;

    private LocalRedis() => Port = FreePort.Next();

    /// <summary>The loopback port it listens on.</summary>
    public int Port { get; }

    /// <summary>Its StackExchange.Redis connection string.</summary>
    public string ConnectionString => $"127.0.0.1:{Port}";

    /// <summary>Starts one and waits until it answers PING.</summary>
    /// <exception cref="InvalidOperationException">redis-server is not installed or does not answer.</exception>
    public static LocalRedis Start()
    {
        var redis = new LocalRedis();
        try
        {
            redis.Launch();
            return redis;
        }
        catch
        {
            redis.Dispose();
            throw;
        }
    }

    /// <summary>Stops the server (its data is on disk) and starts it again on the same port.</summary>
    public void Restart()
    {
        Stop();
        Launch();
    }

    public void Dispose()
    {
        Stop();
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by a dying server: the temporary folder is left behind.
        }
    }

    private void Launch()
    {
        var start = new ProcessStartInfo("redis-server") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = folder };
        foreach (var argument in new[] { "--port", $"{Port}", "--bind", "127.0.0.1", "--dir", folder, "--save", "", "--appendonly", "yes", "--appendfsync", "always", "--protected-mode", "no" })
            start.ArgumentList.Add(argument);
        try
        {
            server = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"redis-server could not be started ({e.Message}); install it with 'apt-get install -y redis-server'.", e);
        }
        server.OutputDataReceived += (_, _) => { };
        server.ErrorDataReceived += (_, _) => { };
        server.BeginOutputReadLine();
        server.BeginErrorReadLine();
        var deadline = Stopwatch.StartNew();
        while (!Answers())
        {
            if (server.HasExited || deadline.Elapsed > TimeSpan.FromSeconds(20))
                throw new InvalidOperationException($"redis-server on port {Port} did not answer PING within 20 s (exit code {(server.HasExited ? server.ExitCode : "none")}).");
            Thread.Sleep(50);
        }
    }

    private void Stop()
    {
        if (server is not { HasExited: false } running)
            return;
        running.Kill(entireProcessTree: true);
        running.WaitForExit();
        running.Dispose();
        server = null;
    }

    private bool Answers()
    {
        try
        {
            using var client = new TcpClient("127.0.0.1", Port);
            var stream = client.GetStream();
            stream.Write("PING\r\n"u8);
            var buffer = new byte[16];
            var read = stream.Read(buffer);
            return Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (SocketException)
        {
            return false;
        }
        catch (IOException)
        {
            return false;
        }
    }
}

using DrDam.ML.Orleans.Hosting;
using Microsoft.Extensions.Hosting;

namespace DrDam.ML.Samples.ScaleOut;

/// <summary>Runs one silo in this process until standard input closes (the <c>silo</c> command).</summary>
internal static class SiloHost
{
    /// <summary>The line printed on standard output once the silo is up.</summary>
    public const string ReadyLine = "silo ready";

    /// <summary>Starts the silo, prints <see cref="ReadyLine"/>, and stops it when standard input reaches its end.</summary>
    public static async Task RunAsync(ScaleOutOptions options)
    {
        var builder = Host.CreateApplicationBuilder();
        ClusterLogging.Configure(builder.Logging);
        builder.UseOrleans(silo => silo.UseDrDam(options));
        using var host = builder.Build();
        await host.StartAsync();
        Console.WriteLine($"{ReadyLine} {options.Address}:{options.SiloPort} gateway {options.GatewayPort}");
        await Console.In.ReadToEndAsync();
        await host.StopAsync(TimeSpan.FromSeconds(5));
    }
}

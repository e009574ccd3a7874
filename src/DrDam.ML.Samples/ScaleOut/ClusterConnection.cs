using DrDam.ML.Orleans.Hosting;
using Microsoft.Extensions.Hosting;

namespace DrDam.ML.Samples.ScaleOut;

/// <summary>A started Orleans client of the cluster <see cref="ScaleOutOptions"/> describe; its log goes to standard error.</summary>
internal static class ClusterConnection
{
    public static async Task<IHost> OpenAsync(ScaleOutOptions cluster)
    {
        var builder = Host.CreateApplicationBuilder();
        ClusterLogging.Configure(builder.Logging);
        builder.UseOrleansClient(client => client.UseDrDam(cluster));
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }
}

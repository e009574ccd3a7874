using System.CommandLine;
using DrDam.ML.Orleans.Hosting;
using DrDam.ML.Samples.ScaleOut;

namespace DrDam.ML.Samples.Commands;

/// <summary><c>silo</c>: one Orleans silo of a DrDam.ML cluster, until standard input closes (<c>scale-out</c> starts these).</summary>
internal static class SiloCommand
{
    public static Command Create()
    {
        var defaults = new ScaleOutOptions();
        var redis = new Option<string?>("--redis") { Description = "Redis connection string (host:port) for membership and grain storage [default: none, one local silo with in-memory storage]" };
        var serviceId = new Option<string>("--service-id") { Description = "Service id", DefaultValueFactory = _ => defaults.ServiceId };
        var clusterId = new Option<string>("--cluster-id") { Description = "Cluster id", DefaultValueFactory = _ => defaults.ClusterId };
        var siloPort = new Option<int>("--silo-port") { Description = "Silo-to-silo port on loopback", DefaultValueFactory = _ => defaults.SiloPort };
        var gatewayPort = new Option<int>("--gateway-port") { Description = "Client gateway port on loopback", DefaultValueFactory = _ => defaults.GatewayPort };
        var command = new Command("silo", "Run one silo of a DrDam.ML Orleans cluster until standard input closes") { redis, serviceId, clusterId, siloPort, gatewayPort };
        command.SetAction(result =>
        {
            var options = new ScaleOutOptions
            {
                Redis = result.GetValue(redis), ServiceId = result.GetValue(serviceId)!, ClusterId = result.GetValue(clusterId)!,
                SiloPort = result.GetValue(siloPort), GatewayPort = result.GetValue(gatewayPort),
            };
            SiloHost.RunAsync(options).GetAwaiter().GetResult();
            return 0;
        });
        return command;
    }
}

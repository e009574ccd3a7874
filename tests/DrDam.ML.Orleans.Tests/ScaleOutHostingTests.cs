using DrDam.ML.Memory;
using DrDam.ML.Orleans.Hosting;
using DrDam.ML.Samples.ScaleOut;
using DrDam.ML.Tests;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DrDam.ML.Orleans.Tests;

/// <summary>The cluster settings: checked values, and the default that needs nothing running (one local silo, memory storage).</summary>
public sealed class ScaleOutHostingTests
{
    [Fact]
    public void TheDefaultsAreOneLocalSiloOnLoopback()
    {
        var options = new ScaleOutOptions();
        Assert.Null(options.Redis);
        Assert.Equal(System.Net.IPAddress.Loopback, options.Address);
        Assert.True(options.FastFailureDetection);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(70000)]
    public void APortOutOfRangeIsRefusedNamingIt(int port)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new ScaleOutOptions { GatewayPort = port });
        Assert.Equal("GatewayPort", e.ParamName);
        Assert.StartsWith($"GatewayPort must be a TCP port in 1–65535 (got {port}).", e.Message);
    }

    [Fact]
    public void AnEmptyClusterIdIsRefused()
        => Assert.Equal("ClusterId", Assert.Throws<ArgumentException>(() => new ScaleOutOptions { ClusterId = " " }).ParamName);

    [Fact]
    public async Task WithoutRedisOneLocalSiloFitsAndKeepsTheMemoryInProcess()
    {
        var options = new ScaleOutOptions { SiloPort = FreePort.Next(), GatewayPort = FreePort.Next(), ServiceId = "local-" + Guid.NewGuid().ToString("N")[..8] };
        var siloBuilder = Host.CreateApplicationBuilder();
        siloBuilder.Logging.SetMinimumLevel(LogLevel.Warning);
        siloBuilder.UseOrleans(silo => silo.UseDrDam(options));
        using var silo = siloBuilder.Build();
        await silo.StartAsync();
        try
        {
            using var client = await ClusterConnection.OpenAsync(options);
            var data = Oracle.Uniform(new Random(2), 40 * 8, 0, 1);
            var memoryOptions = new DistributedMemoryOptions { Beta = 4, FeatureCount = 256, Seed = 9 };
            var fitted = await ShardedFit.FitAsync(client.Services.GetRequiredService<IClusterClient>(), "local", 8, memoryOptions, [new PartitionRows(0, data[..160], 20), new PartitionRows(1, data[160..], 20)]);
            var single = new DistributedMemory(8, memoryOptions);
            single.AddRange(data, 40);
            Assert.Equal(40, fitted.Count);
            var (expected, actual) = (single.Memory.ToArray(), fitted.Memory.ToArray());
            for (var i = 0; i < expected.Length; i++)
                Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-12 * Math.Max(1, Math.Abs(expected[i])), $"T[{i}]");
            await client.StopAsync();
        }
        finally
        {
            await silo.StopAsync();
        }
    }
}

using System.Net;

namespace DrDam.ML.Orleans.Hosting;

/// <summary>
/// How a silo or client joins a DrDam.ML cluster. Without <see cref="Redis"/> (the default) a silo is a single
/// local silo with in-memory grain storage and needs nothing running; with it, silos find each other through Redis
/// membership and keep the memory grains' state in Redis. Every endpoint binds <see cref="Address"/>, loopback unless
/// set otherwise.
/// </summary>
public sealed record ScaleOutOptions
{
    private readonly string serviceId = "drdam";
    private readonly string clusterId = "drdam";
    private readonly int siloPort = 11111;
    private readonly int gatewayPort = 30000;
    private readonly TimeSpan responseTimeout = TimeSpan.FromSeconds(30);

    /// <summary>A StackExchange.Redis connection string (for example <c>127.0.0.1:6379</c>); null for one local silo with in-memory storage.</summary>
    public string? Redis { get; init; }

    /// <summary>The service's id: it prefixes every Redis key of the cluster, so memory grain state is found again under the same id.</summary>
    public string ServiceId { get => serviceId; init => serviceId = NonBlank(value, nameof(ServiceId)); }

    /// <summary>The cluster's id: silos and clients with the same id form one cluster.</summary>
    public string ClusterId { get => clusterId; init => clusterId = NonBlank(value, nameof(ClusterId)); }

    /// <summary>The address silos listen on and advertise. Default <see cref="IPAddress.Loopback"/>.</summary>
    public IPAddress Address { get; init; } = IPAddress.Loopback;

    /// <summary>The silo-to-silo port. Default 11111.</summary>
    public int SiloPort { get => siloPort; init => siloPort = Port(value, nameof(SiloPort)); }

    /// <summary>The port clients connect to. Default 30000.</summary>
    public int GatewayPort { get => gatewayPort; init => gatewayPort = Port(value, nameof(GatewayPort)); }

    /// <summary>
    /// Declare a silo dead after about a second of missed probes (instead of Orleans' 15 s or so), so a fit retries a
    /// killed silo's partitions elsewhere quickly. Suited to a LAN; turn it off where pauses of a second are normal.
    /// Default true.
    /// </summary>
    public bool FastFailureDetection { get; init; } = true;

    /// <summary>
    /// How long a call waits for its answer before it fails with a <see cref="TimeoutException"/> (and a sharded fit
    /// retries it). A call already sent to a silo that then dies is only given up after this long, so set it a few
    /// times above the longest partition fit. Default 30 s, Orleans' own.
    /// </summary>
    public TimeSpan ResponseTimeout
    {
        get => responseTimeout;
        init => responseTimeout = value > TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(nameof(ResponseTimeout), value, $"ResponseTimeout must be positive (got {value}).");
    }

    private static string NonBlank(string value, string name)
        => string.IsNullOrWhiteSpace(value) ? throw new ArgumentException($"{name} must not be empty.", name) : value;

    private static int Port(int value, string name)
        => value is > 0 and <= 65535 ? value : throw new ArgumentOutOfRangeException(name, value, $"{name} must be a TCP port in 1–65535 (got {value}).");
}

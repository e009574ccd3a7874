using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Serialization;
using Orleans.Storage;

namespace DrDam.ML.Orleans.Hosting;

/// <summary>Joins a silo or a client to a DrDam.ML cluster as <see cref="ScaleOutOptions"/> describe.</summary>
public static class ScaleOutHosting
{
    /// <summary>
    /// Configures a silo for DrDam.ML's grains: Redis membership and grain storage when <see cref="ScaleOutOptions.Redis"/>
    /// is set, otherwise one local silo with in-memory storage; endpoints on <see cref="ScaleOutOptions.Address"/>.
    /// </summary>
    public static ISiloBuilder UseDrDam(this ISiloBuilder silo, ScaleOutOptions options)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentNullException.ThrowIfNull(options);
        silo.Configure<ClusterOptions>(c => (c.ServiceId, c.ClusterId) = (options.ServiceId, options.ClusterId))
            .Configure<SiloMessagingOptions>(m => m.ResponseTimeout = options.ResponseTimeout)
            .ConfigureEndpoints(options.Address, options.SiloPort, options.GatewayPort, listenOnAnyHostAddress: false);
        if (options.Redis is not { } redis)
            return silo.UseLocalhostClustering(options.SiloPort, options.GatewayPort, serviceId: options.ServiceId, clusterId: options.ClusterId)
                .AddMemoryGrainStorage(ShardedFit.GrainStorage);
        silo.UseRedisClustering(redis);
        // Orleans' own binary serializer, not the default JSON with CLR type names: the stored parts are the
        // [GenerateSerializer] types under their [Alias], which survive assembly renames.
        silo.AddRedisGrainStorage(ShardedFit.GrainStorage, builder => builder.Configure<Serializer>((storage, serializer) =>
        {
            storage.ConfigurationOptions = StackExchange.Redis.ConfigurationOptions.Parse(redis);
            storage.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer);
        }));
        if (options.FastFailureDetection)
            silo.Configure<ClusterMembershipOptions>(m =>
            {
                m.ProbeTimeout = TimeSpan.FromSeconds(1);
                m.NumMissedProbesLimit = 2;
                m.NumVotesForDeathDeclaration = 1;
                m.TableRefreshTimeout = TimeSpan.FromSeconds(1);
                m.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(2);
                m.DeathVoteExpirationTimeout = TimeSpan.FromSeconds(10);
            });
        return silo;
    }

    /// <summary>Configures a client of the cluster <paramref name="options"/> describe (Redis membership, or the local silo's gateway).</summary>
    public static IClientBuilder UseDrDam(this IClientBuilder client, ScaleOutOptions options)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        client.Configure<ClusterOptions>(c => (c.ServiceId, c.ClusterId) = (options.ServiceId, options.ClusterId))
            .Configure<ClientMessagingOptions>(m => m.ResponseTimeout = options.ResponseTimeout);
        if (options.Redis is not { } redis)
            return client.UseLocalhostClustering(options.GatewayPort, options.ServiceId, options.ClusterId);
        client.UseRedisClustering(redis);
        if (options.FastFailureDetection)
            client.Configure<GatewayOptions>(g => g.GatewayListRefreshPeriod = TimeSpan.FromSeconds(1));
        return client;
    }
}

namespace DrDam.ML.Orleans.Grains;

/// <summary>Builds one partition's T from its rows, regenerating Ω from the shared seed. A stateless worker keyed by partition id: it runs on the silo whose gateway takes the call, so distinct ids spread over the silos.</summary>
public interface IPartitionFitGrain : IGrainWithIntegerKey
{
    /// <summary>T of the partition's rows (<see cref="DistributedMemorySettings.Dimension"/> values each).</summary>
    Task<PartitionSum> FitAsync(DistributedMemorySettings settings, PartitionRows partition);
}

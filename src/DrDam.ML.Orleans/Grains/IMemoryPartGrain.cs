namespace DrDam.ML.Orleans.Grains;

/// <summary>
/// One partition's sum of a sharded memory, in grain storage under its own key (<c>{memory}/{partition}</c>), so each
/// submit writes 2Y numbers once instead of rewriting every part so far.
/// </summary>
public interface IMemoryPartGrain : IGrainWithStringKey
{
    /// <summary>Stores (or replaces) the part.</summary>
    Task StoreAsync(PartitionSum part);

    /// <summary>The part stored, or null.</summary>
    Task<PartitionSum?> GetAsync();

    /// <summary>Deletes the part from storage.</summary>
    Task ClearAsync();
}

namespace DrDam.ML.Orleans;

/// <summary>
/// Retries a cluster call that failed the way a dead or restarting silo or Redis makes calls fail (an Orleans error, a
/// timeout, a Redis error), waiting 250 ms × the attempt number between tries; 8 attempts wait about 7 s in all,
/// enough for a dead silo to be declared with <see cref="Hosting.ScaleOutOptions.FastFailureDetection"/>. Only for
/// calls that can be repeated safely: a partition keyed by its id, a stateless retrieval.
/// </summary>
internal static class ClusterRetry
{
    public static async Task<T> Run<T>(Func<Task<T>> call, int attempts, CancellationToken cancellation = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            cancellation.ThrowIfCancellationRequested();
            try
            {
                return await call();
            }
            catch (Exception e) when (attempt < attempts && e is OrleansException or TimeoutException or StackExchange.Redis.RedisException)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(250 * attempt), cancellation);
            }
        }
    }
}

namespace HpcK8s.Operator.Informers;

/// <summary>Brings one object's world in line with its spec. Called by the controller for each key the queue hands out.</summary>
/// <remarks>Idempotent: it may be called any number of times for the same state, concurrently for different keys, but
/// never concurrently for the same key. An exception requeues the key with exponential back-off.</remarks>
public interface IReconciler
{
    /// <summary>Reconciles the object named by <paramref name="key"/> (which may no longer exist).</summary>
    /// <param name="key">The object's key.</param>
    /// <param name="cancellationToken">Cancelled on shutdown or loss of leadership.</param>
    /// <returns>Whether and when to look again.</returns>
    Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken);
}

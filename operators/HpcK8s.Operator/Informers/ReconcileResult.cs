namespace HpcK8s.Operator.Informers;

/// <summary>What a reconcile asks of the controller.</summary>
/// <param name="RequeueAfter">Look at the key again after this long (null: only when the object changes or on resync).</param>
public readonly record struct ReconcileResult(TimeSpan? RequeueAfter = null)
{
    /// <summary>Nothing more to do until the object changes.</summary>
    public static ReconcileResult Done => default;

    /// <summary>Look again after <paramref name="delay"/>.</summary>
    /// <param name="delay">How long to wait.</param>
    /// <returns>The result.</returns>
    public static ReconcileResult After(TimeSpan delay) => new(delay);
}

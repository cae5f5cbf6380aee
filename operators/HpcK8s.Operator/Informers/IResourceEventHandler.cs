namespace HpcK8s.Operator.Informers;

/// <summary>Receives a <see cref="ResourceInformer{T}"/>'s notifications.</summary>
/// <typeparam name="T">The resource type.</typeparam>
/// <remarks>Calls are never concurrent with each other (one informer delivers one notification at a time, to one handler
/// at a time) and arrive in the order the informer's cache changed. They run on the informer's loop: keep them short
/// (enqueue a key) and never block. The objects are the cache's own: do not modify them. An exception is logged and
/// does not stop the informer.</remarks>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711", Justification = "client-go's name for this role; the lead codes against it.")]
public interface IResourceEventHandler<in T>
{
    /// <summary>An object appeared: listed for the first time, created, or started matching the label selector.</summary>
    /// <param name="obj">The object.</param>
    void OnAdd(T obj);

    /// <summary>An object changed (a newer resourceVersion), or the periodic resync came by (then
    /// <paramref name="oldObj"/> and <paramref name="newObj"/> are the same instance).</summary>
    /// <param name="oldObj">The cached object before.</param>
    /// <param name="newObj">The object now.</param>
    void OnUpdate(T oldObj, T newObj);

    /// <summary>An object went away: deleted, stopped matching the label selector, or missing from a relist after the
    /// watch was lost (then it is the last state the informer saw).</summary>
    /// <param name="obj">The object's last known state.</param>
    void OnDelete(T obj);
}

using HpcK8s.Operator.Informers;
using k8s;
using k8s.Models;

namespace HpcK8s.Operator.Tests.Informers;

/// <summary>One notification as a handler saw it.</summary>
/// <param name="Kind">add, update or delete.</param>
/// <param name="Key">namespace/name.</param>
/// <param name="ResourceVersion">The (new) object's resourceVersion.</param>
/// <param name="SameInstance">For updates: old and new were the same instance (a resync).</param>
public sealed record Notification(string Kind, string Key, string? ResourceVersion, bool SameInstance = false)
{
    public override string ToString() => $"{Kind} {Key}@{ResourceVersion}{(SameInstance ? " (resync)" : "")}";
}

/// <summary>Records every notification, and whether two ever overlapped.</summary>
public sealed class RecordingHandler<T> : IResourceEventHandler<T>
    where T : IKubernetesObject<V1ObjectMeta>
{
    private readonly Lock _lock = new();
    private readonly List<Notification> _seen = [];
    private int _inside;

    /// <summary>Work done inside each call, to widen any window in which calls could overlap.</summary>
    public Action? Inside { get; set; }

    public int MaxConcurrent { get; private set; }

    public IReadOnlyList<Notification> Seen
    {
        get
        {
            lock (_lock)
            {
                return [.. _seen];
            }
        }
    }

    /// <summary>Notifications other than resyncs.</summary>
    public IReadOnlyList<Notification> Changes => [.. Seen.Where(n => !n.SameInstance)];

    public void OnAdd(T obj) => Record(new Notification("add", Key(obj), obj.Metadata.ResourceVersion));

    public void OnUpdate(T oldObj, T newObj) =>
        Record(new Notification("update", Key(newObj), newObj.Metadata.ResourceVersion, ReferenceEquals(oldObj, newObj)));

    public void OnDelete(T obj) => Record(new Notification("delete", Key(obj), obj.Metadata.ResourceVersion));

    private static string Key(T obj) => $"{obj.Metadata.NamespaceProperty}/{obj.Metadata.Name}";

    private void Record(Notification n)
    {
        var now = Interlocked.Increment(ref _inside);
        try
        {
            lock (_lock)
            {
                MaxConcurrent = Math.Max(MaxConcurrent, now);
                _seen.Add(n);
            }

            Inside?.Invoke();
        }
        finally
        {
            Interlocked.Decrement(ref _inside);
        }
    }
}

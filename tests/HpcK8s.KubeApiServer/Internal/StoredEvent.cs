using System.Text.Json.Nodes;

namespace HpcK8s.KubeApiServer.Internal;

/// <summary>One change in the event log: the object after it (the last state for DELETED) and before it.
/// Both objects are private copies that are never mutated once logged.</summary>
internal sealed class StoredEvent(long resourceVersion, ApiResource resource, ObjectKey key, string type, JsonObject current, JsonObject? previous)
{
    private string? _json;

    public long ResourceVersion { get; } = resourceVersion;

    public ApiResource Resource { get; } = resource;

    public ObjectKey Key { get; } = key;

    /// <summary>ADDED, MODIFIED or DELETED.</summary>
    public string Type { get; } = type;

    public JsonObject Current { get; } = current;

    public JsonObject? Previous { get; } = previous;

    public string CurrentJson => _json ??= Current.ToJsonString();
}

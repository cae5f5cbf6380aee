using HpcK8s.Core.Model;
using k8s;

namespace HpcK8s.Operator.Reconciliation;

/// <summary>Small pure helpers over <see cref="ComputeJobStatus"/>: copy, compare, set conditions the Kubernetes way.</summary>
internal static class JobStatuses
{
    /// <summary>Longest <c>status.result.value</c> (the CRD's documented bound); the digest always covers the whole value.</summary>
    public const int MaxResultLength = 64;

    /// <summary>A deep copy (a fresh status when <paramref name="status"/> is null).</summary>
    public static ComputeJobStatus Copy(ComputeJobStatus? status) =>
        status is null ? new ComputeJobStatus() : KubernetesJson.Deserialize<ComputeJobStatus>(KubernetesJson.Serialize(status));

    /// <summary>True when both serialise to the same JSON, i.e. writing one over the other would change nothing.</summary>
    public static bool Same(ComputeJobStatus? left, ComputeJobStatus? right) =>
        (left is null && right is null) ||
        (left is not null && right is not null && KubernetesJson.Serialize(left) == KubernetesJson.Serialize(right));

    /// <summary>Sets condition <paramref name="type"/>; its <c>lastTransitionTime</c> moves only when its status changes.</summary>
    /// <returns>True when the condition's status changed (or it is new).</returns>
    public static bool SetCondition(ComputeJobStatus status, string type, bool value, string reason, string message, DateTimeOffset now)
    {
        var text = value ? "True" : "False";
        var existing = status.Conditions.Find(c => c.Type == type);
        if (existing is null)
        {
            status.Conditions.Add(new JobCondition { Type = type, Status = text, Reason = reason, Message = message, LastTransitionTime = Truncate(now) });
            return true;
        }

        var changed = existing.Status != text;
        if (changed)
        {
            existing.LastTransitionTime = Truncate(now);
        }

        existing.Status = text;
        existing.Reason = reason;
        existing.Message = message;
        return changed;
    }

    /// <summary>Condition <paramref name="type"/>'s status is True.</summary>
    public static bool IsTrue(ComputeJobStatus? status, string type) =>
        status?.Conditions.Exists(c => c.Type == type && c.Status == "True") == true;

    /// <summary>The value as status shows it: at most <see cref="MaxResultLength"/> characters, an ellipsis marking a cut.</summary>
    public static string Shorten(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.Length <= MaxResultLength ? value : string.Concat(value.AsSpan(0, MaxResultLength - 1), "…");
    }

    /// <summary>Kubernetes times have whole seconds (RFC 3339 as metav1.Time writes it); truncating keeps a status that
    /// round-trips through the API server equal to the one written.</summary>
    public static DateTimeOffset Truncate(DateTimeOffset time) => new(time.UtcTicks - (time.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
}

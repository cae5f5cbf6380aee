namespace HpcK8s.Operator.Informers;

/// <summary>What a <see cref="ResourceInformer{T}"/> watches and how it paces itself. Checked by <see cref="Validate"/>,
/// which the informer's constructor calls; the messages name the property to fix.</summary>
public sealed class InformerOptions
{
    /// <summary>The API group, e.g. <c>hpck8s.io</c> or <c>apps</c>; empty for the core group (<c>/api/v1</c>).</summary>
    public required string Group { get; init; }

    /// <summary>The API version, e.g. <c>v1alpha1</c>.</summary>
    public required string Version { get; init; }

    /// <summary>The plural resource name used in URLs, e.g. <c>computejobs</c>.</summary>
    public required string Plural { get; init; }

    /// <summary>The namespace to watch; null or empty watches all namespaces.</summary>
    public string? Namespace { get; init; }

    /// <summary>A label selector (<c>app=hpck8s,tier!=test</c>) the list and watch are filtered by; null for everything.
    /// An object whose labels stop matching arrives as a delete.</summary>
    public string? LabelSelector { get; init; }

    /// <summary>How often every cached object is handed to <see cref="IResourceEventHandler{T}.OnUpdate"/> again (with the
    /// same object as old and new), so that a controller looks at everything now and then even when nothing changed.
    /// <see cref="TimeSpan.Zero"/> turns it off. Default 5 minutes.</summary>
    public TimeSpan ResyncPeriod { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How long the API server keeps one watch open (sent as <c>timeoutSeconds</c>, rounded up to whole seconds;
    /// at least 1 s). The informer gives up on a watch that is still open <see cref="WatchTimeout"/> + 30 s later, which
    /// catches half-dead connections. Default 5 minutes.</summary>
    public TimeSpan WatchTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The first delay before retrying a failed list or watch; it doubles on each failure in a row. Default 200 ms.</summary>
    public TimeSpan MinBackoff { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The longest delay between retries. Default 30 s.</summary>
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How many objects one list request asks for (<c>limit</c>; the rest follow with <c>continue</c>). 0 lists
    /// everything in one request. Default 500, as client-go.</summary>
    public int PageSize { get; init; } = 500;

    /// <summary><c>group/version</c>, or only the version for the core group; for messages.</summary>
    public string ApiVersion => string.IsNullOrEmpty(Group) ? Version : $"{Group}/{Version}";

    /// <summary>Throws <see cref="ArgumentException"/> naming the first property that is out of range.</summary>
    /// <exception cref="ArgumentException">A property is missing or out of range.</exception>
    public void Validate()
    {
        if (Group is null || Group.Contains('/', StringComparison.Ordinal))
        {
            throw Invalid($"InformerOptions.Group must be an API group without '/' (\"\" for the core group), not '{Group}'.");
        }

        if (string.IsNullOrWhiteSpace(Version) || Version.Contains('/', StringComparison.Ordinal))
        {
            throw Invalid($"InformerOptions.Version must be an API version such as v1 or v1alpha1, not '{Version}'.");
        }

        if (string.IsNullOrWhiteSpace(Plural) || Plural.Contains('/', StringComparison.Ordinal))
        {
            throw Invalid($"InformerOptions.Plural must be the plural resource name used in URLs, e.g. computejobs, not '{Plural}'.");
        }

        if (Namespace is not null && Namespace.Contains('/', StringComparison.Ordinal))
        {
            throw Invalid($"InformerOptions.Namespace must be a namespace name (or null for all namespaces), not '{Namespace}'.");
        }

        if (ResyncPeriod < TimeSpan.Zero)
        {
            throw Invalid($"InformerOptions.ResyncPeriod must be zero (off) or positive, not {ResyncPeriod}.");
        }

        if (WatchTimeout < TimeSpan.FromSeconds(1) || WatchTimeout.TotalSeconds > int.MaxValue)
        {
            throw Invalid($"InformerOptions.WatchTimeout must be at least 1 second (it is sent as whole timeoutSeconds), not {WatchTimeout}.");
        }

        if (MinBackoff <= TimeSpan.Zero)
        {
            throw Invalid($"InformerOptions.MinBackoff must be positive, not {MinBackoff}.");
        }

        if (MaxBackoff < MinBackoff)
        {
            throw Invalid($"InformerOptions.MaxBackoff ({MaxBackoff}) must not be shorter than InformerOptions.MinBackoff ({MinBackoff}).");
        }

        if (PageSize < 0)
        {
            throw Invalid($"InformerOptions.PageSize must be 0 (no paging) or positive, not {PageSize}.");
        }
    }

    private static ArgumentException Invalid(string message) => new(message);
}

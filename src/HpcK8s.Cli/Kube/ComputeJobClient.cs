using System.Text.Json;
using HpcK8s.Kubernetes;
using k8s;
using k8s.Autorest;

namespace HpcK8s.Cli.Kube;

/// <summary>The ComputeJob calls the cluster commands make, with every failure turned into a <see cref="CliException"/>
/// that says what to fix.</summary>
internal sealed class ComputeJobClient(KubeTarget target, string? @namespace = null)
{
    /// <summary>The field manager recorded for objects the CLI creates.</summary>
    public const string FieldManager = "hpck8s";

    private const string Group = ComputeJobResource.Group;
    private const string Version = ComputeJobResource.Version;
    private const string Plural = ComputeJobResource.Plural;

    public KubeTarget Target => target;

    /// <summary>The namespace this client reads and watches: the one given, else the target's.</summary>
    public string Namespace { get; } = @namespace ?? target.Namespace;

    /// <summary>A message for "no such job here".</summary>
    public string NotFound(string name) =>
        $"{ComputeJobResource.Plural}.{ComputeJobResource.Group} \"{name}\" not found in namespace \"{Namespace}\"; hpck8s get -n {Namespace} lists the jobs there";

    /// <summary>Creates <paramref name="job"/> in <see cref="Namespace"/> (with <paramref name="dryRun"/>, the server
    /// checks it and stores nothing); an <see cref="HttpOperationException"/> for 409 and 422 is left to the caller,
    /// which knows what to tell the user.</summary>
    public Task<V1Alpha1ComputeJob> CreateAsync(V1Alpha1ComputeJob job, bool dryRun, CancellationToken cancellationToken) =>
        CallAsync(job.Metadata.Name, () => target.Client.CustomObjects.CreateNamespacedCustomObjectAsync<V1Alpha1ComputeJob>(
            job, Group, Version, Namespace, Plural, dryRun: dryRun ? "All" : null, fieldManager: FieldManager, cancellationToken: cancellationToken),
            passThrough: e => e.Response?.StatusCode is System.Net.HttpStatusCode.Conflict or System.Net.HttpStatusCode.UnprocessableEntity);

    /// <summary>The job, or null when there is no such job (the resource type exists).</summary>
    public async Task<V1Alpha1ComputeJob?> GetAsync(string name, CancellationToken cancellationToken)
    {
        var raw = await GetRawAsync(name, cancellationToken).ConfigureAwait(false);
        return raw is { } element ? ToJob(element) : null;
    }

    /// <summary>The job as the API server returned it (every field, known to this CLI or not), or null when there is no such job.</summary>
    public async Task<JsonElement?> GetRawAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            return await target.Client.CustomObjects.GetNamespacedCustomObjectAsync<JsonElement>(Group, Version, Namespace, Plural, name, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (KubeErrors.IsObjectNotFound(e, name))
        {
            return null;
        }
        catch (Exception e) when (KubeErrors.Translate(e, target, Namespace, name) is { } translated)
        {
            throw translated;
        }
    }

    /// <summary>The jobs of the target namespace, or of every namespace, as the API server returned the list.</summary>
    public Task<JsonElement> ListRawAsync(bool allNamespaces, CancellationToken cancellationToken) =>
        CallAsync(null, () => allNamespaces
            ? target.Client.CustomObjects.ListClusterCustomObjectAsync<JsonElement>(Group, Version, Plural, cancellationToken: cancellationToken)
            : target.Client.CustomObjects.ListNamespacedCustomObjectAsync<JsonElement>(Group, Version, Namespace, Plural, cancellationToken: cancellationToken));

    /// <summary>Watches one job from <paramref name="resourceVersion"/>, with bookmarks. ERROR events (410 Expired after
    /// compaction) go to <paramref name="onError"/>; a broken connection throws from the enumeration.</summary>
    public IAsyncEnumerable<(WatchEventType Type, object Object)> WatchAsync(
        string name, string resourceVersion, int timeoutSeconds, Action<Exception> onError, CancellationToken cancellationToken) =>
        target.Client.CustomObjects.WatchListNamespacedCustomObjectAsync(Group, Version, Namespace, Plural,
            allowWatchBookmarks: true, fieldSelector: $"metadata.name={name}", resourceVersion: resourceVersion, timeoutSeconds: timeoutSeconds,
            onError: onError, cancellationToken: cancellationToken);

    /// <summary>Reads a ComputeJob from JSON the API server sent.</summary>
    /// <exception cref="CliException">A field has a type this CLI does not expect (a CRD newer than the CLI, or a
    /// status written by something other than the operator).</exception>
    public static V1Alpha1ComputeJob ToJob(JsonElement element)
    {
        try
        {
            return KubernetesJson.Deserialize<V1Alpha1ComputeJob>(element.GetRawText());
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException)
        {
            // KubernetesClient's date converter throws FormatException, System.Text.Json JsonException.
            var name = element.TryGetProperty("metadata", out var metadata) && metadata.TryGetProperty("name", out var n) ? n.GetString() : "?";
            var at = e is JsonException { Path: { } path } ? $" at {path}" : "";
            throw new CliException(ExitCodes.Failed,
                $"computejob {name}: cannot read it{at}: {e.Message}; is this hpck8s older than the CRD on the cluster? (hpck8s get {name} -o yaml shows the object as stored)", e);
        }
    }

    private async Task<T> CallAsync<T>(string? name, Func<Task<T>> call, Func<HttpOperationException, bool>? passThrough = null)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (passThrough?.Invoke(e) == true)
        {
            throw;
        }
        catch (Exception e) when (KubeErrors.Translate(e, target, Namespace, name) is { } translated)
        {
            throw translated;
        }
    }
}

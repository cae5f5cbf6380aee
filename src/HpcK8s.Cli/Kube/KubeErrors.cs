using System.Net;
using System.Text.Json;
using HpcK8s.Kubernetes;
using k8s;
using k8s.Autorest;
using k8s.Exceptions;
using k8s.Models;

namespace HpcK8s.Cli.Kube;

/// <summary>Turns what KubernetesClient throws into one-line <see cref="CliException"/>s that say what to fix.</summary>
internal static class KubeErrors
{
    /// <summary>The <c>v1 Status</c> an API error carries, when its body is one.</summary>
    public static V1Status? StatusOf(HttpOperationException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        var body = error.Response?.Content;
        if (string.IsNullOrWhiteSpace(body) || !body.TrimStart().StartsWith('{'))
        {
            return null;
        }

        try
        {
            var status = KubernetesJson.Deserialize<V1Status>(body);
            return status?.Kind == "Status" ? status : null;
        }
        catch (JsonException)
        {
            // Not a Status (a proxy's error page, say): the caller falls back to the HTTP status.
            return null;
        }
    }

    /// <summary>Whether the API server answered 404 for the object <paramref name="name"/> itself (so the resource type
    /// exists and the object does not), rather than for the resource type or the namespace.</summary>
    public static bool IsObjectNotFound(HttpOperationException error, string name)
    {
        ArgumentNullException.ThrowIfNull(error);
        return error.Response?.StatusCode == HttpStatusCode.NotFound
            && StatusOf(error)?.Details is { } details
            && details.Name == name
            && details.Kind is null or ComputeJobResource.Plural or ComputeJobResource.Kind;
    }

    /// <summary>Whether the API server answered 410 Gone / Expired (a watch or list from a compacted resourceVersion).</summary>
    public static bool IsExpired(Exception error) => error switch
    {
        KubernetesException k => k.Status?.Code == 410 || k.Status?.Reason == "Expired" || k.Status?.Reason == "Gone",
        HttpOperationException h => h.Response?.StatusCode == HttpStatusCode.Gone,
        _ => false,
    };

    /// <summary>Whether the error is the connection failing (worth retrying a watch), not an answer from the server.</summary>
    public static bool IsTransport(Exception error) => error is HttpRequestException or IOException
        || (error is HttpOperationException h && h.Response?.StatusCode is HttpStatusCode.InternalServerError or HttpStatusCode.BadGateway
            or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout or HttpStatusCode.TooManyRequests);

    /// <summary>The <see cref="CliException"/> for a failed call; null when <paramref name="error"/> is not an API,
    /// connection or kubeconfig failure (the caller then lets it propagate).</summary>
    /// <param name="error">What the client threw.</param>
    /// <param name="target">The cluster called.</param>
    /// <param name="namespace">The namespace called.</param>
    /// <param name="name">The ComputeJob the call was about, if one.</param>
    public static CliException? Translate(Exception error, KubeTarget target, string @namespace, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(error);
        ArgumentNullException.ThrowIfNull(target);
        var where = $"the Kubernetes API server at {target.Server} (context '{target.Context}')";
        switch (error)
        {
            case CliException cli:
                return cli;
            case HttpOperationException api:
                return Translate(api, target, @namespace, name, where);
            case KubeConfigException config:
                return new CliException(ExitCodes.InvalidInput, $"kubeconfig {target.Kubeconfig}, context '{target.Context}': {config.Message}", config);
            case HttpRequestException http:
                return new CliException(ExitCodes.Unavailable,
                    $"cannot reach {where}: {Innermost(http)}; check that the cluster is running and that kubeconfig {target.Kubeconfig} points at it", http);
            case TaskCanceledException timeout when timeout.InnerException is TimeoutException:
                return new CliException(ExitCodes.Unavailable, $"{where} did not answer in time; check the cluster's health (kubectl get --raw /readyz)", timeout);
            case IOException io:
                return new CliException(ExitCodes.Unavailable, $"the connection to {where} broke: {io.Message}", io);
            default:
                return null;
        }
    }

    /// <summary>Says that the ComputeJob resource type is missing: the CRD (the chart) is not installed.</summary>
    public static CliException CrdMissing(KubeTarget target) => new(ExitCodes.Unavailable,
        $"the cluster of context '{target.Context}' ({target.Server}) has no resource type {ComputeJobResource.Plural}.{ComputeJobResource.Group}: "
        + $"the HpcK8s CRD is not installed; install the chart (helm install hpck8s charts/hpck8s) or its CRD (kubectl apply -f charts/hpck8s/crds/{ComputeJobResource.CrdFileName})");

    private static CliException Translate(HttpOperationException api, KubeTarget target, string @namespace, string? name, string where)
    {
        var status = StatusOf(api);
        var code = (int?)api.Response?.StatusCode ?? 0;
        var message = status?.Message ?? api.Response?.ReasonPhrase ?? api.Message;
        switch (api.Response?.StatusCode)
        {
            case HttpStatusCode.NotFound when status?.Details?.Kind == "namespaces":
                return new CliException(ExitCodes.Failed, $"namespace \"{status.Details.Name}\" does not exist on {where}; create it (kubectl create namespace {status.Details.Name}) or pick another with -n");
            case HttpStatusCode.NotFound when name is not null && IsObjectNotFound(api, name):
                return new CliException(ExitCodes.Failed,
                    $"{ComputeJobResource.Plural}.{ComputeJobResource.Group} \"{name}\" not found in namespace \"{@namespace}\"; hpck8s get -n {@namespace} lists the jobs there");
            case HttpStatusCode.NotFound:
                return CrdMissing(target);
            case HttpStatusCode.Unauthorized:
                return new CliException(ExitCodes.Failed,
                    $"{where} rejected the credentials of kubeconfig {target.Kubeconfig} (401 Unauthorized: {message}); log in again or pick another --context", api);
            case HttpStatusCode.Forbidden:
                return new CliException(ExitCodes.Failed,
                    $"{message} (403 Forbidden): the user of context '{target.Context}' needs RBAC access to {ComputeJobResource.Plural}.{ComputeJobResource.Group} in namespace \"{@namespace}\"", api);
            default:
                var reason = status?.Reason ?? api.Response?.ReasonPhrase ?? "error";
                var exit = code >= 500 ? ExitCodes.Unavailable : ExitCodes.Failed;
                return new CliException(exit, $"{where} answered {code} {reason}: {message}", api);
        }
    }

    private static string Innermost(Exception error)
    {
        var inner = error;
        while (inner.InnerException is not null)
        {
            inner = inner.InnerException;
        }

        return inner == error || error.Message.Contains(inner.Message, StringComparison.Ordinal) ? error.Message : $"{error.Message} ({inner.Message})";
    }
}

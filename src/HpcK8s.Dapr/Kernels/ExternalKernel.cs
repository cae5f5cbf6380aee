using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dapr.Client;
using HpcK8s.Core.Kernels;
using HpcK8s.Core.Kernels.External;
using HpcK8s.Core.Validation;

namespace HpcK8s.Dapr.Kernels;

/// <summary>
/// A kernel served by any Dapr app (<c>spec.kernel.appId</c> + <c>method</c>), reached by Dapr service invocation.
/// The contract is in docs/kernels.md: <c>POST {method}</c> computes one shard, the optional
/// <c>POST {method}/finish</c> turns the merged result into the job's value; merging is <see cref="JsonPartials"/>.
/// </summary>
/// <remarks>Shards and the finish run in activities (the only place I/O is allowed); the merge, which runs in
/// workflow code, is pure. The shard method must be deterministic and idempotent: it may be called more than once.</remarks>
public sealed class ExternalKernel : IComputeKernel
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly HttpClient _app;

    /// <summary>Creates the kernel for <paramref name="appId"/>'s <paramref name="method"/>.</summary>
    /// <param name="appId">The Dapr app id.</param>
    /// <param name="method">The method serving shards.</param>
    /// <param name="app">An HTTP client that reaches the app through the sidecar (<c>DaprClient.CreateInvokeHttpClient</c>).</param>
    public ExternalKernel(string appId, string method, HttpClient app)
    {
        AppId = appId;
        Method = method;
        _app = app;
    }

    /// <summary>The app serving shards.</summary>
    public string AppId { get; }

    /// <summary>The method the app serves shards on.</summary>
    public string Method { get; }

    /// <inheritdoc />
    public string Name => $"{AppId}/{Method}";

    /// <inheritdoc />
    public string Summary => $"external kernel: Dapr app '{AppId}', method '{Method}'";

    /// <inheritdoc />
    public IReadOnlyList<KernelParameter> Parameters => [];

    /// <summary>Resolves names of the form <c>appId/method</c> to external kernels reached through the sidecar at
    /// <paramref name="daprHttpEndpoint"/> (default: DAPR_HTTP_ENDPOINT, else http://127.0.0.1:$DAPR_HTTP_PORT or :3500).</summary>
    public static Func<string, IComputeKernel?> Resolver(string? daprHttpEndpoint = null)
    {
        var clients = new ConcurrentDictionary<string, HttpClient>(StringComparer.Ordinal);
        return name => name.Split('/', 2) is [var appId, var method] && appId.Length > 0 && method.Length > 0
            ? new ExternalKernel(appId, method, clients.GetOrAdd(appId, id => DaprClient.CreateInvokeHttpClient(id, daprHttpEndpoint)))
            : null;
    }

    /// <inheritdoc />
    /// <remarks>The app validates its own parameters when it computes a shard; HpcK8s cannot know them.</remarks>
    public IReadOnlyList<ValidationError> Validate(KernelJob job) => [];

    /// <inheritdoc />
    public string DescribeShard(KernelJob job, int index) => $"shard {index} of {job.Shards} on {AppId}";

    /// <inheritdoc />
    public string ExecuteShard(KernelJob job, int index, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        var request = new ShardRequest(new JobInfo(job.Parameters, job.Shards), index);
        var response = InvokeAsync<ShardRequest, ShardResponse>(Method, request, cancellationToken).GetAwaiter().GetResult();
        return response?.Result?.ToJsonString() ?? throw new InvalidOperationException($"{AppId}/{Method} answered shard {index} without a 'result'");
    }

    /// <inheritdoc />
    public string Merge(KernelJob job, string left, string right) => JsonPartials.Merge(left, right);

    /// <inheritdoc />
    public KernelResult Finish(KernelJob job, string merged, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        try
        {
            var request = new FinishRequest(new JobInfo(job.Parameters, job.Shards), JsonNode.Parse(merged));
            var response = InvokeAsync<FinishRequest, FinishResponse>(Method + "/finish", request, cancellationToken).GetAwaiter().GetResult();
            return new KernelResult(response?.Value ?? merged, response?.Details ?? new Dictionary<string, string>());
        }
        catch (ExternalKernelException e) when (e.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed or HttpStatusCode.NotImplemented)
        {
            // The finish method is optional: without it the job's value is the merged result itself.
            return new KernelResult(merged, new Dictionary<string, string> { ["appId"] = AppId, ["method"] = Method });
        }
    }

    private async Task<TResponse?> InvokeAsync<TRequest, TResponse>(string method, TRequest body, CancellationToken cancellationToken)
    {
        using var response = await _app.PostAsJsonAsync(method, body, Json, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            throw new ExternalKernelException(AppId, method, response.StatusCode, text);
        }

        return await response.Content.ReadFromJsonAsync<TResponse>(Json, cancellationToken);
    }

    private sealed record JobInfo(IReadOnlyDictionary<string, string> Parameters, int Shards);

    private sealed record ShardRequest(JobInfo Job, int Shard);

    private sealed record ShardResponse(JsonNode? Result);

    private sealed record FinishRequest(JobInfo Job, JsonNode? Merged);

    private sealed record FinishResponse(string? Value, Dictionary<string, string>? Details);
}

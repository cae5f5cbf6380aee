using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace HpcK8s.KubeApiServer.Internal;

/// <summary>Maps Kubernetes REST paths onto the <see cref="ResourceStore"/>:
/// <c>/api/v1/…</c> and <c>/apis/{group}/{version}/…</c>, then <c>namespaces/{ns}/{plural}[/{name}[/status|/scale]]</c>
/// or <c>{plural}</c> (all namespaces, list and watch only).</summary>
internal sealed class ApiRouter(ResourceStore store, IReadOnlyList<ApiResource> resources, Action<RecordedRequest> record, CancellationToken stopping)
{
    public async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        record(new RecordedRequest(request.Method, request.Path.Value ?? "", request.QueryString.Value ?? "", request.ContentType));
        try
        {
            await RouteAsync(context);
        }
        catch (ApiException e)
        {
            await WriteAsync(context, e.Code, e.ToStatus());
        }
        catch (JsonException e)
        {
            await WriteAsync(context, 400, ApiException.BadRequest($"the request body is not valid JSON: {e.Message}").ToStatus());
        }
        catch (Exception e) when (e is not OperationCanceledException && !context.Response.HasStarted)
        {
            // A bug in the fake, not a Kubernetes answer: say so in the Status so the test that hit it shows why.
            await WriteAsync(context, 500, new ApiException(500, "InternalError", $"fake API server bug: {e}").ToStatus());
        }
    }

    private async Task RouteAsync(HttpContext context)
    {
        var segments = (context.Request.Path.Value ?? "").Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments is ["version"])
        {
            await WriteAsync(context, 200, new JsonObject { ["major"] = "1", ["minor"] = "34", ["gitVersion"] = "v1.34.0-hpck8s-fake", ["platform"] = "linux/amd64" });
            return;
        }

        if (segments is ["healthz" or "livez" or "readyz"])
        {
            context.Response.ContentType = "text/plain";
            await context.Response.WriteAsync("ok", context.RequestAborted);
            return;
        }

        string group, version;
        string[] rest;
        if (segments.Length >= 2 && segments[0] == "api")
        {
            (group, version, rest) = ("", segments[1], segments[2..]);
        }
        else if (segments.Length >= 3 && segments[0] == "apis")
        {
            (group, version, rest) = (segments[1], segments[2], segments[3..]);
        }
        else
        {
            throw NoSuchResource();
        }

        string? ns = null, plural, name = null, sub = null;
        if (rest.Length >= 3 && rest[0] == "namespaces")
        {
            (ns, plural) = (rest[1], rest[2]);
            name = rest.Length > 3 ? rest[3] : null;
            sub = rest.Length > 4 ? rest[4] : null;
            if (rest.Length > 5)
            {
                throw NoSuchResource();
            }
        }
        else if (rest.Length == 1)
        {
            plural = rest[0];
        }
        else
        {
            throw NoSuchResource();
        }

        var resource = resources.FirstOrDefault(r => r.Group == group && r.Version == version && r.Plural == plural) ?? throw NoSuchResource();
        if (sub is not null && !((sub == "status" && resource.HasStatusSubresource) || (sub == "scale" && resource.HasScaleSubresource)))
        {
            throw NoSuchResource();
        }

        var method = context.Request.Method;
        if (ns is null)
        {
            if (method != "GET")
            {
                throw MethodNotAllowed(method);
            }

            await ListOrWatchAsync(context, resource, null);
            return;
        }

        var query = context.Request.Query;
        var dryRun = !string.IsNullOrEmpty(query["dryRun"]);
        switch (method, name, sub)
        {
            case ("GET", null, _):
                await ListOrWatchAsync(context, resource, ns);
                return;
            case ("POST", null, _):
                await WriteAsync(context, dryRun ? 200 : 201, store.Create(resource, ns, await ReadObjectAsync(context), dryRun));
                return;
            case ("GET", not null, "scale"):
                await WriteAsync(context, 200, ToScale(store.Get(resource, ns, name)));
                return;
            case ("GET", not null, _):
                await WriteAsync(context, 200, store.Get(resource, ns, name));
                return;
            case ("PUT", not null, "scale"):
                await WriteAsync(context, 200, ToScale(UpdateScale(resource, ns, name, await ReadObjectAsync(context), dryRun)));
                return;
            case ("PATCH", not null, "scale"):
                {
                    var patch = await ReadBodyAsync(context);
                    var mediaType = Patching.MediaType(context.Request.ContentType);
                    var scale = ApplyPatch(resource, name, mediaType, ToScale(store.Get(resource, ns, name)), patch);
                    await WriteAsync(context, 200, ToScale(UpdateScale(resource, ns, name, scale, dryRun)));
                    return;
                }

            case ("PUT", not null, _):
                {
                    var body = await ReadObjectAsync(context);
                    await WriteAsync(context, 200, store.Update(resource, ns, name, statusOnly: sub == "status", allowUnconditional: false, _ => body, dryRun));
                    return;
                }

            case ("PATCH", not null, _):
                {
                    var patch = await ReadBodyAsync(context);
                    var mediaType = Patching.MediaType(context.Request.ContentType);
                    await WriteAsync(context, 200, store.Update(resource, ns, name, statusOnly: sub == "status", allowUnconditional: true, current => ApplyPatch(resource, name, mediaType, current, patch), dryRun));
                    return;
                }

            case ("DELETE", not null, null):
                {
                    var options = context.Request.ContentLength is > 0 || context.Request.Headers.TransferEncoding.Count > 0 ? await ReadBodyAsync(context) as JsonObject : null;
                    var preconditions = options?["preconditions"] as JsonObject;
                    var (obj, deleted) = store.Delete(resource, ns, name, preconditions?["uid"]?.GetValue<string>(), preconditions?["resourceVersion"]?.GetValue<string>(), dryRun);
                    await WriteAsync(context, 200, deleted ? KubeStatus.Success(resource, name, Meta.String(obj, "uid")) : obj);
                    return;
                }

            default:
                throw MethodNotAllowed(method);
        }
    }

    private JsonObject UpdateScale(ApiResource resource, string ns, string name, JsonObject scale, bool dryRun)
    {
        if (Meta.Long((scale["spec"] as JsonObject)?["replicas"]) is not { } replicas)
        {
            throw ApiException.Invalid(resource, name, "spec.replicas", "Required value");
        }

        var scaleRv = Meta.String(scale, "resourceVersion");
        return store.Update(resource, ns, name, statusOnly: false, allowUnconditional: true, current =>
        {
            current["spec"] ??= new JsonObject();
            current["spec"]!["replicas"] = replicas;
            if (!string.IsNullOrEmpty(scaleRv))
            {
                Meta.Of(current)["resourceVersion"] = scaleRv;
            }

            return current;
        }, dryRun);
    }

    private static JsonObject ToScale(JsonObject obj)
    {
        var spec = obj["spec"] as JsonObject;
        var matchLabels = (spec?["selector"] as JsonObject)?["matchLabels"] as JsonObject;
        var selector = matchLabels is null ? "" : string.Join(",", matchLabels.Select(p => $"{p.Key}={p.Value?.GetValue<string>()}"));
        var meta = new JsonObject();
        foreach (var field in new[] { "name", "namespace", "uid", "resourceVersion", "creationTimestamp" })
        {
            if ((obj["metadata"] as JsonObject)?[field] is { } value)
            {
                meta[field] = value.DeepClone();
            }
        }

        return new JsonObject
        {
            ["kind"] = "Scale",
            ["apiVersion"] = "autoscaling/v1",
            ["metadata"] = meta,
            ["spec"] = new JsonObject { ["replicas"] = spec?["replicas"]?.DeepClone() ?? JsonValue.Create(0) },
            ["status"] = new JsonObject
            {
                ["replicas"] = (obj["status"] as JsonObject)?["replicas"]?.DeepClone() ?? JsonValue.Create(0),
                ["selector"] = selector,
            },
        };
    }

    private static JsonObject ApplyPatch(ApiResource resource, string name, string mediaType, JsonObject current, JsonNode? patch)
    {
        var result = mediaType switch
        {
            Patching.MergePatch => Patching.Merge(current, patch),
            Patching.StrategicMergePatch when !resource.IsCustomResource => Patching.Merge(current, patch),
            Patching.JsonPatch => Patching.ApplyJsonPatch(current, patch, message => ApiException.Invalid(resource, name, "patch", message)),
            _ => throw new ApiException(415, "UnsupportedMediaType",
                $"the body of the request was in an unknown format - accepted media types include: {Patching.JsonPatch}, {Patching.MergePatch}{(resource.IsCustomResource ? "" : ", " + Patching.StrategicMergePatch)}"),
        };
        return result as JsonObject ?? throw ApiException.BadRequest("the patch did not produce a JSON object");
    }

    private async Task ListOrWatchAsync(HttpContext context, ApiResource resource, string? ns)
    {
        var query = context.Request.Query;
        var selectors = Selectors.Parse(query["labelSelector"], query["fieldSelector"]);
        string? resourceVersion = query["resourceVersion"];
        if (query["watch"] is var watch && (watch == "true" || watch == "1"))
        {
            await WatchAsync(context, resource, ns, selectors, resourceVersion);
            return;
        }

        int? limit = int.TryParse(query["limit"], NumberStyles.None, CultureInfo.InvariantCulture, out var l) ? l : null;
        await WriteAsync(context, 200, store.List(resource, ns, selectors, resourceVersion, query["resourceVersionMatch"], limit, query["continue"]));
    }

    private async Task WatchAsync(HttpContext context, ApiResource resource, string? ns, Selectors selectors, string? resourceVersion)
    {
        var query = context.Request.Query;
        var bookmarks = query["allowWatchBookmarks"] == "true";
        var subscription = store.Watch(resource, ns, selectors, resourceVersion, bookmarks);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        if (int.TryParse(query["timeoutSeconds"], NumberStyles.None, CultureInfo.InvariantCulture, out var timeout) && timeout > 0)
        {
            cts.CancelAfter(TimeSpan.FromSeconds(timeout));
        }

        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        try
        {
            await context.Response.StartAsync(cts.Token);
            await context.Response.Body.FlushAsync(cts.Token);
            var reader = subscription.Lines;
            while (await reader.WaitToReadAsync(cts.Token))
            {
                var batch = new StringBuilder();
                while (reader.TryRead(out var line))
                {
                    batch.Append(line).Append('\n');
                }

                await context.Response.WriteAsync(batch.ToString(), cts.Token);
                await context.Response.Body.FlushAsync(cts.Token);
            }
        }
        catch (OperationCanceledException)
        {
            // The client went away, the timeout passed or the server is stopping: the watch simply ends.
        }
        finally
        {
            store.Unwatch(subscription);
        }

        if (subscription.Abort)
        {
            context.Abort();
        }
    }

    private static async Task<JsonNode?> ReadBodyAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var text = await reader.ReadToEndAsync(context.RequestAborted);
        return text.Length == 0 ? null : JsonNode.Parse(text);
    }

    private static async Task<JsonObject> ReadObjectAsync(HttpContext context) =>
        await ReadBodyAsync(context) as JsonObject ?? throw ApiException.BadRequest("the request body must be a JSON object");

    private static async Task WriteAsync(HttpContext context, int code, JsonObject body)
    {
        context.Response.StatusCode = code;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body.ToJsonString(), context.RequestAborted);
    }

    private static ApiException NoSuchResource() => new(404, "NotFound", "the server could not find the requested resource", new JsonObject());

    private static ApiException MethodNotAllowed(string method) =>
        new(405, "MethodNotAllowed", $"the server does not allow this method on the requested resource ({method})", new JsonObject());
}

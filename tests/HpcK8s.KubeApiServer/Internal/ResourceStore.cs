using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace HpcK8s.KubeApiServer.Internal;

/// <summary>The API server's storage: objects, one global resourceVersion counter, the event log watches replay from,
/// and the open watches. Everything happens under one lock, which is what makes "list at N, then watch from N" lossless.</summary>
/// <remarks>The log holds every change after the compaction point; <see cref="Compact"/> forgets it (keeping a snapshot
/// of the objects at that point), after which a watch or an exact read older than the point gets 410 Expired.</remarks>
internal sealed partial class ResourceStore(TimeProvider time)
{
    private readonly Lock _gate = new();
    private readonly SortedDictionary<ObjectKey, JsonObject> _objects = [];
    private readonly List<StoredEvent> _log = [];
    private readonly List<WatchSubscription> _watchers = [];
    private readonly Queue<ApiException> _failures = new();
    private Dictionary<ObjectKey, JsonObject> _baseline = [];
    private long _rv = 1;
    private long _compactedRv = 1;

    public long ResourceVersion
    {
        get
        {
            lock (_gate)
            {
                return _rv;
            }
        }
    }

    public int WatchCount
    {
        get
        {
            lock (_gate)
            {
                return _watchers.Count;
            }
        }
    }

    public void FailNextWrite(ApiException failure)
    {
        lock (_gate)
        {
            _failures.Enqueue(failure);
        }
    }

    public void Compact()
    {
        lock (_gate)
        {
            _baseline = _objects.ToDictionary(p => p.Key, p => p.Value.DeepClone().AsObject());
            _compactedRv = _rv;
            _log.Clear();
        }
    }

    public void DropWatches(bool abort)
    {
        lock (_gate)
        {
            foreach (var w in _watchers)
            {
                w.Abort = abort;
                w.Complete();
            }

            _watchers.Clear();
        }
    }

    public void SendBookmarks()
    {
        lock (_gate)
        {
            foreach (var w in _watchers.Where(w => w.AllowBookmarks))
            {
                var bookmark = new JsonObject
                {
                    ["kind"] = w.Resource.Kind,
                    ["apiVersion"] = w.Resource.ApiVersion,
                    ["metadata"] = new JsonObject { ["resourceVersion"] = Meta.Rv(_rv) },
                };
                w.Send(WatchSubscription.Line("BOOKMARK", bookmark.ToJsonString()));
            }
        }
    }

    public JsonObject? Peek(ApiResource resource, string ns, string name)
    {
        lock (_gate)
        {
            return _objects.TryGetValue(new ObjectKey(resource.Key, ns, name), out var obj) ? obj.DeepClone().AsObject() : null;
        }
    }

    public JsonObject Get(ApiResource resource, string ns, string name) =>
        Peek(resource, ns, name) ?? throw ApiException.NotFound(resource, name);

    /// <summary>A list as the API server gives it: items sorted by namespace/name, the list's resourceVersion, and a
    /// continue token when <paramref name="limit"/> cut it short (later pages are read at the first page's resourceVersion).</summary>
    public JsonObject List(ApiResource resource, string? ns, Selectors selectors, string? resourceVersion, string? match, int? limit, string? continueToken)
    {
        lock (_gate)
        {
            IReadOnlyDictionary<ObjectKey, JsonObject> source = _objects;
            var listRv = _rv;
            ObjectKey? after = null;
            if (!string.IsNullOrEmpty(continueToken))
            {
                (listRv, after) = DecodeContinue(continueToken);
                if (listRv < _compactedRv)
                {
                    throw ApiException.Expired("The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.");
                }

                source = SnapshotAt(listRv);
            }
            else if (match is not null && match.Length > 0 && match is not ("Exact" or "NotOlderThan"))
            {
                throw new ApiException(422, "Invalid", $"resourceVersionMatch: Unsupported value: \"{match}\": supported values: \"Exact\", \"NotOlderThan\"");
            }
            else if (string.IsNullOrEmpty(resourceVersion))
            {
                if (!string.IsNullOrEmpty(match))
                {
                    throw new ApiException(422, "Invalid", "resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided");
                }
            }
            else
            {
                var n = ParseRv(resourceVersion);
                if (n > _rv)
                {
                    throw new ApiException(504, "Timeout", $"Too large resource version: {n}, current: {_rv}", new JsonObject { ["retryAfterSeconds"] = 1 });
                }

                if (match == "Exact" && n != 0)
                {
                    if (n < _compactedRv)
                    {
                        throw ApiException.Expired($"too old resource version: {n} ({_compactedRv})");
                    }

                    source = SnapshotAt(n);
                    listRv = n;
                }
            }

            var matching = source
                .Where(p => p.Key.Resource == resource.Key && (ns is null || p.Key.Namespace == ns) && (after is null || p.Key > after.Value) && selectors.Matches(p.Value))
                .OrderBy(p => p.Key)
                .ToList();
            var page = limit is > 0 ? matching.Take(limit.Value).ToList() : matching;
            var metadata = new JsonObject { ["resourceVersion"] = Meta.Rv(listRv) };
            if (page.Count < matching.Count)
            {
                metadata["continue"] = EncodeContinue(listRv, page[^1].Key);
                if (selectors.IsEverything)
                {
                    metadata["remainingItemCount"] = matching.Count - page.Count;
                }
            }

            return new JsonObject
            {
                ["apiVersion"] = resource.ApiVersion,
                ["kind"] = resource.ListKind,
                ["metadata"] = metadata,
                ["items"] = new JsonArray(page.Select(p => (JsonNode)p.Value.DeepClone()).ToArray()),
            };
        }
    }

    /// <summary>Opens a watch: from "" or "0" it starts with ADDED for every matching object; from N it replays the
    /// logged changes after N; older than the compaction point it sends one ERROR (410 Expired) and ends.</summary>
    public WatchSubscription Watch(ApiResource resource, string? ns, Selectors selectors, string? resourceVersion, bool allowBookmarks)
    {
        var watch = new WatchSubscription(resource, ns, selectors, allowBookmarks);
        lock (_gate)
        {
            if (string.IsNullOrEmpty(resourceVersion) || resourceVersion == "0")
            {
                foreach (var (key, obj) in _objects)
                {
                    if (watch.Covers(key) && watch.Matches(obj))
                    {
                        watch.Send(WatchSubscription.Line("ADDED", obj.ToJsonString()));
                    }
                }
            }
            else
            {
                var n = ParseRv(resourceVersion);
                if (n < _compactedRv)
                {
                    var gone = ApiException.Expired($"too old resource version: {n} ({_compactedRv})").ToStatus();
                    watch.Send(WatchSubscription.Line("ERROR", gone.ToJsonString()));
                    watch.Complete();
                    return watch;
                }

                foreach (var e in _log.Where(e => e.ResourceVersion > n))
                {
                    watch.Offer(e);
                }
            }

            _watchers.Add(watch);
        }

        return watch;
    }

    public void Unwatch(WatchSubscription watch)
    {
        lock (_gate)
        {
            _watchers.Remove(watch);
        }

        watch.Complete();
    }

    public JsonObject Create(ApiResource resource, string ns, JsonObject body, bool dryRun)
    {
        lock (_gate)
        {
            ThrowInjectedFailure();
            CheckTypeAndNamespace(resource, ns, body, Meta.String(body, "name") ?? "");
            var meta = Meta.Of(body);
            var name = Meta.String(body, "name");
            if (string.IsNullOrEmpty(name))
            {
                var generateName = Meta.String(body, "generateName");
                if (string.IsNullOrEmpty(generateName))
                {
                    throw ApiException.Invalid(resource, "", "metadata.name", "Required value: name or generateName is required");
                }

                name = generateName + RandomSuffix();
            }

            ValidateName(resource, name);
            var key = new ObjectKey(resource.Key, ns, name);
            if (_objects.ContainsKey(key))
            {
                throw ApiException.AlreadyExists(resource, name);
            }

            body["apiVersion"] = resource.ApiVersion;
            body["kind"] = resource.Kind;
            meta["name"] = name;
            meta["namespace"] = ns;
            meta["uid"] = Guid.NewGuid().ToString();
            meta["creationTimestamp"] = Meta.Timestamp(time.GetUtcNow());
            meta.Remove("deletionTimestamp");
            meta.Remove("deletionGracePeriodSeconds");
            if (resource.TracksGeneration)
            {
                meta["generation"] = 1;
            }
            else
            {
                meta.Remove("generation");
            }

            if (resource.HasStatusSubresource)
            {
                body.Remove("status");
            }

            if (resource.HasScaleSubresource && (body["spec"] as JsonObject)?["replicas"] is null)
            {
                // The Deployment defaulter's replicas: 1 (the one default the scale subresource depends on).
                body["spec"] ??= new JsonObject();
                body["spec"]!["replicas"] = 1;
            }

            if (dryRun)
            {
                meta["resourceVersion"] = "";
                return body;
            }

            Commit(resource, key, "ADDED", body, previous: null);
            return body.DeepClone().AsObject();
        }
    }

    /// <summary>A PUT or PATCH of the object or of its status: <paramref name="propose"/> turns (a copy of) the stored
    /// object into the proposed one. Then the rules: resourceVersion must match (409), the main endpoint keeps the
    /// stored status and the status endpoint keeps everything but status, generation moves when the spec does, a write
    /// that changes nothing is not a write, and an object being deleted goes once its last finalizer is removed.</summary>
    public JsonObject Update(ApiResource resource, string ns, string name, bool statusOnly, bool allowUnconditional, Func<JsonObject, JsonObject> propose, bool dryRun)
    {
        lock (_gate)
        {
            ThrowInjectedFailure();
            var key = new ObjectKey(resource.Key, ns, name);
            if (!_objects.TryGetValue(key, out var current))
            {
                throw ApiException.NotFound(resource, name);
            }

            var proposed = propose(current.DeepClone().AsObject());
            var proposedName = Meta.String(proposed, "name");
            if (!string.IsNullOrEmpty(proposedName) && proposedName != name)
            {
                throw ApiException.BadRequest($"the name of the object ({proposedName}) does not match the name on the URL ({name})");
            }

            CheckTypeAndNamespace(resource, ns, proposed, name);
            var currentRv = Meta.String(current, "resourceVersion");
            var proposedRv = Meta.String(proposed, "resourceVersion");
            if (string.IsNullOrEmpty(proposedRv))
            {
                if (!allowUnconditional && !resource.AllowUnconditionalUpdate)
                {
                    throw ApiException.Invalid(resource, name, "metadata.resourceVersion", "Invalid value: 0x0: must be specified for an update");
                }
            }
            else if (proposedRv != currentRv)
            {
                throw ApiException.Stale(resource, name);
            }

            var proposedUid = Meta.String(proposed, "uid");
            if (!string.IsNullOrEmpty(proposedUid) && proposedUid != Meta.String(current, "uid"))
            {
                throw ApiException.Conflict(resource, name, $"Precondition failed: UID in precondition: {proposedUid}, UID in object meta: {Meta.String(current, "uid")}");
            }

            JsonObject next;
            if (statusOnly)
            {
                next = current.DeepClone().AsObject();
                Meta.KeepTop(proposed, next, "status");
            }
            else
            {
                next = proposed;
                next["apiVersion"] = resource.ApiVersion;
                next["kind"] = resource.Kind;
                Meta.Of(next)["name"] = name;
                Meta.Of(next)["namespace"] = ns;
                foreach (var field in new[] { "uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation" })
                {
                    Meta.Keep(current, next, field);
                }

                if (resource.HasStatusSubresource)
                {
                    Meta.KeepTop(current, next, "status");
                }

                var deleting = Meta.String(current, "deletionTimestamp") is not null;
                var added = Meta.Finalizers(next).Except(Meta.Finalizers(current)).ToList();
                if (deleting && added.Count > 0)
                {
                    throw ApiException.Invalid(resource, name, "metadata.finalizers", $"Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers [{string.Join(", ", added)}]");
                }

                if (resource.TracksGeneration && !JsonNode.DeepEquals(SpecOf(current), SpecOf(next)))
                {
                    Meta.Of(next)["generation"] = Meta.Generation(current) + 1;
                }
            }

            Meta.Of(next)["resourceVersion"] = currentRv;
            if (JsonNode.DeepEquals(WithoutManagedFields(current), WithoutManagedFields(next)) || dryRun)
            {
                // Kubernetes does not write an update that changes nothing: same resourceVersion, no watch event.
                return next;
            }

            var finished = Meta.String(next, "deletionTimestamp") is not null && Meta.Finalizers(next).Count == 0;
            Commit(resource, key, finished ? "DELETED" : "MODIFIED", next, current);
            return next.DeepClone().AsObject();
        }
    }

    /// <summary>DELETE: with finalizers the object only gets a deletionTimestamp (and stays until they are removed);
    /// without, it goes. Returns the object and whether it is gone.</summary>
    public (JsonObject Object, bool Deleted) Delete(ApiResource resource, string ns, string name, string? uidPrecondition, string? rvPrecondition, bool dryRun)
    {
        lock (_gate)
        {
            ThrowInjectedFailure();
            var key = new ObjectKey(resource.Key, ns, name);
            if (!_objects.TryGetValue(key, out var current))
            {
                throw ApiException.NotFound(resource, name);
            }

            if (!string.IsNullOrEmpty(uidPrecondition) && uidPrecondition != Meta.String(current, "uid"))
            {
                throw ApiException.Conflict(resource, name, $"Precondition failed: UID in precondition: {uidPrecondition}, UID in object meta: {Meta.String(current, "uid")}");
            }

            if (!string.IsNullOrEmpty(rvPrecondition) && rvPrecondition != Meta.String(current, "resourceVersion"))
            {
                throw ApiException.Conflict(resource, name, $"Precondition failed: ResourceVersion in precondition: {rvPrecondition}, ResourceVersion in object meta: {Meta.String(current, "resourceVersion")}");
            }

            var next = current.DeepClone().AsObject();
            if (Meta.Finalizers(current).Count > 0)
            {
                if (Meta.String(current, "deletionTimestamp") is not null || dryRun)
                {
                    return (next, false);
                }

                Meta.Of(next)["deletionTimestamp"] = Meta.Timestamp(time.GetUtcNow());
                Meta.Of(next)["deletionGracePeriodSeconds"] = 0;
                if (resource.TracksGeneration)
                {
                    Meta.Of(next)["generation"] = Meta.Generation(current) + 1;
                }

                Commit(resource, key, "MODIFIED", next, current);
                return (next.DeepClone().AsObject(), false);
            }

            if (!dryRun)
            {
                Commit(resource, key, "DELETED", next, current);
            }

            return (next.DeepClone().AsObject(), true);
        }
    }

    private void Commit(ApiResource resource, ObjectKey key, string type, JsonObject next, JsonObject? previous)
    {
        _rv++;
        Meta.Of(next)["resourceVersion"] = Meta.Rv(_rv);
        if (type == "DELETED")
        {
            _objects.Remove(key);
        }
        else
        {
            _objects[key] = next;
        }

        var e = new StoredEvent(_rv, resource, key, type, next.DeepClone().AsObject(), previous?.DeepClone().AsObject());
        _log.Add(e);
        foreach (var w in _watchers)
        {
            w.Offer(e);
        }
    }

    private Dictionary<ObjectKey, JsonObject> SnapshotAt(long rv)
    {
        var snapshot = new Dictionary<ObjectKey, JsonObject>(_baseline);
        foreach (var e in _log.TakeWhile(e => e.ResourceVersion <= rv))
        {
            if (e.Type == "DELETED")
            {
                snapshot.Remove(e.Key);
            }
            else
            {
                snapshot[e.Key] = e.Current;
            }
        }

        return snapshot;
    }

    private void ThrowInjectedFailure()
    {
        if (_failures.TryDequeue(out var failure))
        {
            throw failure;
        }
    }

    private static void CheckTypeAndNamespace(ApiResource resource, string ns, JsonObject obj, string name)
    {
        if (obj["apiVersion"] is JsonValue av && av.GetValueKind() == JsonValueKind.String && av.GetValue<string>() != resource.ApiVersion)
        {
            throw ApiException.BadRequest($"the API version in the data ({av}) does not match the expected API version ({resource.ApiVersion})");
        }

        if (obj["kind"] is JsonValue k && k.GetValueKind() == JsonValueKind.String && k.GetValue<string>() != resource.Kind)
        {
            throw ApiException.BadRequest($"the kind in the data ({k}) does not match the expected kind ({resource.Kind}) for {name}");
        }

        var objectNs = Meta.String(obj, "namespace");
        if (!string.IsNullOrEmpty(objectNs) && objectNs != ns)
        {
            throw ApiException.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
        }
    }

    private static void ValidateName(ApiResource resource, string name)
    {
        if (name.Length > 253 || !DnsSubdomain().IsMatch(name))
        {
            throw ApiException.Invalid(resource, name, "metadata.name",
                $"Invalid value: \"{name}\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character");
        }
    }

    private static JsonObject SpecOf(JsonObject obj)
    {
        var copy = obj.DeepClone().AsObject();
        foreach (var field in new[] { "metadata", "status", "apiVersion", "kind" })
        {
            copy.Remove(field);
        }

        return copy;
    }

    private static JsonObject WithoutManagedFields(JsonObject obj)
    {
        var copy = obj.DeepClone().AsObject();
        Meta.Of(copy).Remove("managedFields");
        return copy;
    }

    private static string RandomSuffix()
    {
        const string Alphabet = "bcdfghjklmnpqrstvwxz2456789";
        return string.Create(5, 0, (span, _) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = Alphabet[Random.Shared.Next(Alphabet.Length)];
            }
        });
    }

    private static long ParseRv(string value) =>
        long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            ? n
            : throw ApiException.BadRequest($"invalid resourceVersion \"{value}\": expected an integer");

    private static string EncodeContinue(long rv, ObjectKey last) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(new JsonObject { ["rv"] = rv, ["ns"] = last.Namespace, ["name"] = last.Name, ["r"] = last.Resource }.ToJsonString()));

    private static (long Rv, ObjectKey After) DecodeContinue(string token)
    {
        try
        {
            var o = JsonNode.Parse(Convert.FromBase64String(token))!.AsObject();
            return (o["rv"]!.GetValue<long>(), new ObjectKey(o["r"]!.GetValue<string>(), o["ns"]!.GetValue<string>(), o["name"]!.GetValue<string>()));
        }
        catch (Exception e) when (e is FormatException or JsonException or NullReferenceException or InvalidOperationException)
        {
            throw ApiException.BadRequest($"continue key is not valid: {e.Message}");
        }
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex DnsSubdomain();
}

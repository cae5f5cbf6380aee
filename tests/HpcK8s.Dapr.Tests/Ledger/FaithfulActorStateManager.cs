using System.Text.Json;
using Dapr.Actors.Runtime;
using HpcK8s.Testing.Dapr;

namespace HpcK8s.Dapr.Tests.Ledger;

/// <summary>An <see cref="IActorStateManager"/> that behaves like Dapr's: values read once are cached for the
/// activation; changes are tracked per key and written by <see cref="SaveStateAsync"/> as one transaction of the changed
/// keys only (upsert/delete), serialised to JSON; <see cref="ClearCacheAsync"/> drops unsaved changes.</summary>
public sealed class FaithfulActorStateManager(InMemoryActorStateStore store, string actorType, string actorId) : IActorStateManager
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly Dictionary<string, Entry> _cache = new(StringComparer.Ordinal);

    private enum Kind
    {
        None,
        Add,
        Update,
        Remove,
    }

    public Task AddStateAsync<T>(string stateName, T value, CancellationToken cancellationToken = default) => AddStateAsync(stateName, value, TimeSpan.Zero, cancellationToken);

    public async Task AddStateAsync<T>(string stateName, T value, TimeSpan ttl, CancellationToken cancellationToken = default)
    {
        if (!await TryAddStateAsync(stateName, value, ttl, cancellationToken))
        {
            throw new InvalidOperationException($"state {stateName} already exists");
        }
    }

    public async Task<T> GetStateAsync<T>(string stateName, CancellationToken cancellationToken = default)
    {
        var value = await TryGetStateAsync<T>(stateName, cancellationToken);
        return value.HasValue ? value.Value : throw new KeyNotFoundException($"state {stateName} not found");
    }

    public Task SetStateAsync<T>(string stateName, T value, CancellationToken cancellationToken = default) => SetStateAsync(stateName, value, TimeSpan.Zero, cancellationToken);

    public Task SetStateAsync<T>(string stateName, T value, TimeSpan ttl, CancellationToken cancellationToken = default)
    {
        if (_cache.TryGetValue(stateName, out var entry))
        {
            _cache[stateName] = new Entry(value, typeof(T), entry.Kind is Kind.Add ? Kind.Add : Kind.Update);
        }
        else
        {
            _cache[stateName] = new Entry(value, typeof(T), Stored(stateName) is null ? Kind.Add : Kind.Update);
        }

        return Task.CompletedTask;
    }

    public async Task RemoveStateAsync(string stateName, CancellationToken cancellationToken = default)
    {
        if (!await TryRemoveStateAsync(stateName, cancellationToken))
        {
            throw new KeyNotFoundException($"state {stateName} not found");
        }
    }

    public Task<bool> TryAddStateAsync<T>(string stateName, T value, CancellationToken cancellationToken = default) => TryAddStateAsync(stateName, value, TimeSpan.Zero, cancellationToken);

    public Task<bool> TryAddStateAsync<T>(string stateName, T value, TimeSpan ttl, CancellationToken cancellationToken = default)
    {
        if (_cache.TryGetValue(stateName, out var entry))
        {
            if (entry.Kind != Kind.Remove)
            {
                return Task.FromResult(false);
            }

            _cache[stateName] = new Entry(value, typeof(T), Kind.Update);
            return Task.FromResult(true);
        }

        if (Stored(stateName) is not null)
        {
            return Task.FromResult(false);
        }

        _cache[stateName] = new Entry(value, typeof(T), Kind.Add);
        return Task.FromResult(true);
    }

    public Task<ConditionalValue<T>> TryGetStateAsync<T>(string stateName, CancellationToken cancellationToken = default)
    {
        if (_cache.TryGetValue(stateName, out var entry))
        {
            return Task.FromResult(entry.Kind == Kind.Remove ? new ConditionalValue<T>(false, default!) : new ConditionalValue<T>(true, (T)entry.Value!));
        }

        var json = Stored(stateName);
        if (json is null)
        {
            return Task.FromResult(new ConditionalValue<T>(false, default!));
        }

        var value = JsonSerializer.Deserialize<T>(json, Json)!;
        _cache[stateName] = new Entry(value, typeof(T), Kind.None);
        return Task.FromResult(new ConditionalValue<T>(true, value));
    }

    public Task<bool> TryRemoveStateAsync(string stateName, CancellationToken cancellationToken = default)
    {
        if (_cache.TryGetValue(stateName, out var entry))
        {
            switch (entry.Kind)
            {
                case Kind.Remove:
                    return Task.FromResult(false);
                case Kind.Add:
                    _cache.Remove(stateName);
                    return Task.FromResult(true);
                default:
                    _cache[stateName] = entry with { Kind = Kind.Remove };
                    return Task.FromResult(true);
            }
        }

        if (Stored(stateName) is null)
        {
            return Task.FromResult(false);
        }

        _cache[stateName] = new Entry(null, typeof(object), Kind.Remove);
        return Task.FromResult(true);
    }

    public async Task<bool> ContainsStateAsync(string stateName, CancellationToken cancellationToken = default) =>
        _cache.TryGetValue(stateName, out var entry) ? entry.Kind != Kind.Remove : Stored(stateName) is not null;

    public async Task<T> GetOrAddStateAsync<T>(string stateName, T value, CancellationToken cancellationToken = default)
    {
        var existing = await TryGetStateAsync<T>(stateName, cancellationToken);
        if (existing.HasValue)
        {
            return existing.Value;
        }

        await SetStateAsync(stateName, value, cancellationToken);
        return value;
    }

    public Task<T> GetOrAddStateAsync<T>(string stateName, T value, TimeSpan ttl, CancellationToken cancellationToken = default) => GetOrAddStateAsync(stateName, value, cancellationToken);

    public async Task<T> AddOrUpdateStateAsync<T>(string stateName, T addValue, Func<string, T, T> updateValueFactory, CancellationToken cancellationToken = default)
    {
        var existing = await TryGetStateAsync<T>(stateName, cancellationToken);
        var value = existing.HasValue ? updateValueFactory(stateName, existing.Value) : addValue;
        await SetStateAsync(stateName, value, cancellationToken);
        return value;
    }

    public Task<T> AddOrUpdateStateAsync<T>(string stateName, T addValue, Func<string, T, T> updateValueFactory, TimeSpan ttl, CancellationToken cancellationToken = default) =>
        AddOrUpdateStateAsync(stateName, addValue, updateValueFactory, cancellationToken);

    public Task ClearCacheAsync(CancellationToken cancellationToken = default)
    {
        _cache.Clear();
        return Task.CompletedTask;
    }

    public Task UnloadStateAsync(string stateName, UnloadStateOptions? options = null, CancellationToken cancellationToken = default)
    {
        _cache.Remove(stateName);
        return Task.CompletedTask;
    }

    public Task SaveStateAsync(CancellationToken cancellationToken = default)
    {
        var changes = _cache.Where(e => e.Value.Kind != Kind.None).ToList();
        if (changes.Count == 0)
        {
            return Task.CompletedTask;
        }

        store.Transact(actorType, actorId,
            [.. changes.Select(c => (c.Key, c.Value.Kind == Kind.Remove ? null : JsonSerializer.Serialize(c.Value.Value, c.Value.Type, Json)))]);
        foreach (var (key, entry) in changes)
        {
            if (entry.Kind == Kind.Remove)
            {
                _cache.Remove(key);
            }
            else
            {
                _cache[key] = entry with { Kind = Kind.None };
            }
        }

        return Task.CompletedTask;
    }

    private string? Stored(string key) => store.TryGet(actorType, actorId, key);

    private sealed record Entry(object? Value, Type Type, Kind Kind);
}

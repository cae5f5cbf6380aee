namespace HpcK8s.Testing.Dapr;

/// <summary>Actor state as daprd keeps it: per actor, keys holding JSON text, changed only by whole transactions.</summary>
public sealed class InMemoryActorStateStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Dictionary<string, string>> _actors = new(StringComparer.Ordinal);

    public List<(string Actor, IReadOnlyList<string> Keys)> Transactions { get; } = [];

    public string? TryGet(string actorType, string actorId, string key)
    {
        lock (_lock)
        {
            return _actors.TryGetValue(Name(actorType, actorId), out var keys) && keys.TryGetValue(key, out var json) ? json : null;
        }
    }

    /// <summary>Applies upserts (value = JSON text) and deletes (value = null) all at once.</summary>
    public void Transact(string actorType, string actorId, IReadOnlyList<(string Key, string? Json)> operations)
    {
        lock (_lock)
        {
            var name = Name(actorType, actorId);
            if (!_actors.TryGetValue(name, out var keys))
            {
                _actors[name] = keys = new(StringComparer.Ordinal);
            }

            foreach (var (key, json) in operations)
            {
                if (json is null)
                {
                    keys.Remove(key);
                }
                else
                {
                    keys[key] = json;
                }
            }

            Transactions.Add((name, [.. operations.Select(o => o.Key)]));
        }
    }

    public IReadOnlyList<string> Keys(string actorType, string actorId)
    {
        lock (_lock)
        {
            return _actors.TryGetValue(Name(actorType, actorId), out var keys) ? [.. keys.Keys.Order(StringComparer.Ordinal)] : [];
        }
    }

    /// <summary>Loses every key of one actor (a state store that was reset).</summary>
    public void Wipe(string actorType, string actorId)
    {
        lock (_lock)
        {
            _actors.Remove(Name(actorType, actorId));
        }
    }

    /// <summary>Changes one stored value behind the actor's back.</summary>
    public void Tamper(string actorType, string actorId, string key, Func<string, string> change)
    {
        lock (_lock)
        {
            var keys = _actors[Name(actorType, actorId)];
            keys[key] = change(keys[key]);
        }
    }

    private static string Name(string actorType, string actorId) => $"{actorType}||{actorId}";
}

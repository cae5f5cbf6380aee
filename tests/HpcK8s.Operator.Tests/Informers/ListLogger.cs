using Microsoft.Extensions.Logging;

namespace HpcK8s.Operator.Tests.Informers;

/// <summary>One structured log entry.</summary>
public sealed record LogEntry(LogLevel Level, string EventName, string Message, IReadOnlyDictionary<string, object?> State, Exception? Exception);

/// <summary>Keeps every log entry with its structured state, so tests can read e.g. the back-off delays.</summary>
public sealed class ListLogger<T> : ILogger<T>
{
    private readonly Lock _lock = new();
    private readonly List<LogEntry> _entries = [];

    public IReadOnlyList<LogEntry> Entries
    {
        get
        {
            lock (_lock)
            {
                return [.. _entries];
            }
        }
    }

    public IReadOnlyList<LogEntry> Named(string eventName) => [.. Entries.Where(e => e.EventName == eventName)];

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? pairs.ToDictionary(p => p.Key, p => p.Value) : [];
        lock (_lock)
        {
            _entries.Add(new LogEntry(logLevel, eventId.Name ?? "", formatter(state, exception), values, exception));
        }
    }
}

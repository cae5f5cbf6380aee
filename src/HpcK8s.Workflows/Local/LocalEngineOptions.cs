namespace HpcK8s.Workflows.Local;

/// <summary>Settings of the local durable engine.</summary>
public sealed class LocalEngineOptions
{
    /// <summary>The directory that holds the engine's SQLite file (<c>workflows.db</c>) and its lock.</summary>
    public string StateDirectory { get; set; } = ".hpck8s";

    /// <summary>Activities run at once (threads). Default: the number of cores.</summary>
    public int Workers { get; set; } = Environment.ProcessorCount;

    /// <summary>How often the engine looks for events written by other processes (suspend, terminate, raise).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// How many instances keep their workflow execution cached between turns, so that a turn processes only its new
    /// events instead of replaying the whole history (<see cref="Execution.WorkflowSession"/>). The least recently
    /// used beyond this number are evicted and replay in full on their next turn. 0 turns caching off (every turn
    /// replays, as the Dapr sidecar's workers without a session do). Default 4096.
    /// </summary>
    public int MaxCachedExecutions { get; set; } = 4096;

    /// <summary>The engine's clock (tests substitute a controllable one).</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>The SQLite file of <paramref name="stateDirectory"/>.</summary>
    public static string DatabasePath(string stateDirectory) => Path.Combine(stateDirectory, "workflows.db");
}

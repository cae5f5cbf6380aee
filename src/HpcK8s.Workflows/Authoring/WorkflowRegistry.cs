using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace HpcK8s.Workflows.Authoring;

/// <summary>
/// Workflows and activities by name. Names default to the class name and are matched case-insensitively.
/// </summary>
/// <remarks>
/// Register everything before the worker or engine starts. Workflows are created afresh for every turn (their
/// factories must not hand out shared state); activities may be shared instances, so a host can inject kernels
/// or other services into them.
/// </remarks>
public sealed class WorkflowRegistry
{
    private readonly ConcurrentDictionary<string, Func<IWorkflow>> _workflows = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, Func<IWorkflowActivity>> _activities = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The registered workflow names.</summary>
    public IReadOnlyCollection<string> WorkflowNames => [.. _workflows.Keys];

    /// <summary>The registered activity names.</summary>
    public IReadOnlyCollection<string> ActivityNames => [.. _activities.Keys];

    /// <summary>Registers workflow type <typeparamref name="TWorkflow"/>, created with its parameterless constructor.</summary>
    /// <typeparam name="TWorkflow">The workflow type.</typeparam>
    /// <param name="name">The name; defaults to the class name.</param>
    /// <returns>This registry.</returns>
    public WorkflowRegistry RegisterWorkflow<TWorkflow>(string? name = null)
        where TWorkflow : class, IWorkflow, new() =>
        RegisterWorkflow(name ?? typeof(TWorkflow).Name, static () => new TWorkflow());

    /// <summary>Registers a workflow factory, called once per turn.</summary>
    /// <param name="name">The workflow name.</param>
    /// <param name="factory">Creates a fresh workflow instance.</param>
    /// <returns>This registry.</returns>
    public WorkflowRegistry RegisterWorkflow(string name, Func<IWorkflow> factory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(factory);
        if (!_workflows.TryAdd(name, factory))
        {
            throw new InvalidOperationException($"A workflow named '{name}' is already registered (names are case-insensitive).");
        }

        return this;
    }

    /// <summary>Registers a workflow given as a delegate.</summary>
    /// <typeparam name="TInput">The input type.</typeparam>
    /// <typeparam name="TOutput">The output type.</typeparam>
    /// <param name="name">The workflow name.</param>
    /// <param name="implementation">The workflow code; the same determinism rules apply.</param>
    /// <returns>This registry.</returns>
    public WorkflowRegistry RegisterWorkflow<TInput, TOutput>(string name, Func<WorkflowContext, TInput, Task<TOutput>> implementation)
    {
        ArgumentNullException.ThrowIfNull(implementation);
        return RegisterWorkflow(name, () => new FuncWorkflow<TInput, TOutput>(implementation));
    }

    /// <summary>Registers activity type <typeparamref name="TActivity"/>, created per call with its parameterless constructor.</summary>
    /// <typeparam name="TActivity">The activity type.</typeparam>
    /// <param name="name">The name; defaults to the class name.</param>
    /// <returns>This registry.</returns>
    public WorkflowRegistry RegisterActivity<TActivity>(string? name = null)
        where TActivity : class, IWorkflowActivity, new() =>
        RegisterActivity(name ?? typeof(TActivity).Name, static () => new TActivity());

    /// <summary>Registers an activity factory, called once per activity execution.</summary>
    /// <param name="name">The activity name.</param>
    /// <param name="factory">Creates (or returns) the activity.</param>
    /// <returns>This registry.</returns>
    public WorkflowRegistry RegisterActivity(string name, Func<IWorkflowActivity> factory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(factory);
        if (!_activities.TryAdd(name, factory))
        {
            throw new InvalidOperationException($"An activity named '{name}' is already registered (names are case-insensitive).");
        }

        return this;
    }

    /// <summary>Registers a shared activity instance (it must be safe to call concurrently).</summary>
    /// <param name="activity">The activity.</param>
    /// <param name="name">The name; defaults to the class name.</param>
    /// <returns>This registry.</returns>
    public WorkflowRegistry RegisterActivity(IWorkflowActivity activity, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(activity);
        return RegisterActivity(name ?? activity.GetType().Name, () => activity);
    }

    /// <summary>Registers an activity given as a delegate.</summary>
    /// <typeparam name="TInput">The input type.</typeparam>
    /// <typeparam name="TOutput">The output type.</typeparam>
    /// <param name="name">The activity name.</param>
    /// <param name="implementation">The activity code.</param>
    /// <returns>This registry.</returns>
    public WorkflowRegistry RegisterActivity<TInput, TOutput>(string name, Func<WorkflowActivityContext, TInput, Task<TOutput>> implementation)
    {
        ArgumentNullException.ThrowIfNull(implementation);
        var activity = new FuncActivity<TInput, TOutput>(implementation);
        return RegisterActivity(name, () => activity);
    }

    /// <summary>Creates the workflow registered as <paramref name="name"/>.</summary>
    /// <param name="name">The workflow name (case-insensitive).</param>
    /// <param name="workflow">The new workflow instance.</param>
    /// <returns>False when no workflow has that name.</returns>
    public bool TryCreateWorkflow(string name, [NotNullWhen(true)] out IWorkflow? workflow)
    {
        ArgumentNullException.ThrowIfNull(name);
        workflow = _workflows.TryGetValue(name, out var factory) ? factory() : null;
        return workflow is not null;
    }

    /// <summary>Gets the activity registered as <paramref name="name"/>.</summary>
    /// <param name="name">The activity name (case-insensitive).</param>
    /// <param name="activity">The activity.</param>
    /// <returns>False when no activity has that name.</returns>
    public bool TryCreateActivity(string name, [NotNullWhen(true)] out IWorkflowActivity? activity)
    {
        ArgumentNullException.ThrowIfNull(name);
        activity = _activities.TryGetValue(name, out var factory) ? factory() : null;
        return activity is not null;
    }
}

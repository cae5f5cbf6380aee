using HpcK8s.Workflows.History;

namespace HpcK8s.Workflows.Execution;

/// <summary>A typed pending external-event wait.</summary>
internal sealed class EventWaiter<T> : IEventWaiter
{
    private readonly TaskCompletionSource<T> _source = new();

    public Task<T> Task => _source.Task;

    public bool TryDeliver(string? payloadJson)
    {
        if (_source.Task.IsCompleted)
        {
            return false;
        }

        WorkflowTurn.SetFromJson(_source, payloadJson);
        return true;
    }

    public void Cancel(CancellationToken cancellationToken = default) => _source.TrySetCanceled(cancellationToken);
}

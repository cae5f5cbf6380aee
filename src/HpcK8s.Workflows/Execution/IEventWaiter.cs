namespace HpcK8s.Workflows.Execution;

/// <summary>A pending <c>WaitForExternalEventAsync</c> call.</summary>
internal interface IEventWaiter
{
    /// <summary>Hands the event payload to the waiter; false if it no longer waits (timed out or cancelled).</summary>
    bool TryDeliver(string? payloadJson);
}

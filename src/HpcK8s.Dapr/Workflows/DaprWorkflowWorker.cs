using System.Threading.Channels;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Net.Client;
using HpcK8s.Workflows.Authoring;
using HpcK8s.Workflows.Execution;
using HpcK8s.Workflows.History;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using P = HpcK8s.Dapr.Protos;

namespace HpcK8s.Dapr.Workflows;

/// <summary>
/// Runs the workflows and activities of a <see cref="WorkflowRegistry"/> on the Dapr sidecar, speaking daprd's
/// Durable Task gRPC protocol (<c>TaskHubSidecarService</c>) directly.
/// </summary>
/// <remarks>
/// <para>Connection: Hello, then one <c>GetWorkItems</c> stream kept open; after any error or end we did not cause it
/// reconnects forever with jittered exponential backoff (<see cref="DaprWorkflowOptions.MinReconnectDelay"/> doubling to
/// <see cref="DaprWorkflowOptions.MaxReconnectDelay"/>). It never treats an idle stream as dead.</para>
/// <para>The read loop never blocks: work items go to two unbounded queues, each served by a fixed pool of
/// <see cref="DaprWorkflowOptions.MaxConcurrentWorkflows"/> / <see cref="DaprWorkflowOptions.MaxConcurrentActivities"/>
/// consumers. A workflow turn translates the request into history records, runs <see cref="WorkflowExecutor"/> and
/// answers with <c>CompleteOrchestratorTask</c> (custom status every turn, the completion token echoed); an activity runs
/// through <see cref="ActivityExecutor"/> and answers with <c>CompleteActivityTask</c>.</para>
/// <para>Activities run at least once: when a stream is lost the sidecar dispatches everything it sent again, so
/// the worker cancels the activities of a lost stream and skips its queued items.</para>
/// <para>Stopping drains: queued items are dropped (the sidecar re-dispatches them), items in flight finish and report
/// while the stream is still open, and only then is the stream closed. If the stop token fires first, running
/// activities are cancelled.</para>
/// </remarks>
public sealed class DaprWorkflowWorker : IHostedService, IAsyncDisposable
{
    private static readonly TimeSpan StableStreamAge = TimeSpan.FromSeconds(30);

    private readonly WorkflowRegistry _registry;
    private readonly DaprWorkflowOptions _options;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly TimeProvider _timeProvider;
    private readonly Channel<QueuedWorkItem> _workflows = Channel.CreateUnbounded<QueuedWorkItem>(new UnboundedChannelOptions { SingleWriter = true });
    private readonly Channel<QueuedWorkItem> _activities = Channel.CreateUnbounded<QueuedWorkItem>(new UnboundedChannelOptions { SingleWriter = true });
    private readonly CancellationTokenSource _streamStop = new();
    private readonly CancellationTokenSource _hardStop = new();
    private readonly Lock _stopGate = new();
    private Task? _stopping;
    private readonly Lock _connectedLock = new();
    private TaskCompletionSource _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private GrpcChannel? _channel;
    private P.TaskHubSidecarService.TaskHubSidecarServiceClient? _client;
    private Uri? _endpoint;
    private Task? _connectionLoop;
    private Task[] _consumers = [];
    private volatile bool _draining;
    private volatile bool _isConnected;
    private int _inFlight;
    private int _started;

    /// <summary>Creates a worker; call <see cref="StartAsync"/> to connect.</summary>
    /// <param name="registry">The workflows and activities this worker runs.</param>
    /// <param name="options">Where the sidecar is and how much to run at once.</param>
    /// <param name="loggerFactory">Logging; null logs nothing.</param>
    /// <param name="timeProvider">The clock for reconnect delays; null is the system clock.</param>
    public DaprWorkflowWorker(WorkflowRegistry registry, DaprWorkflowOptions options, ILoggerFactory? loggerFactory = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(options);
        _registry = registry;
        _options = options;
        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        _logger = _loggerFactory.CreateLogger<DaprWorkflowWorker>();
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>True while the work item stream to the sidecar is open (Hello answered, stream opened, not yet ended).</summary>
    /// <remarks>A readiness check reads this: work is only dispatched to a worker whose stream is open.</remarks>
    public bool IsStreamConnected => _isConnected;

    /// <summary>Reconnects and work items so far.</summary>
    public DaprWorkflowWorkerCounters Counters { get; } = new();

    /// <summary>Completes once the work item stream is open (at once if it is open now).</summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>A task that completes when connected.</returns>
    public Task WaitForStreamConnectedAsync(CancellationToken cancellationToken)
    {
        lock (_connectedLock)
        {
            return _connected.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Validates the options, creates the channel and starts the connection loop and the consumer pools.</summary>
    /// <param name="cancellationToken">Not used: starting does not wait for the sidecar.</param>
    /// <returns>A completed task.</returns>
    /// <exception cref="InvalidOperationException">The options are invalid (the message names the keys to fix) or the worker was already started.</exception>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var errors = _options.Validate();
        if (errors.Count > 0)
        {
            throw new InvalidOperationException("Invalid Dapr workflow worker options: " + string.Join(" ", errors));
        }

        if (Interlocked.Exchange(ref _started, 1) != 0)
        {
            throw new InvalidOperationException("The workflow worker was already started; create a new one instead.");
        }

        (_channel, var invoker) = DaprGrpcChannel.Create(_options);
        _endpoint = DaprSidecarEndpoint.Resolve(_options.GrpcEndpoint);
        _client = new P.TaskHubSidecarService.TaskHubSidecarServiceClient(invoker);
        var consumers = new List<Task>(_options.MaxConcurrentWorkflows + _options.MaxConcurrentActivities);
        for (var i = 0; i < _options.MaxConcurrentWorkflows; i++)
        {
            consumers.Add(Task.Run(() => ConsumeAsync(_workflows.Reader, RunWorkflowTurnAsync), CancellationToken.None));
        }

        for (var i = 0; i < _options.MaxConcurrentActivities; i++)
        {
            consumers.Add(Task.Run(() => ConsumeAsync(_activities.Reader, RunActivityAsync), CancellationToken.None));
        }

        _consumers = [.. consumers];
        _connectionLoop = Task.Run(() => RunConnectionLoopAsync(_streamStop.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    /// <summary>Drains: finishes the work items in flight while the stream is open, then closes the stream.</summary>
    /// <param name="cancellationToken">When it fires, running activities are cancelled and the stream closes at once.</param>
    /// <returns>A task that completes when the worker has stopped.</returns>
    /// <remarks>Every caller waits for the same stop. A later caller whose token has fired (e.g. <see cref="DisposeAsync"/>
    /// during a drain) turns the drain into a hard stop, so nothing outlives the worker's disposal.</remarks>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _started) == 0)
        {
            return;
        }

        Task stopping;
        lock (_stopGate)
        {
            _stopping ??= StopCoreAsync(cancellationToken);
            stopping = _stopping;
        }

        using (cancellationToken.Register(static state => ((DaprWorkflowWorker)state!).HardStop(), this))
        {
            await stopping.ConfigureAwait(false);
        }
    }

    private void HardStop()
    {
        try
        {
            _hardStop.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Already stopped and disposed: nothing is left to cancel.
        }
    }

    private async Task StopCoreAsync(CancellationToken cancellationToken)
    {
        await Task.Yield();
        _draining = true;
        var drain = !cancellationToken.IsCancellationRequested;
        DaprWorkflowLog.Draining(_logger, Volatile.Read(ref _inFlight));
        _workflows.Writer.TryComplete();
        _activities.Writer.TryComplete();
        try
        {
            await Task.WhenAll(_consumers).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            if (drain)
            {
                DaprWorkflowLog.DrainTimedOut(_logger);
            }

            await _hardStop.CancelAsync().ConfigureAwait(false);
        }

        // A hard stop requested meanwhile by another caller also ends the wait above through the consumers.
        await _streamStop.CancelAsync().ConfigureAwait(false);
        if (_connectionLoop is not null)
        {
            await _connectionLoop.ConfigureAwait(false);
        }

        await Task.WhenAll(_consumers).ConfigureAwait(false);
    }

    /// <summary>Stops at once (no drain) if still running, and releases the channel.</summary>
    /// <returns>A task that completes when disposed.</returns>
    public async ValueTask DisposeAsync()
    {
        using (var expired = new CancellationTokenSource())
        {
            await expired.CancelAsync().ConfigureAwait(false);
            await StopAsync(expired.Token).ConfigureAwait(false);
        }

        _channel?.Dispose();
        _streamStop.Dispose();
        _hardStop.Dispose();
    }

    private async Task RunConnectionLoopAsync(CancellationToken stop)
    {
        var attempt = 0;
        long streamNumber = 0;
        while (!stop.IsCancellationRequested)
        {
            var session = new StreamSession(++streamNumber);
            var openedAt = _timeProvider.GetTimestamp();
            try
            {
                await _client!.HelloAsync(new Empty(), deadline: DateTime.UtcNow + _options.HelloTimeout, cancellationToken: stop).ConfigureAwait(false);
                using var call = _client.GetWorkItems(new P.GetWorkItemsRequest(), cancellationToken: stop);
                Counters.StreamOpened();
                SetConnected(true);
                DaprWorkflowLog.StreamOpened(_logger, _endpoint!, session.Number);
                using var helloCts = CancellationTokenSource.CreateLinkedTokenSource(stop);
                var hello = PeriodicHelloAsync(helloCts.Token);
                try
                {
                    while (await call.ResponseStream.MoveNext(stop).ConfigureAwait(false))
                    {
                        session.Received = true;
                        Dispatch(call.ResponseStream.Current, session);
                    }
                }
                finally
                {
                    await helloCts.CancelAsync().ConfigureAwait(false);
                    await hello.ConfigureAwait(false);
                }

                DaprWorkflowLog.StreamEnded(_logger, session.Number);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                break;
            }
            catch (RpcException) when (stop.IsCancellationRequested)
            {
                break;
            }
            catch (RpcException ex)
            {
                DaprWorkflowLog.StreamFailed(_logger, _endpoint!, ex.StatusCode, ex.Status.Detail);
            }
#pragma warning disable CA1031 // The loop must survive anything and reconnect; the exception is logged.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                DaprWorkflowLog.StreamCrashed(_logger, _endpoint!, ex);
            }
            finally
            {
                SetConnected(false);
                await session.LoseAsync().ConfigureAwait(false);
            }

            if (stop.IsCancellationRequested)
            {
                break;
            }

            // A stream that worked for a while starts the backoff over; one that keeps failing at once backs off further.
            if (session.Received || _timeProvider.GetElapsedTime(openedAt) >= StableStreamAge)
            {
                attempt = 0;
            }

            Counters.Reconnected();
            var delay = ReconnectDelay(attempt, _options.MinReconnectDelay, _options.MaxReconnectDelay, Random.Shared.NextDouble());
            attempt = Math.Min(attempt + 1, 30);
            DaprWorkflowLog.Reconnecting(_logger, delay, attempt);
            try
            {
                await Task.Delay(delay, _timeProvider, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    /// <summary>The delay before reconnect attempt <paramref name="attempt"/> (0-based): min·2^attempt plus up to 20 % jitter, capped at max.</summary>
    internal static TimeSpan ReconnectDelay(int attempt, TimeSpan min, TimeSpan max, double jitter)
    {
        var baseTicks = Math.Min(max.Ticks, min.Ticks * Math.Pow(2, Math.Clamp(attempt, 0, 30)));
        var withJitter = baseTicks * (1 + (0.2 * Math.Clamp(jitter, 0, 1)));
        return TimeSpan.FromTicks((long)Math.Min(max.Ticks, withJitter));
    }

    private async Task PeriodicHelloAsync(CancellationToken cancellationToken)
    {
        if (_options.HelloInterval <= TimeSpan.Zero)
        {
            return;
        }

        try
        {
            while (true)
            {
                await Task.Delay(_options.HelloInterval, _timeProvider, cancellationToken).ConfigureAwait(false);
                try
                {
                    await _client!.HelloAsync(new Empty(), deadline: DateTime.UtcNow + _options.HelloTimeout, cancellationToken: cancellationToken).ConfigureAwait(false);
                }
                catch (RpcException ex) when (!cancellationToken.IsCancellationRequested)
                {
                    DaprWorkflowLog.HelloFailed(_logger, ex.StatusCode);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The stream ended or the worker is stopping.
        }
        catch (RpcException) when (cancellationToken.IsCancellationRequested)
        {
            // Cancelled mid-call.
        }
    }

    private void Dispatch(P.WorkItem item, StreamSession session)
    {
        var queued = new QueuedWorkItem(item, session);
        switch (item.RequestCase)
        {
            case P.WorkItem.RequestOneofCase.WorkflowRequest:
                Counters.WorkflowWorkItem();
                if (!_workflows.Writer.TryWrite(queued))
                {
                    Counters.Dropped(); // stopping: the sidecar dispatches it again to the next worker
                }

                break;
            case P.WorkItem.RequestOneofCase.ActivityRequest:
                Counters.ActivityWorkItem();
                if (!_activities.Writer.TryWrite(queued))
                {
                    Counters.Dropped();
                }

                break;
            default:
                DaprWorkflowLog.EmptyWorkItem(_logger, item.CompletionToken);
                break;
        }
    }

    private async Task ConsumeAsync(ChannelReader<QueuedWorkItem> reader, Func<QueuedWorkItem, Task> run)
    {
        await foreach (var queued in reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
        {
            if (_draining || queued.Session.IsLost)
            {
                Counters.Dropped();
                continue;
            }

            Interlocked.Increment(ref _inFlight);
            try
            {
                await run(queued).ConfigureAwait(false);
            }
            finally
            {
                Interlocked.Decrement(ref _inFlight);
            }
        }
    }

    private async Task RunWorkflowTurnAsync(QueuedWorkItem queued)
    {
        var request = queued.Item.WorkflowRequest;
        if (request.RequiresHistoryStreaming)
        {
            DaprWorkflowLog.HistoryStreamingUnsupported(_logger, request.InstanceId);
            return;
        }

        var response = BuildWorkflowResponse(_registry, request, queued.Item.CompletionToken, _loggerFactory, _logger);
        try
        {
            await _client!.CompleteOrchestratorTaskAsync(response, cancellationToken: _hardStop.Token).ConfigureAwait(false);
        }
        catch (RpcException ex)
        {
            // No second "failure" response: the sidecar re-dispatches the turn (or ignores it if its stream is gone).
            Counters.CompletionFailed();
            DaprWorkflowLog.WorkflowCompletionFailed(_logger, request.InstanceId, ex.StatusCode, ex.Status.Detail);
        }
    }

    /// <summary>Runs one turn and builds its response; never throws (a worker failure becomes CompleteWorkflow{FAILED}).</summary>
    internal static P.WorkflowResponse BuildWorkflowResponse(
        WorkflowRegistry registry, P.WorkflowRequest request, string completionToken, ILoggerFactory loggerFactory, ILogger logger)
    {
        try
        {
            var past = WorkflowProtoTranslator.ToHistory(request.PastEvents);
            var fresh = WorkflowProtoTranslator.ToHistory(request.NewEvents);
            var result = WorkflowExecutor.Execute(registry, request.InstanceId, past, fresh, loggerFactory);
            return WorkflowProtoTranslator.ToResponse(request.InstanceId, completionToken, result.Actions, result.CustomStatus);
        }
#pragma warning disable CA1031 // A worker failure must still answer the turn, as a failed instance.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            DaprWorkflowLog.TurnCrashed(logger, request.InstanceId, ex);
            var nextId = request.PastEvents.Concat(request.NewEvents).Select(e => e.EventId).DefaultIfEmpty(-1).Max() + 1;
            var failed = new CompleteWorkflowAction(nextId, OrchestrationStatus.Failed, null, FailureDetails.FromException(ex), []);
            return WorkflowProtoTranslator.ToResponse(request.InstanceId, completionToken, [failed], null);
        }
    }

    private async Task RunActivityAsync(QueuedWorkItem queued)
    {
        var request = queued.Item.ActivityRequest;
        var instanceId = request.WorkflowInstance?.InstanceId ?? string.Empty;
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(queued.Session.Lost, _hardStop.Token);
        ActivityResult result;
        try
        {
            result = await ActivityExecutor.ExecuteAsync(
                _registry,
                request.Name,
                WorkflowProtoTranslator.Payload(request.Input),
                instanceId,
                request.TaskId,
                string.IsNullOrEmpty(request.TaskExecutionId) ? null : request.TaskExecutionId,
                cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            DaprWorkflowLog.ActivityAbandoned(_logger, request.Name, request.TaskId, instanceId);
            return;
        }
#pragma warning disable CA1031 // ActivityExecutor reports activity exceptions itself; anything else is a worker bug, logged, and the item re-dispatched.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            DaprWorkflowLog.ActivityCrashed(_logger, request.Name, request.TaskId, instanceId, ex);
            return;
        }

        var response = new P.ActivityResponse
        {
            InstanceId = instanceId,
            TaskId = request.TaskId,
            CompletionToken = queued.Item.CompletionToken,
        };
        if (result.FailureDetails is not null)
        {
            response.FailureDetails = WorkflowProtoTranslator.ToProto(result.FailureDetails);
        }
        else
        {
            response.Result = result.Output;
        }

        try
        {
            await _client!.CompleteActivityTaskAsync(response, cancellationToken: _hardStop.Token).ConfigureAwait(false);
        }
        catch (RpcException ex)
        {
            Counters.CompletionFailed();
            DaprWorkflowLog.ActivityCompletionFailed(_logger, request.Name, request.TaskId, instanceId, ex.StatusCode, ex.Status.Detail);
        }
    }

    private void SetConnected(bool connected)
    {
        lock (_connectedLock)
        {
            _isConnected = connected;
            if (connected)
            {
                _connected.TrySetResult();
            }
            else if (_connected.Task.IsCompleted)
            {
                _connected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }
    }

    private sealed record QueuedWorkItem(P.WorkItem Item, StreamSession Session);

    /// <summary>One GetWorkItems stream; its token is cancelled when the stream is lost.</summary>
#pragma warning disable CA1001 // Queued items read the token after the stream is gone; a cancelled, unlinked source holds nothing to release.
    private sealed class StreamSession(long number)
#pragma warning restore CA1001
    {
        private readonly CancellationTokenSource _lost = new();

        public long Number { get; } = number;

        public bool Received { get; set; }

        public bool IsLost => _lost.IsCancellationRequested;

        public CancellationToken Lost => _lost.Token;

        public Task LoseAsync() => _lost.CancelAsync();
    }
}

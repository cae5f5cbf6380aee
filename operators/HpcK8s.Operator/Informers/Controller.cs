using System.Diagnostics;
using HpcK8s.Operator.Telemetry;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace HpcK8s.Operator.Informers;

/// <summary>The controller loop: every change the informer sees (add, update, delete, resync) puts the object's key on
/// a <see cref="WorkQueue{TKey}"/>, and <see cref="ControllerOptions.Workers"/> workers hand the keys to the
/// <see cref="IReconciler"/>. A reconcile that throws is retried with per-key exponential back-off; one that returns
/// <see cref="ReconcileResult.RequeueAfter"/> is looked at again after that delay.</summary>
/// <typeparam name="T">The resource type the informer watches.</typeparam>
/// <remarks>
/// <para>A key is never reconciled twice at once; changes that arrive during a reconcile cause one more reconcile after
/// it. Reconcile reads the object from <see cref="ResourceInformer{T}.Get"/> (null: it is gone).</para>
/// <para><see cref="RunAsync"/> runs the informer itself if nobody runs it yet, and stops it again on the way out;
/// an informer already running (shared with other consumers) is used as it is and left running.</para>
/// </remarks>
public sealed class Controller<T>
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly ResourceInformer<T> _informer;
    private readonly IReconciler _reconciler;
    private readonly ControllerOptions _options;
    private readonly ILogger _logger;
    private readonly OperatorMetrics? _metrics;
    private readonly string _name;
    private int _started;

    /// <summary>Creates a controller; nothing happens until <see cref="RunAsync"/>.</summary>
    /// <param name="informer">The informer whose changes drive the controller.</param>
    /// <param name="reconciler">What to do for each key.</param>
    /// <param name="options">Workers and back-off; defaults when null. Validated here.</param>
    /// <param name="logger">Logger; none by default.</param>
    /// <param name="metrics">Reconcile counts and durations, queue depth (the controller sets
    /// <see cref="OperatorMetrics.QueueDepth"/>); optional.</param>
    /// <exception cref="ArgumentException">An option is out of range (the message names it).</exception>
    public Controller(ResourceInformer<T> informer, IReconciler reconciler, ControllerOptions? options = null, ILogger<Controller<T>>? logger = null, OperatorMetrics? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(informer);
        ArgumentNullException.ThrowIfNull(reconciler);
        options ??= new ControllerOptions();
        options.Validate();
        _informer = informer;
        _reconciler = reconciler;
        _options = options;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _metrics = metrics;
        _name = typeof(T).Name;
        Queue = new WorkQueue<ObjectKey>(options.BaseDelay, options.MaxDelay);
        if (metrics is not null)
        {
            metrics.QueueDepth = () => Queue.Count;
        }
    }

    /// <summary>The controller's queue: add keys to it to have them reconciled (e.g. from a second informer whose
    /// objects belong to one of ours).</summary>
    public WorkQueue<ObjectKey> Queue { get; }

    /// <summary>The informer the controller is driven by (and reads from).</summary>
    public ResourceInformer<T> Informer => _informer;

    /// <summary>Runs the controller until <paramref name="cancellationToken"/> is cancelled: adds the enqueueing handler to
    /// the informer, runs the informer unless it is already running, waits for its first list, then works the queue
    /// with <see cref="ControllerOptions.Workers"/> workers. On cancellation it shuts the queue down, waits for the
    /// reconciles in flight (they see the same token), stops the informer if it started it, and throws
    /// <see cref="OperationCanceledException"/>, the normal way to stop. Runs once per instance.</summary>
    /// <param name="cancellationToken">Stops the controller.</param>
    /// <returns>A task that ends, cancelled, on shutdown.</returns>
    /// <exception cref="InvalidOperationException">It was run before.</exception>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _started, 1) != 0)
        {
            throw new InvalidOperationException($"The {_name} controller runs once; create a new controller (its queue is shut down).");
        }

        _informer.AddHandler(new EnqueueHandler(Queue));

        // Shut the queue at once on cancellation, not only after the reconciles in flight have finished.
        using var shutDownOnCancel = cancellationToken.Register(static queue => ((WorkQueue<ObjectKey>)queue!).ShutDown(), Queue);
        using var stopInformer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var informerRun = _informer.RunIfIdle(stopInformer.Token);
        Task[] workers = [];
        try
        {
            ControllerLog.WaitingForSync(_logger, _name);
            var synced = _informer.WaitForSyncAsync(cancellationToken);
            if (informerRun is not null && await Task.WhenAny(synced, informerRun).ConfigureAwait(false) == informerRun)
            {
                // The informer only ends by cancellation; anything else is a bug worth surfacing as it is.
                await informerRun.ConfigureAwait(false);
            }

            await synced.ConfigureAwait(false);
            workers = new Task[_options.Workers];
            for (var i = 0; i < workers.Length; i++)
            {
                workers[i] = Task.Run(() => WorkAsync(cancellationToken), CancellationToken.None);
            }

            ControllerLog.Started(_logger, _name, workers.Length);
            await Task.WhenAll(workers).ConfigureAwait(false);
        }
        finally
        {
            ControllerLog.Stopping(_logger, _name, Queue.ProcessingCount);
            Queue.ShutDown();
            await Task.WhenAll(workers).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            if (informerRun is not null)
            {
                await stopInformer.CancelAsync().ConfigureAwait(false);
                await informerRun.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }

            Queue.Dispose();
            ControllerLog.Stopped(_logger, _name);
        }

        // Workers return only once the token is cancelled.
        cancellationToken.ThrowIfCancellationRequested();
    }

    private async Task WorkAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            (bool Ok, ObjectKey Key) next;
            try
            {
                next = await Queue.GetAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            if (!next.Ok)
            {
                return;
            }

            try
            {
                await ReconcileAsync(next.Key, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                Queue.Done(next.Key);
            }
        }
    }

    private async Task ReconcileAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        ReconcileResult result;
        try
        {
            result = await _reconciler.ReconcileAsync(key, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            ControllerLog.ReconcileCancelled(_logger, key);
            return;
        }
        catch (Exception e)
        {
            // Whatever the reconciler throws, the key is retried later; the worker carries on with the next key.
            _metrics?.Reconciled(OperatorMetrics.Error, Stopwatch.GetElapsedTime(started));
            ControllerLog.ReconcileFailed(_logger, e, key, Queue.NumRequeues(key) + 1);
            Queue.AddRateLimited(key);
            return;
        }

        var duration = Stopwatch.GetElapsedTime(started);
        _metrics?.Reconciled(OperatorMetrics.Success, duration);
        Queue.Forget(key);
        if (result.RequeueAfter is { } after)
        {
            ControllerLog.RequeuedAfter(_logger, key, after);
            Queue.AddAfter(key, after);
        }
        else
        {
            ControllerLog.Reconciled(_logger, key, duration);
        }
    }

    /// <summary>Puts the key of every object the informer reports on the queue.</summary>
    private sealed class EnqueueHandler(WorkQueue<ObjectKey> queue) : IResourceEventHandler<T>
    {
        public void OnAdd(T obj) => queue.Add(ObjectKey.Of(obj));

        public void OnUpdate(T oldObj, T newObj) => queue.Add(ObjectKey.Of(newObj));

        public void OnDelete(T obj) => queue.Add(ObjectKey.Of(obj));
    }
}

using System.Globalization;
using HpcK8s.Core.Kernels;
using HpcK8s.Core.Validation;

namespace HpcK8s.Worker.Tests;

/// <summary>Kernel <c>slow</c>: every shard waits <c>sleepMs</c> (honouring cancellation, as real kernels do) and
/// returns its index. <see cref="Started"/> completes when the first shard starts.</summary>
internal sealed class SlowKernel : IComputeKernel
{
    private static readonly KernelParameter[] Params = [new("sleepMs", "integer", false, "0", "milliseconds each shard waits")];
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _finished;
    private int _cancelled;

    public string Name => "slow";

    public string Summary => "test kernel whose shards take a while";

    public IReadOnlyList<KernelParameter> Parameters => Params;

    public Task Started => _started.Task;

    public int Finished => Volatile.Read(ref _finished);

    public int Cancelled => Volatile.Read(ref _cancelled);

    public IReadOnlyList<ValidationError> Validate(KernelJob job) => [];

    public string DescribeShard(KernelJob job, int index) => $"shard {index}";

    public string ExecuteShard(KernelJob job, int index, CancellationToken cancellationToken)
    {
        _started.TrySetResult();
        var sleep = int.Parse(job.Parameters.GetValueOrDefault("sleepMs", "0"), CultureInfo.InvariantCulture);
        if (cancellationToken.WaitHandle.WaitOne(sleep))
        {
            Interlocked.Increment(ref _cancelled);
            cancellationToken.ThrowIfCancellationRequested();
        }

        Interlocked.Increment(ref _finished);
        return index.ToString(CultureInfo.InvariantCulture);
    }

    public string Merge(KernelJob job, string left, string right) => left + "," + right;

    public KernelResult Finish(KernelJob job, string merged, CancellationToken cancellationToken) => new(merged, new Dictionary<string, string>());
}

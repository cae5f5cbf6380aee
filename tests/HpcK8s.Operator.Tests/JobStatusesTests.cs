using HpcK8s.Core.Model;
using HpcK8s.Operator.Reconciliation;

namespace HpcK8s.Operator.Tests;

public sealed class JobStatusesTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 10, 0, 0, 500, TimeSpan.Zero);

    [Fact]
    public void SetCondition_MovesLastTransitionTimeOnlyWhenTheStatusChanges()
    {
        var status = new ComputeJobStatus();
        Assert.True(JobStatuses.SetCondition(status, "Running", true, "A", "a", T0));
        Assert.False(JobStatuses.SetCondition(status, "Running", true, "B", "b", T0.AddMinutes(1)));
        var running = Assert.Single(status.Conditions);
        Assert.Equal((T0.AddMilliseconds(-500), "B", "b"), (running.LastTransitionTime, running.Reason, running.Message));

        Assert.True(JobStatuses.SetCondition(status, "Running", false, "C", "c", T0.AddMinutes(2)));
        Assert.Equal(T0.AddMinutes(2).AddMilliseconds(-500), running.LastTransitionTime);
    }

    [Fact]
    public void Same_ComparesAsTheApiServerWould()
    {
        var a = new ComputeJobStatus { Phase = JobPhase.Running, Progress = "1/2" };
        var b = JobStatuses.Copy(a);
        Assert.True(JobStatuses.Same(a, b));
        b.Shards.Running = 1;
        Assert.False(JobStatuses.Same(a, b));
        Assert.False(JobStatuses.Same(null, a));
        Assert.True(JobStatuses.Same(null, null));
    }

    [Theory]
    [InlineData(10, 10)]
    [InlineData(64, 64)]
    [InlineData(1_000_001, 64)]
    public void Shorten_KeepsAtMost64Characters(int length, int expected)
    {
        var value = new string('3', length);
        var shown = JobStatuses.Shorten(value);
        Assert.Equal(expected, shown.Length);
        Assert.Equal(length > 64, shown.EndsWith('…'));
    }
}

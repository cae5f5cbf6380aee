using System.Text.Json;
using HpcK8s.Workflows.History;

namespace HpcK8s.Workflows.Tests;

public class HistoryJsonTests
{
    private static readonly DateTime T = new(2025, 3, 4, 5, 6, 7, DateTimeKind.Utc);
    private static readonly FailureDetails Failure = new("E", "m", "st", new FailureDetails("I", "inner"), true);

    public static TheoryData<HistoryEvent> Events() =>
    [
        new ExecutionStartedEvent(-1, T, "W", "i", "e", "1", new ParentInstanceInfo(3, "P", "p", "pe")),
        new ExecutionCompletedEvent(-1, T, OrchestrationStatus.Failed, null, Failure),
        new ExecutionTerminatedEvent(-1, T, "\"r\"", true),
        new TaskScheduledEvent(4, T, "A", "{}", "x"),
        new TaskCompletedEvent(-1, T, 4, "2", "x"),
        new TaskFailedEvent(-1, T, 4, Failure, "x"),
        new ChildWorkflowInstanceCreatedEvent(5, T, "c", "C", null),
        new ChildWorkflowInstanceCompletedEvent(-1, T, 5, "3"),
        new ChildWorkflowInstanceFailedEvent(-1, T, 5, Failure),
        new TimerCreatedEvent(6, T, T.AddHours(1), "n", TimerOrigin.ExternalEvent("n")),
        new TimerFiredEvent(-1, T, T.AddHours(1), 6),
        new WorkflowStartedEvent(-1, T),
        new WorkflowCompletedEvent(-1, T),
        new EventSentEvent(7, T, "o", "N", "1"),
        new EventRaisedEvent(-1, T, "N", "1"),
        new ContinueAsNewEvent(-1, T, "5"),
        new ExecutionSuspendedEvent(-1, T, null),
        new ExecutionResumedEvent(-1, T, null),
    ];

    [Theory]
    [MemberData(nameof(Events))]
    public void HistoryEvent_RoundTripsThroughPolymorphicJson(HistoryEvent e)
    {
        var json = JsonSerializer.Serialize(e, WorkflowJson.Options);
        var back = JsonSerializer.Deserialize<HistoryEvent>(json, WorkflowJson.Options);

        Assert.StartsWith("{\"kind\":", json);
        Assert.Equal(e, back);
    }

    [Fact]
    public void WorkflowAction_RoundTripsThroughPolymorphicJson()
    {
        WorkflowAction[] actions =
        [
            new ScheduleTaskAction(0, "A", "1", "x"),
            new CreateChildWorkflowAction(1, "c", "C", null),
            new CreateTimerAction(2, T, null, TimerOrigin.ActivityRetry("x")),
            new SendEventAction(3, "o", "N", "{}"),
        ];
        var completion = new CompleteWorkflowAction(4, OrchestrationStatus.ContinuedAsNew, "7", null, [new EventRaisedEvent(-1, T, "N", "1")]);

        var back = JsonSerializer.Deserialize<WorkflowAction[]>(JsonSerializer.Serialize(actions, WorkflowJson.Options), WorkflowJson.Options);
        var completionBack = (CompleteWorkflowAction)JsonSerializer.Deserialize<WorkflowAction>(
            JsonSerializer.Serialize<WorkflowAction>(completion, WorkflowJson.Options), WorkflowJson.Options)!;

        Assert.Equal(actions, back);
        Assert.Equal((4, OrchestrationStatus.ContinuedAsNew, "7"), (completionBack.Id, completionBack.Status, completionBack.Result));
        Assert.Equal(completion.CarryoverEvents, completionBack.CarryoverEvents);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("null")]
    [InlineData(" null ")]
    public void Deserialize_NullLikePayloads_GiveDefault(string? json)
    {
        Assert.Null(WorkflowJson.Deserialize<string>(json));
        Assert.Equal(0, WorkflowJson.Deserialize<int>(json));
        var type = typeof(object);
        Assert.Null(WorkflowJson.Deserialize(json, type));
    }

    [Fact]
    public void Serialize_UsesWebDefaultsAndWritesNullAsNull()
    {
        Assert.Equal("{\"shardCount\":4}", WorkflowJson.Serialize(new { ShardCount = 4 }));
        Assert.Null(WorkflowJson.Serialize(null));
    }
}

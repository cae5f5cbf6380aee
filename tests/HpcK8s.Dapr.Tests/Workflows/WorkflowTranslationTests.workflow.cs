using Google.Protobuf;
using HpcK8s.Dapr.Workflows;
using HpcK8s.Workflows.Authoring;
using HpcK8s.Workflows.History;
using Microsoft.Extensions.Logging.Abstractions;
using P = HpcK8s.Dapr.Protos;

namespace HpcK8s.Dapr.Tests.Workflows;

/// <summary>The worker's translation of recorded daprd work items into executor turns and back.</summary>
public sealed class WorkflowTranslationTests
{
    private static readonly WorkflowRegistry Registry = new WorkflowRegistry()
        .RegisterWorkflow<string?, string>("Greet", async (context, name) =>
        {
            context.SetCustomStatus(new { step = "greeting" });
            return await context.CallActivityAsync<string>("SayHello", name, new WorkflowTaskOptions(new WorkflowRetryPolicy(2, TimeSpan.FromSeconds(1))));
        })
        .RegisterWorkflow<string?, Guid>("NewGuid", (context, _) => Task.FromResult(context.NewGuid()))
        .RegisterWorkflow<string?, string>("WaitWithTimeout", (context, _) => context.WaitForExternalEventAsync<string>("Go", TimeSpan.FromMinutes(5)))
        .RegisterActivity<string?, string>("SayHello", (_, name) => Task.FromResult("hello " + name));

    [Fact]
    public void FirstTurn_RecordedDaprWorkItem_SchedulesTheActivityAndEchoesTheToken()
    {
        var item = RecordedDaprWorkItems.Parse(RecordedDaprWorkItems.FirstTurn("inst-1", "Greet", "exec-1", "\"ada\"", "token-abc"));

        var response = Turn(item);

        Assert.Equal("inst-1", response.InstanceId);
        Assert.Equal("token-abc", response.CompletionToken);
        var action = Assert.Single(response.Actions);
        Assert.Equal(0, action.Id);
        Assert.Equal(P.WorkflowAction.WorkflowActionTypeOneofCase.ScheduleTask, action.WorkflowActionTypeCase);
        Assert.Equal("SayHello", action.ScheduleTask.Name);
        Assert.Equal("\"ada\"", action.ScheduleTask.Input);
        Assert.False(string.IsNullOrEmpty(action.ScheduleTask.TaskExecutionId));
        Assert.Null(action.Router); // routers are read from daprd, never written
        Assert.Equal("""{"step":"greeting"}""", response.CustomStatus);
    }

    [Fact]
    public void SecondTurn_RecordedDaprWorkItem_ReplaysAndCompletesWithCustomStatusAgain()
    {
        var first = Turn(RecordedDaprWorkItems.Parse(RecordedDaprWorkItems.FirstTurn("inst-2", "Greet", "exec-2", "\"bo\"", "t1")));
        var taskExecutionId = first.Actions[0].ScheduleTask.TaskExecutionId;
        var item = RecordedDaprWorkItems.Parse(RecordedDaprWorkItems.SecondTurn("inst-2", "Greet", "exec-2", "SayHello", taskExecutionId, "\"hello bo\"", "t2"));

        var response = Turn(item);

        Assert.Equal("t2", response.CompletionToken);
        var action = Assert.Single(response.Actions);
        Assert.Equal(P.WorkflowAction.WorkflowActionTypeOneofCase.CompleteWorkflow, action.WorkflowActionTypeCase);
        Assert.Equal(P.OrchestrationStatus.Completed, action.CompleteWorkflow.WorkflowStatus);
        Assert.Equal("\"hello bo\"", action.CompleteWorkflow.Result);
        Assert.Equal("""{"step":"greeting"}""", response.CustomStatus); // every turn, or daprd clears it
    }

    [Fact]
    public void ExecutionId_IsReadFromExecutionStarted_NotFromTheRequest()
    {
        var a = RecordedDaprWorkItems.Parse(RecordedDaprWorkItems.FirstTurn("inst-3", "NewGuid", "exec-A", null, "t"));
        var b = RecordedDaprWorkItems.Parse(RecordedDaprWorkItems.FirstTurn("inst-3", "NewGuid", "exec-B", null, "t"));
        var aWithRequestExecutionId = RecordedDaprWorkItems.Parse(RecordedDaprWorkItems.FirstTurn("inst-3", "NewGuid", "exec-A", null, "t"));
        aWithRequestExecutionId.WorkflowRequest.ExecutionId = "something-else";

        var guidA = Turn(a).Actions.Single().CompleteWorkflow.Result;
        var guidB = Turn(b).Actions.Single().CompleteWorkflow.Result;
        var guidA2 = Turn(aWithRequestExecutionId).Actions.Single().CompleteWorkflow.Result;

        Assert.NotEqual(guidA, guidB);
        Assert.Equal(guidA, guidA2);
    }

    [Fact]
    public void DaprOnlyFields_RouterUnknownFieldsAndStalledEvents_AreIgnored()
    {
        var item = RecordedDaprWorkItems.Parse(RecordedDaprWorkItems.SecondTurn("inst-4", "Greet", "exec-4", "SayHello", "te-1", "\"x\"", "t"));

        Assert.NotNull(item.WorkflowRequest.Router);
        Assert.Contains(item.WorkflowRequest.PastEvents, e => e.Router is not null);
        Assert.Contains(item.WorkflowRequest.PastEvents, e => e.EventTypeCase == P.HistoryEvent.EventTypeOneofCase.ExecutionStalled);

        var history = WorkflowProtoTranslator.ToHistory(item.WorkflowRequest.PastEvents);

        Assert.Equal([typeof(WorkflowStartedEvent), typeof(ExecutionStartedEvent), typeof(TaskScheduledEvent)], history.Select(e => e.GetType()));
        var started = Assert.IsType<ExecutionStartedEvent>(history[1]);
        Assert.Equal("exec-4", started.ExecutionId);
        Assert.Equal("inst-4", started.InstanceId);
        var scheduled = Assert.IsType<TaskScheduledEvent>(history[2]);
        Assert.Equal(0, scheduled.EventId);
        Assert.Equal("te-1", scheduled.TaskExecutionId);
    }

    [Fact]
    public void ActivityWorkItem_Recorded_CarriesTaskExecutionIdAndInstance()
    {
        var item = RecordedDaprWorkItems.Parse(RecordedDaprWorkItems.Activity("inst-5", "SayHello", 3, "\"cy\"", "te-9", "act-token"));

        Assert.Equal(P.WorkItem.RequestOneofCase.ActivityRequest, item.RequestCase);
        Assert.Equal("act-token", item.CompletionToken);
        Assert.Equal("te-9", item.ActivityRequest.TaskExecutionId);
        Assert.Equal("inst-5", item.ActivityRequest.WorkflowInstance.InstanceId);
        Assert.Equal(3, item.ActivityRequest.TaskId);
    }

    [Fact]
    public void Terminated_ReplyIsOnlyCompleteWorkflowTerminatedWithTheInput()
    {
        var item = RecordedDaprWorkItems.Parse(RecordedDaprWorkItems.FirstTurn("inst-6", "Greet", "exec-6", "\"dee\"", "t"));
        item.WorkflowRequest.NewEvents.Add(new P.HistoryEvent
        {
            EventId = -1,
            ExecutionTerminated = new P.ExecutionTerminatedEvent { Input = "\"stop\"", Recurse = true },
        });

        var response = Turn(item);

        var action = Assert.Single(response.Actions);
        Assert.Equal(P.OrchestrationStatus.Terminated, action.CompleteWorkflow.WorkflowStatus);
        Assert.Equal("\"stop\"", action.CompleteWorkflow.Result);
    }

    [Fact]
    public void NonDeterministicHistory_FailsTheInstanceNonRetriably()
    {
        var item = RecordedDaprWorkItems.Parse(RecordedDaprWorkItems.SecondTurn("inst-7", "Greet", "exec-7", "SomethingElse", "te", "\"x\"", "t"));

        var action = Assert.Single(Turn(item).Actions);

        Assert.Equal(P.OrchestrationStatus.Failed, action.CompleteWorkflow.WorkflowStatus);
        Assert.Equal(WorkflowErrorTypes.NonDeterministic, action.CompleteWorkflow.FailureDetails.ErrorType);
        Assert.True(action.CompleteWorkflow.FailureDetails.IsNonRetriable);
    }

    [Fact]
    public void ExternalEventTimeout_TimerCarriesNameAndExternalEventOrigin()
    {
        var item = RecordedDaprWorkItems.Parse(RecordedDaprWorkItems.FirstTurn("inst-8", "WaitWithTimeout", "exec-8", null, "t"));

        var action = Assert.Single(Turn(item).Actions);

        Assert.Equal(P.WorkflowAction.WorkflowActionTypeOneofCase.CreateTimer, action.WorkflowActionTypeCase);
        Assert.Equal("Go", action.CreateTimer.Name);
        Assert.Equal(P.CreateTimerAction.OriginOneofCase.ExternalEvent, action.CreateTimer.OriginCase);
        Assert.Equal("Go", action.CreateTimer.ExternalEvent.Name);
        Assert.Equal(RecordedDaprWorkItems.Start.AddMinutes(5), action.CreateTimer.FireAt.ToDateTime());
    }

    [Fact]
    public void UnknownWorkflow_FailsWithWorkflowNotFound()
    {
        var item = RecordedDaprWorkItems.Parse(RecordedDaprWorkItems.FirstTurn("inst-9", "NoSuchWorkflow", "exec-9", null, "t"));

        var action = Assert.Single(Turn(item).Actions);

        Assert.Equal(P.OrchestrationStatus.Failed, action.CompleteWorkflow.WorkflowStatus);
        Assert.Equal(WorkflowErrorTypes.WorkflowNotFound, action.CompleteWorkflow.FailureDetails.ErrorType);
    }

    [Fact]
    public void Response_NeverWritesFieldsWhoseMeaningDiffers()
    {
        var response = Turn(RecordedDaprWorkItems.Parse(RecordedDaprWorkItems.FirstTurn("inst-10", "Greet", "exec-10", "\"e\"", "t")));
        var bytes = response.ToByteArray();

        var responseFields = FieldNumbers(bytes);
        Assert.DoesNotContain(6, responseFields); // version
        var action = ReadFields(bytes).Single(f => f.Field == 2).Value;
        Assert.DoesNotContain(9, FieldNumbers(action)); // router (Microsoft: rewind)
        var schedule = ReadFields(action).Single(f => f.Field == 2).Value;
        Assert.DoesNotContain(4, FieldNumbers(schedule)); // router/tags
        Assert.Contains(5, FieldNumbers(schedule)); // taskExecutionId, which daprd needs
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("null")]
    public void Payload_AbsentEmptyOrNull_ReadsAsNull(string? value) => Assert.Null(WorkflowProtoTranslator.Payload(value));

    [Fact]
    public void FailureDetails_RoundTrip_KeepsTheInnerChain()
    {
        var failure = new FailureDetails("System.InvalidOperationException", "outer", "at A()", new FailureDetails("System.ArgumentException", "inner", null, null, true));

        var roundTripped = WorkflowProtoTranslator.ToFailure(P.TaskFailureDetails.Parser.ParseFrom(WorkflowProtoTranslator.ToProto(failure).ToByteArray()));

        Assert.Equal(failure, roundTripped);
    }

    private static P.WorkflowResponse Turn(P.WorkItem item) =>
        DaprWorkflowWorker.BuildWorkflowResponse(Registry, item.WorkflowRequest, item.CompletionToken, NullLoggerFactory.Instance, NullLogger.Instance);

    private static List<int> FieldNumbers(byte[] message) => ReadFields(message).Select(f => f.Field).ToList();

    private static List<(int Field, byte[] Value)> ReadFields(byte[] message)
    {
        var result = new List<(int, byte[])>();
        var input = new CodedInputStream(message);
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            var field = WireFormat.GetTagFieldNumber(tag);
            if (WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited)
            {
                result.Add((field, input.ReadBytes().ToByteArray()));
            }
            else
            {
                input.SkipLastField();
                result.Add((field, []));
            }
        }

        return result;
    }
}

using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using P = HpcK8s.Dapr.Protos;

namespace HpcK8s.Dapr.Tests.Workflows;

/// <summary>
/// Work items as daprd sends them, built byte for byte from the brief's rules for Dapr-only fields: a completion token
/// (field 10), a router on the request (7) and on events (30), an empty <c>WorkflowRequest.executionId</c> with the real
/// one in <c>ExecutionStarted.workflowInstance</c>, fields this worker does not know (propagatedHistory 8, cachedHistory 9,
/// tags) and event kinds it does not model (executionStalled 31).
/// </summary>
internal static class RecordedDaprWorkItems
{
    public static readonly DateTime Start = new(2026, 3, 1, 12, 0, 0, DateTimeKind.Utc);

    public static P.WorkItem Parse(byte[] bytes) => P.WorkItem.Parser.ParseFrom(bytes);

    /// <summary>The first turn: [WorkflowStarted, ExecutionStarted].</summary>
    public static byte[] FirstTurn(string instanceId, string workflowName, string executionId, string? input, string completionToken)
    {
        var request = Message(w =>
        {
            w.String(1, instanceId);
            w.Message(4, WorkflowStarted(Start));
            w.Message(4, ExecutionStarted(workflowName, instanceId, executionId, input));
            w.Message(7, Router("hpck8s-worker", "hpck8s-worker"));
            w.Message(8, Message(p => p.String(1, "propagated history this worker ignores")));
        });
        return Message(w =>
        {
            w.Message(1, request);
            w.String(10, completionToken);
        });
    }

    /// <summary>A later turn: past = the first turn plus the scheduled activity; new = WorkflowStarted and its completion.</summary>
    public static byte[] SecondTurn(string instanceId, string workflowName, string executionId, string activityName, string taskExecutionId, string result, string completionToken)
    {
        var request = Message(w =>
        {
            w.String(1, instanceId);
            w.Message(3, WorkflowStarted(Start));
            w.Message(3, ExecutionStarted(workflowName, instanceId, executionId, null));
            w.Message(3, Event(0, Start, 6, Message(t =>
            {
                t.String(1, activityName);
                t.String(5, taskExecutionId);
            }), withRouter: true));
            w.Message(3, Event(-1, Start, 31, Message(s => s.Varint(1, 1)))); // executionStalled, not modelled
            w.Message(4, WorkflowStarted(Start.AddSeconds(5)));
            w.Message(4, Event(-1, Start.AddSeconds(5), 7, Message(t =>
            {
                t.Varint(1, 0);
                t.Message(2, StringValue(result));
                t.String(3, taskExecutionId);
            })));
            w.Message(7, Router("hpck8s-worker", "hpck8s-worker"));
            w.Message(9, Message(c => c.String(1, "cached history this worker ignores")));
        });
        return Message(w =>
        {
            w.Message(1, request);
            w.String(10, completionToken);
        });
    }

    /// <summary>An activity request with Dapr's taskExecutionId (7) and the instance in workflowInstance (4).</summary>
    public static byte[] Activity(string instanceId, string name, int taskId, string input, string taskExecutionId, string completionToken)
    {
        var request = Message(w =>
        {
            w.String(1, name);
            w.Message(3, StringValue(input));
            w.Message(4, Message(i => i.String(1, instanceId)));
            w.Varint(5, (ulong)taskId);
            w.String(7, taskExecutionId);
        });
        return Message(w =>
        {
            w.Message(2, request);
            w.String(10, completionToken);
        });
    }

    public static byte[] WorkflowStarted(DateTime at) => Event(-1, at, 14, []);

    public static byte[] ExecutionStarted(string name, string instanceId, string executionId, string? input) =>
        Event(-1, Start, 3, Message(w =>
        {
            w.String(1, name);
            if (input is not null)
            {
                w.Message(3, StringValue(input));
            }

            w.Message(4, Message(i =>
            {
                i.String(1, instanceId);
                i.Message(2, StringValue(executionId));
            }));
            w.Message(9, Message(tag =>
            {
                tag.String(1, "team");
                tag.String(2, "hpc");
            }));
        }));

    public static byte[] Event(int eventId, DateTime timestamp, int kind, byte[] payload, bool withRouter = false) => Message(w =>
    {
        w.Varint(1, unchecked((ulong)(long)eventId));
        w.Message(2, Timestamp.FromDateTime(timestamp).ToByteArray());
        w.Message(kind, payload);
        if (withRouter)
        {
            w.Message(30, Router("app-a", "app-b"));
        }
    });

    private static byte[] Router(string source, string target) => Message(w =>
    {
        w.String(1, source);
        w.String(2, target);
    });

    private static byte[] StringValue(string value) => Message(w => w.String(1, value));

    private static byte[] Message(Action<Writer> write)
    {
        using var stream = new MemoryStream();
        using (var output = new CodedOutputStream(stream, leaveOpen: true))
        {
            write(new Writer(output));
        }

        return stream.ToArray();
    }

    internal sealed class Writer(CodedOutputStream output)
    {
        public void String(int field, string value)
        {
            output.WriteTag(field, WireFormat.WireType.LengthDelimited);
            output.WriteString(value);
        }

        public void Message(int field, byte[] bytes)
        {
            output.WriteTag(field, WireFormat.WireType.LengthDelimited);
            output.WriteBytes(ByteString.CopyFrom(bytes));
        }

        public void Varint(int field, ulong value)
        {
            output.WriteTag(field, WireFormat.WireType.Varint);
            output.WriteUInt64(value);
        }
    }
}

namespace HpcK8s.Cli.Tests.Kube;

/// <summary>Statuses as the operator writes them (CRD: charts/hpck8s/crds/computejobs.hpck8s.io.yaml).</summary>
internal static class Status
{
    public const string Started = "2025-03-14T15:09:26Z";
    public const string Finished = "2025-03-14T15:11:31Z";
    public const string Digest = "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    public const string Head = "sha256:2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae";

    public static object Pending() => new
    {
        phase = "Pending",
        progress = "0/4",
        shards = new { total = 4, succeeded = 0, failed = 0, running = 0 },
        conditions = new[] { Condition("Ready", "True", "Accepted", "the spec is valid") },
        observedGeneration = 1,
    };

    public static object Running(int succeeded, int total = 4, int running = 2) => new
    {
        phase = "Running",
        progress = $"{succeeded}/{total}",
        shards = new { total, succeeded, failed = 0, running },
        startTime = Started,
        conditions = new[]
        {
            Condition("Ready", "True", "Accepted", "the spec is valid"),
            Condition("Running", "True", "ShardsRunning", $"{succeeded} of {total} shards done"),
        },
        workflowInstanceId = "pi-7f3a",
        observedGeneration = 1,
    };

    public static object Succeeded(int total, string value) => new
    {
        phase = "Succeeded",
        progress = $"{total}/{total}",
        shards = new { total, succeeded = total, failed = 0, running = 0 },
        result = new { value, digest = Digest },
        ledger = new { id = "pi-7f3a", height = total + 1, head = Head, replicas = 3, verified = true },
        startTime = Started,
        completionTime = Finished,
        conditions = new[]
        {
            Condition("Ready", "True", "Accepted", "the spec is valid"),
            Condition("Running", "False", "Completed", "every shard produced a result"),
            Condition("Complete", "True", "Completed", "every shard produced a result"),
        },
        workflowInstanceId = "pi-7f3a",
        observedGeneration = 1,
    };

    public static object Failed(string reason, string message) => new
    {
        phase = "Failed",
        progress = "2/4",
        shards = new { total = 4, succeeded = 2, failed = 1, running = 0 },
        startTime = Started,
        completionTime = Finished,
        conditions = new[]
        {
            Condition("Ready", "True", "Accepted", "the spec is valid"),
            Condition("Failed", "True", reason, message),
        },
        observedGeneration = 1,
    };

    public static object Condition(string type, string status, string reason, string message) =>
        new { type, status, reason, message, lastTransitionTime = Started };
}

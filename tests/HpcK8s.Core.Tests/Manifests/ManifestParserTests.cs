using HpcK8s.Core.Manifests;
using HpcK8s.Core.Model;
using HpcK8s.Core.Tests.Support;
using HpcK8s.Core.Validation;

namespace HpcK8s.Core.Tests.Manifests;

public class ManifestParserTests
{
    private const string Valid = """
        apiVersion: hpck8s.io/v1alpha1
        kind: ComputeJob
        metadata:
          name: sum-it
          labels: { team: hpc }
        spec:
          kernel: { name: count }
          parameters: { n: "1000" }
          shards: 8
          parallelism: 4
          retry: { maxAttempts: 5, backoff: 500ms }
          activeDeadlineSeconds: 60
          suspend: false
          ledger: { replicas: 3 }
          ttlSecondsAfterFinished: 100
        """;

    private static ManifestParseResult Parse(string yaml) => ManifestParser.Parse(yaml, "job.yaml", CountingKernel.Registry);

    private static ValidationError SingleError(string yaml)
    {
        var result = Parse(yaml);
        return Assert.Single(result.Errors);
    }

    [Fact]
    public void Parse_ValidManifest_ReadsEveryField()
    {
        var result = Parse(Valid);
        Assert.Empty(result.Errors);
        var job = Assert.Single(result.Jobs);
        Assert.Equal("sum-it", job.Metadata.Name);
        Assert.Equal("hpc", job.Metadata.Labels["team"]);
        Assert.Equal("count", job.Spec.Kernel.Name);
        Assert.Equal("1000", job.Spec.Parameters["n"]);
        Assert.Equal(8, job.Spec.Shards);
        Assert.Equal(4, job.Spec.Parallelism);
        Assert.Equal(5, job.Spec.Retry.MaxAttempts);
        Assert.Equal("500ms", job.Spec.Retry.Backoff);
        Assert.Equal(60, job.Spec.ActiveDeadlineSeconds);
        Assert.Equal(3, job.Spec.Ledger.Replicas);
        Assert.Equal(100, job.Spec.TtlSecondsAfterFinished);
    }

    [Fact]
    public void Parse_MinimalManifest_AppliesDefaults()
    {
        var job = Assert.Single(Parse("""
            apiVersion: hpck8s.io/v1alpha1
            kind: ComputeJob
            metadata: { name: a }
            spec: { kernel: { name: count }, parameters: { n: "5" } }
            """).GetJobsOrThrow());
        Assert.Equal(1, job.Spec.Shards);
        Assert.Equal(1, job.Spec.EffectiveParallelism);
        Assert.Equal(3, job.Spec.Retry.MaxAttempts);
        Assert.Equal("2s", job.Spec.Retry.Backoff);
        Assert.Null(job.Spec.ActiveDeadlineSeconds);
    }

    [Fact]
    public void Parse_MultipleDocuments_ReadsEachAndSkipsEmptyOnes()
    {
        var yaml = Valid + "\n---\n---\n" + Valid.Replace("sum-it", "second", StringComparison.Ordinal);
        var result = Parse(yaml);
        Assert.Empty(result.Errors);
        Assert.Equal(["sum-it", "second"], result.Jobs.Select(j => j.Metadata.Name));
    }

    [Fact]
    public void Parse_NegativeShards_NamesFieldRangeAndValue()
    {
        var error = SingleError(Valid.Replace("shards: 8", "shards: -3", StringComparison.Ordinal).Replace("parallelism: 4", "parallelism: 1", StringComparison.Ordinal));
        Assert.Equal("spec.shards", error.Path);
        Assert.Equal("must be between 1 and 1000000, got -3", error.Message);
        Assert.Equal("job.yaml:9:11", error.Location);
        Assert.Equal("job.yaml:9:11: spec.shards: must be between 1 and 1000000, got -3", error.ToString());
    }

    [Theory]
    [InlineData("shards: 8", "shards: 0", "spec.shards", "must be between 1 and 1000000, got 0")]
    [InlineData("shards: 8", "shards: eight", "spec.shards", "must be an integer, got the string 'eight'")]
    [InlineData("shards: 8", "shards: \"8\"", "spec.shards", "must be an integer, got the string '8'")]
    [InlineData("parallelism: 4", "parallelism: 9", "spec.parallelism", "must be between 1 and spec.shards (8), got 9")]
    [InlineData("maxAttempts: 5", "maxAttempts: 0", "spec.retry.maxAttempts", "must be between 1 and 100, got 0")]
    [InlineData("backoff: 500ms", "backoff: soon", "spec.retry.backoff", "must be a duration such as 500ms, 2s, 1m30s or 1h, at most 1h, got 'soon'")]
    [InlineData("activeDeadlineSeconds: 60", "activeDeadlineSeconds: 0", "spec.activeDeadlineSeconds", "must be at least 1, got 0")]
    [InlineData("suspend: false", "suspend: maybe", "spec.suspend", "must be true or false, got the string 'maybe'")]
    [InlineData("replicas: 3", "replicas: 9", "spec.ledger.replicas", "must be between 1 and 7, got 9")]
    [InlineData("ttlSecondsAfterFinished: 100", "ttlSecondsAfterFinished: -1", "spec.ttlSecondsAfterFinished", "must be 0 or more, got -1")]
    [InlineData("name: sum-it", "name: Sum_It", "metadata.name", "must be at most 63 lowercase letters, digits and '-', starting and ending with a letter or digit, got 'Sum_It'")]
    [InlineData("apiVersion: hpck8s.io/v1alpha1", "apiVersion: batch/v1", "apiVersion", "must be hpck8s.io/v1alpha1, got 'batch/v1'")]
    [InlineData("kind: ComputeJob", "kind: Job", "kind", "must be ComputeJob, got 'Job'")]
    [InlineData("kernel: { name: count }", "kernel: { name: nope }", "spec.kernel.name", "unknown kernel 'nope'; known kernels: count")]
    [InlineData("kernel: { name: count }", "kernel: { appId: my-app }", "spec.kernel.method", "is required with spec.kernel.appId: the method the app serves shards on")]
    [InlineData("kernel: { name: count }", "kernel: { name: count, appId: x, method: y }", "spec.kernel", "must set either name or appId, not both")]
    [InlineData("kernel: { name: count }", "kernel: {}", "spec.kernel", "must set name (one of: count) or appId and method")]
    [InlineData("n: \"1000\"", "n: \"lots\"", "spec.parameters.n", "must be an integer between 1 and 1,000,000, got 'lots'")]
    [InlineData("n: \"1000\"", "n: 1000", "spec.parameters.n", "must be a string, got an integer (1000); quote it: \"1000\"")]
    [InlineData("n: \"1000\"", "m: \"1\", n: \"1000\"", "spec.parameters.m", "unknown parameter; this kernel accepts: n")]
    [InlineData("shards: 8", "shards: 8\n  replica: 3", "spec.replica", "unknown field; expected one of: kernel, parameters, shards, parallelism, retry, activeDeadlineSeconds, suspend, ledger, ttlSecondsAfterFinished")]
    [InlineData("shards: 8", "Shards: 8", "spec.Shards", "unknown field; did you mean 'shards'?")]
    [InlineData("spec:", "spec: []\nx:", "spec", "must be a mapping (key: value lines), got a list")]
    public void Parse_BadField_ReportsPathAndExpectation(string from, string to, string path, string message)
    {
        var result = Parse(Valid.Replace(from, to, StringComparison.Ordinal));
        var error = Assert.Single(result.Errors, e => e.Path == path);
        Assert.Equal(message, error.Message);
        Assert.StartsWith("job.yaml:", error.Location, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_SeveralProblems_ReportsAllOfThem()
    {
        var result = Parse(Valid.Replace("shards: 8", "shards: 0", StringComparison.Ordinal)
            .Replace("maxAttempts: 5", "maxAttempts: 500", StringComparison.Ordinal)
            .Replace("name: sum-it", "name: ''", StringComparison.Ordinal));
        Assert.Equal(["metadata.name", "spec.shards", "spec.retry.maxAttempts"], result.Errors.Select(e => e.Path));
        Assert.Throws<ValidationException>(result.GetJobsOrThrow);
    }

    [Fact]
    public void Parse_TooManyShardsForKernel_ReportsKernelLimit()
    {
        var error = SingleError(Valid.Replace("n: \"1000\"", "n: \"5\"", StringComparison.Ordinal));
        Assert.Equal("spec.shards", error.Path);
        Assert.Equal("must be at most n (5), got 8", error.Message);
    }

    [Theory]
    [InlineData("spec: { kernel: [unclosed\n", "malformed YAML")]
    [InlineData("key: \"unterminated\n", "malformed YAML")]
    [InlineData("a: 1\nb:\n\t- tabs\n", "malformed YAML")]
    [InlineData("spec:\n  shards: 8\n  shards: 9\n", "malformed YAML: Duplicate key shards")]
    public void Parse_MalformedYaml_ReportsLocation(string yaml, string expected)
    {
        var error = SingleError(yaml);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Matches(@"^job\.yaml:\d+:\d+$", error.Location);
    }

    [Theory]
    [InlineData("")]
    [InlineData("# only a comment\n")]
    public void Parse_NoDocuments_SaysSo(string yaml) =>
        Assert.Contains("no ComputeJob found", SingleError(yaml).Message, StringComparison.Ordinal);

    [Fact]
    public void Parse_MissingTopLevelFields_NamesEach()
    {
        var result = Parse("foo: bar\n");
        Assert.Equal(["foo", "apiVersion", "kind", "metadata", "spec"], result.Errors.Select(e => e.Path));
    }

    [Fact]
    public void Parse_ScalarDocument_SaysMappingExpected()
    {
        var error = SingleError("just text\n");
        Assert.Equal("", error.Path);
        Assert.Contains("must be a mapping", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_KubectlOutputWithStatusAndServerMetadata_IsAccepted()
    {
        var yaml = Valid.Replace("  labels: { team: hpc }", "  uid: 1234\n  resourceVersion: \"77\"\n  generation: 2\n  labels: { team: hpc }", StringComparison.Ordinal)
            + "\nstatus:\n  phase: Running\n";
        Assert.Empty(Parse(yaml).Errors);
    }

    [Theory]
    [InlineData("500ms", 500)]
    [InlineData("2s", 2000)]
    [InlineData("1m30s", 90_000)]
    [InlineData("1h", 3_600_000)]
    [InlineData("1.5s", 1500)]
    public void Durations_TryParse_ReadsGoStyle(string text, double milliseconds)
    {
        Assert.True(Durations.TryParse(text, out var value));
        Assert.Equal(milliseconds, value.TotalMilliseconds);
    }

    [Theory]
    [InlineData("")]
    [InlineData("2")]
    [InlineData("-2s")]
    [InlineData("2 s")]
    [InlineData("2d")]
    public void Durations_TryParse_RejectsOthers(string text) => Assert.False(Durations.TryParse(text, out _));

    [Fact]
    public void Validate_ExternalKernel_NeedsNoBuiltIn()
    {
        var job = new ComputeJob { Metadata = { Name = "ext" }, Spec = { Kernel = { AppId = "my-kernel", Method = "shard" }, Shards = 4 } };
        Assert.Empty(JobValidator.Validate(job, CountingKernel.Registry));
    }
}

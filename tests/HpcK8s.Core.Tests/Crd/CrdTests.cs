using System.Reflection;
using System.Text.Json;
using HpcK8s.Core.Kernels;
using HpcK8s.Core.Manifests;
using HpcK8s.Core.Model;
using HpcK8s.Core.Validation;
using YamlDotNet.RepresentationModel;
using HpcK8s.Testing;

namespace HpcK8s.Core.Tests.Crd;

/// <summary>The chart's CRD is the one source of truth for the schema: the C# model, the examples and the
/// validator are held to it.</summary>
public class CrdTests
{
    private static readonly string Root = RepoPaths.Root;
    private static readonly YamlMappingNode Crd = Load(RepoPaths.Crd);
    private static readonly YamlMappingNode Schema = (YamlMappingNode)Crd["spec"]["versions"][0]["schema"]["openAPIV3Schema"];

    private const string Valid = """
        apiVersion: hpck8s.io/v1alpha1
        kind: ComputeJob
        metadata: { name: ok }
        spec:
          kernel: { name: pi-digits }
          parameters: { digits: "1000" }
          shards: 8
          parallelism: 4
          retry: { maxAttempts: 3, backoff: 2s }
          ledger: { replicas: 3 }
        """;

    public static TheoryData<string> Examples() => [.. Directory.GetFiles(Path.Combine(Root, "examples"), "*.yaml").Select(f => Path.GetFileName(f))];

    [Theory]
    [MemberData(nameof(Examples))]
    public void Examples_ValidateAgainstTheCrdSchema(string file)
    {
        var yaml = File.ReadAllText(Path.Combine(Root, "examples", file));
        var documents = new YamlStream();
        documents.Load(new StringReader(yaml));
        Assert.NotEmpty(documents.Documents);
        Assert.All(documents.Documents, d => Assert.Empty(StructuralSchema.Validate(Schema, d.RootNode)));
        Assert.Empty(ManifestParser.Parse(yaml, file, KernelRegistry.BuiltIn).Errors);
    }

    [Theory]
    [InlineData("shards: 8", "shards: 0", "spec.shards")]
    [InlineData("shards: 8", "shards: 2000000", "spec.shards")]
    [InlineData("shards: 8", "shards: \"8\"", "spec.shards")]
    [InlineData("parallelism: 4", "parallelism: 0", "spec.parallelism")]
    [InlineData("name: pi-digits", "name: pi-magic", "spec.kernel.name")]
    [InlineData("digits: \"1000\"", "digits: 1000", "spec.parameters.digits")]
    [InlineData("backoff: 2s", "backoff: soon", "spec.retry.backoff")]
    [InlineData("maxAttempts: 3", "maxAttempts: 0", "spec.retry.maxAttempts")]
    [InlineData("replicas: 3", "replicas: 9", "spec.ledger.replicas")]
    [InlineData("name: ok", "name: Not_OK", "metadata.name")]
    [InlineData("shards: 8", "shards: 8\n  shard: 8", "spec.shard")]
    [InlineData("  kernel: { name: pi-digits }\n", "", "spec.kernel")]
    public void BadManifest_RejectedBySchemaAndByValidator_OnTheSameField(string from, string to, string path)
    {
        var yaml = Valid.Replace(from, to, StringComparison.Ordinal);
        Assert.NotEqual(Valid, yaml);
        var document = new YamlStream();
        document.Load(new StringReader(yaml));

        var schemaErrors = StructuralSchema.Validate(Schema, document.Documents[0].RootNode);
        var parserErrors = ManifestParser.Parse(yaml, "bad.yaml", KernelRegistry.BuiltIn).Errors;

        Assert.Contains(schemaErrors, e => e.StartsWith(path + ":", StringComparison.Ordinal));
        Assert.Contains(parserErrors, e => e.Path == path);
    }

    [Fact]
    public void SpecProperties_MatchTheCSharpModel()
    {
        var spec = (YamlMappingNode)Schema["properties"]["spec"]["properties"];
        Assert.Equal(JsonNames(typeof(ComputeJobSpec)), spec.Children.Keys.Select(k => k.ToString()).Order());
        Assert.Equal(JsonNames(typeof(KernelReference)), ((YamlMappingNode)spec["kernel"]["properties"]).Children.Keys.Select(k => k.ToString()).Order());
        Assert.Equal(JsonNames(typeof(RetrySpec)), ((YamlMappingNode)spec["retry"]["properties"]).Children.Keys.Select(k => k.ToString()).Order());
        Assert.Equal(JsonNames(typeof(LedgerSpec)), ((YamlMappingNode)spec["ledger"]["properties"]).Children.Keys.Select(k => k.ToString()).Order());
    }

    [Fact]
    public void StatusProperties_MatchTheCSharpModel()
    {
        var status = (YamlMappingNode)Schema["properties"]["status"]["properties"];
        Assert.Equal(JsonNames(typeof(ComputeJobStatus)), status.Children.Keys.Select(k => k.ToString()).Order());
        Assert.Equal(JsonNames(typeof(ShardCounts)), ((YamlMappingNode)status["shards"]["properties"]).Children.Keys.Select(k => k.ToString()).Order());
        Assert.Equal(JsonNames(typeof(JobResultStatus)), ((YamlMappingNode)status["result"]["properties"]).Children.Keys.Select(k => k.ToString()).Order());
        Assert.Equal(JsonNames(typeof(LedgerStatus)), ((YamlMappingNode)status["ledger"]["properties"]).Children.Keys.Select(k => k.ToString()).Order());
        Assert.Equal(JsonNames(typeof(JobCondition)), ((YamlMappingNode)status["conditions"]["items"]["properties"]).Children.Keys.Select(k => k.ToString()).Order());
        var phases = ((YamlSequenceNode)status["phase"]["enum"]).Children.Select(n => n.ToString()).Order();
        Assert.Equal(typeof(JobPhase).GetFields().Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!).Order(), phases);
    }

    [Fact]
    public void Bounds_MatchTheValidatorsConstants()
    {
        var spec = Schema["properties"]["spec"]["properties"];
        Assert.Equal(ComputeJobSpec.MaxShards.ToString(System.Globalization.CultureInfo.InvariantCulture), spec["shards"]["maximum"].ToString());
        Assert.Equal(JobValidator.MaxNameLength.ToString(System.Globalization.CultureInfo.InvariantCulture), Schema["properties"]["metadata"]["properties"]["name"]["maxLength"].ToString());
        Assert.Equal(new RetrySpec().MaxAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture), spec["retry"]["properties"]["maxAttempts"]["default"].ToString());
        Assert.Equal(new RetrySpec().Backoff, spec["retry"]["properties"]["backoff"]["default"].ToString());
        Assert.Equal(new LedgerSpec().Replicas.ToString(System.Globalization.CultureInfo.InvariantCulture), spec["ledger"]["properties"]["replicas"]["default"].ToString());
        var kernels = ((YamlSequenceNode)spec["kernel"]["properties"]["name"]["enum"]).Children.Select(n => n.ToString());
        Assert.Equal(KernelRegistry.BuiltIn.Kernels.Select(k => k.Name), kernels);
    }

    [Fact]
    public void Crd_HasShortNameStatusSubresourceAndPrinterColumns()
    {
        Assert.Equal("computejobs.hpck8s.io", Crd["metadata"]["name"].ToString());
        Assert.Equal(["cj"], ((YamlSequenceNode)Crd["spec"]["names"]["shortNames"]).Children.Select(n => n.ToString()));
        var version = Crd["spec"]["versions"][0];
        Assert.True(((YamlMappingNode)version["subresources"]).Children.ContainsKey("status"));
        var columns = ((YamlSequenceNode)version["additionalPrinterColumns"]).Children.Select(c => c["name"].ToString());
        Assert.Equal(["Kernel", "Phase", "Progress", "Result", "Age"], columns);
    }

    private static IEnumerable<string> JsonNames(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite)
            .Select(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name))
            .Order();

    private static YamlMappingNode Load(string path)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(File.ReadAllText(path)));
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }
}

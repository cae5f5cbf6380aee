using System.Text;
using System.Text.RegularExpressions;
using HpcK8s.Core.Ledger;
using HpcK8s.Testing;

namespace HpcK8s.Core.Tests.Ledger;

/// <summary>Holds docs/ledger-format.md's worked example to the code: the document's JSON export and every value it
/// lists must be what the code produces, so a wrong document fails the build.</summary>
public class WorkedExampleTests
{
    /// <summary>The seed of the example signing key: bytes 0x01 … 0x20.</summary>
    public static readonly string ExampleSeed = Convert.ToBase64String([.. Enumerable.Range(1, 32).Select(i => (byte)i)]);

    public static LedgerChain BuildExample()
    {
        using var key = LedgerSigningKey.Import(ExampleSeed);
        var store = new InMemoryLedgerStore();
        var writer = new LedgerWriter(store, key);
        const string id = "pi-demo-01";
        writer.AppendAsync(id, [LedgerEntry.JobAccepted("pi-demo", "montecarlo-pi", Hash256.OfUtf8("kernel: montecarlo-pi\nshards: 2\n"))],
            new DateTimeOffset(2025, 3, 14, 15, 9, 26, 535, TimeSpan.Zero)).GetAwaiter().GetResult();
        var t1 = new DateTimeOffset(2025, 3, 14, 15, 9, 28, 0, TimeSpan.Zero);
        var shard0 = LedgerEntry.ShardCompleted(0, 1, "worker-a", Hash256.OfUtf8("hits=785398"), TimeSpan.FromMicroseconds(1500000));
        var shard1 = LedgerEntry.ShardCompleted(1, 1, "worker-b", Hash256.OfUtf8("hits=785401"), TimeSpan.FromMicroseconds(1499000));
        var completed = LedgerEntry.JobCompleted("3.14159", [shard0.ResultDigest, shard1.ResultDigest]);
        writer.AppendAsync(id, [shard0, shard1, completed], t1).GetAwaiter().GetResult();
        return LedgerChain.LoadAsync(store, id).GetAwaiter().GetResult();
    }

    public static SortedDictionary<string, string> ExampleValues(LedgerChain ledger)
    {
        var values = new SortedDictionary<string, string>(StringComparer.Ordinal);
        using var key = LedgerSigningKey.Import(ExampleSeed);
        values["publicKey.base64"] = key.PublicKey.ToBase64();
        foreach (var block in ledger.Blocks)
        {
            var b = $"block{block.Height}";
            for (var i = 0; i < block.Entries.Count; i++)
            {
                values[$"{b}.entry{i}.canonical"] = Convert.ToHexStringLower(block.Entries[i].ToCanonicalBytes());
                values[$"{b}.entry{i}.leaf"] = block.Entries[i].ComputeLeafHash().ToString();
            }

            values[$"{b}.entriesRoot"] = block.Header.EntriesRoot.ToString();
            values[$"{b}.blocksRoot"] = block.Header.BlocksRoot.ToString();
            values[$"{b}.header.canonical"] = Convert.ToHexStringLower(block.Header.ToCanonicalBytes());
            values[$"{b}.hash"] = block.Hash.ToString();
        }

        var completed = (JobCompletedEntry)ledger.Blocks[1].Entries[2];
        values["block1.entry2.shardsRoot"] = completed.ShardsRoot.ToString();
        values["emptyTreeRoot"] = MerkleTree.EmptyRoot.ToString();
        return values;
    }

    [Fact]
    public void Document_ExportAndValues_MatchTheCode()
    {
        var ledger = BuildExample();
        Assert.True(ledger.Verify(LedgerSigningKey.Import(ExampleSeed).PublicKey).IsValid);
        var export = LedgerJson.Export(ledger);
        var values = ExampleValues(ledger);
        var dump = Environment.GetEnvironmentVariable("HPCK8S_LEDGER_EXAMPLE_DUMP");
        if (!string.IsNullOrEmpty(dump))
        {
            File.WriteAllText(dump, "```json\n" + export + "\n```\n\n```text\n" + string.Join('\n', values.Select(kv => $"{kv.Key} = {kv.Value}")) + "\n```\n");
        }

        var doc = ReadDocument();
        Assert.Equal(export, DocumentJson(doc));
        var documented = DocumentValues(doc);
        Assert.Equal(values.Keys, documented.Keys);
        foreach (var (name, value) in values)
        {
            Assert.True(documented[name] == value, $"docs/ledger-format.md: {name} is {documented[name]}, the code gives {value}");
        }
    }

    internal static string ReadDocument() =>
        File.ReadAllText(Path.Combine(RepoPaths.Root, "docs", "ledger-format.md")).ReplaceLineEndings("\n");

    internal static string DocumentJson(string doc) => Section(doc, "json");

    internal static Dictionary<string, string> DocumentValues(string doc) =>
        Section(doc, "text").Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(" = ", 2))
            .ToDictionary(parts => parts[0].Trim(), parts => parts[1].Trim(), StringComparer.Ordinal);

    private static string Section(string doc, string language)
    {
        var start = doc.IndexOf("## Worked example", StringComparison.Ordinal);
        Assert.True(start >= 0, "docs/ledger-format.md has no '## Worked example' section");
        var match = Regex.Match(doc[start..], "```" + language + "\n(.*?)\n```", RegexOptions.Singleline);
        Assert.True(match.Success, $"the worked example has no ```{language} block");
        return match.Groups[1].Value;
    }
}

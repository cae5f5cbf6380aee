using HpcK8s.Core.Ledger;

namespace HpcK8s.Core.Tests.Ledger;

public class LedgerJsonTests
{
    [Fact]
    public void ExportImport_RoundTrip_IsIdenticalAndVerifies()
    {
        using var key = LedgerSigningKey.Generate();
        var ledger = LedgerSamples.Build(signer: key);
        var path = Path.Combine(Path.GetTempPath(), $"ledger-{Guid.NewGuid():N}.json");
        try
        {
            using (var file = File.Create(path))
            {
                LedgerJson.Write(file, ledger.LedgerId, ledger.Blocks);
            }

            var imported = LedgerJson.Import(File.ReadAllBytes(path));
            Assert.Equal(LedgerJson.Export(ledger), LedgerJson.Export(imported));
            Assert.True(imported.Verify(key.PublicKey, ledger.HeadHash).IsValid);
            Assert.Equal(ledger.Blocks.SelectMany(b => b.Entries), imported.Blocks.SelectMany(b => b.Entries));
            Assert.Equal(ledger.Blocks.Select(b => b.Header), imported.Blocks.Select(b => b.Header));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("\"height\": 1,", "\"height\": 1.0,", "height")]
    [InlineData("\"height\": 1,", "\"height\": \"1\",", "height")]
    [InlineData("\"kind\": \"JobAccepted\"", "\"kind\": \"JobAccepted\", \"extra\": 1", "unknown property 'extra'")]
    [InlineData("\"format\": \"hpck8s-ledger/1\"", "\"format\": \"hpck8s-ledger/2\"", "format")]
    public void Import_NonCanonicalJson_IsRejectedWithPath(string find, string replace, string expected)
    {
        var json = LedgerJson.Export(LedgerSamples.Build());
        Assert.Contains(find, json);
        var error = Assert.Throws<LedgerFormatException>(() => LedgerJson.Import(json.Replace(find, replace, StringComparison.Ordinal)));
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Import_UppercaseHash_IsRejected()
    {
        var ledger = LedgerSamples.Build();
        var hex = ledger.HeadHash.ToHex();
        var json = LedgerJson.Export(ledger).Replace(hex, hex.ToUpperInvariant(), StringComparison.Ordinal);
        Assert.Throws<LedgerFormatException>(() => LedgerJson.Import(json));
    }

    [Fact]
    public void Entries_CanonicalBytes_RoundTrip()
    {
        foreach (var entry in LedgerSamples.Build().Blocks.SelectMany(b => b.Entries).Append(LedgerEntry.JobFailed("π ≠ 3 \u2028 \"quoted\"")))
        {
            Assert.Equal(entry, LedgerEntry.FromCanonicalBytes(entry.ToCanonicalBytes()));
        }

        Assert.Throws<LedgerFormatException>(() => LedgerEntry.FromCanonicalBytes([4, 0, 0, 0, 9, 65]));
        Assert.Throws<LedgerFormatException>(() => LedgerEntry.FromCanonicalBytes([9]));
        Assert.Throws<ArgumentException>(() => LedgerEntry.JobFailed("lone \ud800 surrogate"));
    }
}

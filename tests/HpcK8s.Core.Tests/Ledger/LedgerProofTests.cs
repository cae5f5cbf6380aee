using HpcK8s.Core.Ledger;

namespace HpcK8s.Core.Tests.Ledger;

public class LedgerProofTests
{
    [Fact]
    public void ProveEntry_EveryEntryAgainstEveryHead_Verifies()
    {
        var ledger = LedgerSamples.Build(shards: 11, perBlock: 2);
        foreach (var head in Enumerable.Range(0, ledger.Blocks.Count))
        {
            var headHash = ledger.Blocks[head].Hash;
            for (var h = 0; h <= head; h++)
            {
                for (var i = 0; i < ledger.Blocks[h].Entries.Count; i++)
                {
                    var proof = ledger.ProveEntry(new LedgerEntryPosition(h, i), head);
                    Assert.True(proof.Verify(headHash, out var reason), reason);
                    Assert.Equal(ledger.Blocks[h].Entries[i], proof.Entry);
                }
            }
        }
    }

    [Fact]
    public void ProveEntry_Tampered_Fails()
    {
        var ledger = LedgerSamples.Build(shards: 11, perBlock: 2);
        var proof = ledger.ProveEntry(new LedgerEntryPosition(2, 1));
        var head = ledger.HeadHash;
        var other = Hash256.OfUtf8("x");
        Assert.True(proof.Verify(head, out _));
        Assert.False(proof.Verify(other, out _));
        Assert.False((proof with { Entry = LedgerSamples.Shard(3, attempt: 9) }).Verify(head, out _));
        Assert.False((proof with { Index = 0 }).Verify(head, out _));
        Assert.False((proof with { EntryPath = [other, .. proof.EntryPath.Skip(1)] }).Verify(head, out _));
        Assert.False((proof with { BlockPath = [.. proof.BlockPath.Take(proof.BlockPath.Count - 1), other] }).Verify(head, out _));
        Assert.False((proof with { Block = proof.Block with { Time = "2000-01-01T00:00:00Z" } }).Verify(head, out _));
        Assert.False((proof with { Block = proof.Block with { Height = 3 } }).Verify(head, out var reason));
        Assert.False(string.IsNullOrEmpty(reason));
    }

    [Fact]
    public void ProveShard_EveryShard_VerifiesAndLinksToJobResult()
    {
        var ledger = LedgerSamples.Build(shards: 9, perBlock: 4);
        for (var s = 0; s < 9; s++)
        {
            var proof = ledger.ProveShard(s);
            Assert.True(proof.Verify(ledger.HeadHash, out var reason), reason);
            Assert.Equal(s, ((ShardCompletedEntry)proof.Shard.Entry).Shard);
            var wrongLeaf = proof with { Shard = ledger.ProveShard((s + 1) % 9).Shard };
            Assert.False(wrongLeaf.Verify(ledger.HeadHash, out _));
        }

        Assert.Throws<InvalidOperationException>(() => ledger.ProveShard(9));
    }

    [Fact]
    public void ProveConsistency_AllHeightPairs_VerifyAndRewriteFails()
    {
        var ledger = LedgerSamples.Build(shards: 20, perBlock: 2);
        var n = ledger.Blocks.Count;
        for (var oldHeight = 0; oldHeight < n; oldHeight++)
        {
            for (var newHeight = oldHeight; newHeight < n; newHeight++)
            {
                var proof = ledger.ProveConsistency(oldHeight, newHeight);
                Assert.True(proof.Verify(ledger.Blocks[oldHeight].Hash, ledger.Blocks[newHeight].Hash, out var reason), reason);
                if (newHeight > oldHeight)
                {
                    Assert.False(proof.Verify(ledger.Blocks[oldHeight].Hash, ledger.Blocks[newHeight - 1].Hash, out _));
                }
            }
        }

        // A forked history: same first blocks, different block 3 onwards.
        var forked = new LedgerChain("job-7", LedgerSamples.Relink("job-7", ledger.Blocks.Select((b, i) => i == 3 ? b.Entries.Reverse().ToList() : b.Entries)));
        var fork = forked.ProveConsistency(3, n - 1);
        Assert.False(fork.Verify(ledger.Blocks[3].Hash, forked.HeadHash, out _));
        var forgedOld = fork with { OldHead = ledger.Blocks[3].Hash };
        Assert.False(forgedOld.Verify(ledger.Blocks[3].Hash, forked.HeadHash, out var why));
        Assert.Contains("rewritten", why);
    }

    [Fact]
    public void ProofJson_RoundTrip_StillVerifies()
    {
        var ledger = LedgerSamples.Build(shards: 6, perBlock: 2);
        var inclusion = LedgerJson.ReadInclusionProof(LedgerJson.Write(ledger.ProveEntry(new LedgerEntryPosition(1, 1))));
        Assert.True(inclusion.Verify(ledger.HeadHash, out _));
        var shard = LedgerJson.ReadShardProof(LedgerJson.Write(ledger.ProveShard(4)));
        Assert.True(shard.Verify(ledger.HeadHash, out _));
        var consistency = LedgerJson.ReadConsistencyProof(LedgerJson.Write(ledger.ProveConsistency(1)));
        Assert.True(consistency.Verify(ledger.Blocks[1].Hash, ledger.HeadHash, out _));
        var text = LedgerJson.Write(ledger.ProveEntry(new LedgerEntryPosition(1, 1)));
        Assert.Throws<LedgerFormatException>(() => LedgerJson.ReadInclusionProof(text.Replace("\"index\": 1", "\"index\": 1.0", StringComparison.Ordinal)));
    }
}

using System.Text;
using HpcK8s.Core.Ledger;

namespace HpcK8s.Core.Tests.Ledger;

public class LedgerVerifierTests
{
    [Fact]
    public void Verify_LedgerFromWriter_IsValid()
    {
        var ledger = LedgerSamples.Build();
        var result = ledger.Verify();
        Assert.True(result.IsValid, result.Reason);
        Assert.Equal(5, result.BlockCount);
        Assert.Equal(9, result.EntryCount);
        Assert.Equal(ledger.HeadHash, result.Head);
    }

    [Fact]
    public void Verify_EachHeaderFieldAltered_NamesThatBlock()
    {
        var blocks = LedgerSamples.Build().Blocks;
        for (var h = 0; h < blocks.Count; h++)
        {
            var header = blocks[h].Header;
            var other = Hash256.OfUtf8("other");
            BlockHeader[] altered =
            [
                header with { LedgerId = "job-8" },
                header with { Height = header.Height + 1 },
                header with { PreviousHash = other },
                header with { BlocksRoot = other },
                header with { EntriesRoot = other },
                header with { EntryCount = header.EntryCount + 1 },
                header with { Time = "1999-12-31T23:59:59.999Z" },
            ];
            foreach (var bad in altered)
            {
                foreach (var rehash in new[] { false, true })
                {
                    var copy = blocks.ToArray();
                    copy[h] = LedgerSamples.WithHeader(copy[h], bad, rehash);
                    var result = LedgerVerifier.Verify(copy);
                    // A consistently re-hashed last block with a new time is only caught by an anchor (see below);
                    // everything else is caught at the block itself or, when re-hashed, by the next block's link.
                    if (rehash && h == blocks.Count - 1 && bad.Time != header.Time)
                    {
                        continue;
                    }

                    Assert.False(result.IsValid, $"block {h} rehash={rehash} {bad}");

                    Assert.True(result.FailedHeight == h || (rehash && result.FailedHeight == h + 1), $"block {h} {bad}: {result.Reason}");
                    Assert.StartsWith($"block {result.FailedHeight}: ", result.Reason);
                }
            }
        }
    }

    [Fact]
    public void Verify_LastBlockRewrittenConsistently_CaughtOnlyByAnchor()
    {
        var ledger = LedgerSamples.Build();
        var blocks = ledger.Blocks.ToArray();
        var last = blocks[^1];
        blocks[^1] = LedgerSamples.WithHeader(last, last.Header with { Time = "2030-01-01T00:00:00.000Z" }, rehash: true);
        Assert.True(LedgerVerifier.Verify(blocks).IsValid);
        var anchored = LedgerVerifier.Verify(blocks, new LedgerVerifyOptions { ExpectedHeadHash = ledger.HeadHash });
        Assert.False(anchored.IsValid);
        Assert.Equal(blocks.Length - 1, anchored.FailedHeight);
        Assert.Contains("expected head", anchored.Reason);
    }

    [Fact]
    public void Verify_EntryAlteredAddedRemovedOrSwapped_NamesTheBlock()
    {
        var blocks = LedgerSamples.Build().Blocks;
        var h = 2;
        var entries = blocks[h].Entries;
        IReadOnlyList<LedgerEntry>[] variants =
        [
            [LedgerSamples.Shard(3, attempt: 2), .. entries.Skip(1)],
            [.. entries, LedgerSamples.Shard(50)],
            [.. entries.Take(entries.Count - 1)],
            [entries[1], entries[0], .. entries.Skip(2)],
            [((ShardCompletedEntry)entries[0]) with { }, .. entries.Skip(1)],
        ];
        foreach (var (variant, i) in variants.Select((v, i) => (v, i)))
        {
            var copy = blocks.ToArray();
            copy[h] = LedgerSamples.WithEntries(copy[h], variant);
            var result = LedgerVerifier.Verify(copy);
            if (i == 4)
            {
                Assert.True(result.IsValid, "an equal copy of an entry is not tampering");
                continue;
            }

            Assert.False(result.IsValid);
            Assert.Equal(h, result.FailedHeight);
        }
    }

    [Fact]
    public void Verify_EveryByteOfSignedExportFlipped_IsDetected()
    {
        using var key = LedgerSigningKey.Generate();
        var ledger = LedgerSamples.Build(shards: 3, perBlock: 2, signer: key);
        var bytes = Encoding.UTF8.GetBytes(LedgerJson.Export(ledger));
        Assert.True(LedgerJson.Import(bytes).Verify(key.PublicKey).IsValid);
        var undetected = new List<int>();
        for (var i = 0; i < bytes.Length; i++)
        {
            var copy = (byte[])bytes.Clone();
            copy[i] ^= 0x01;
            try
            {
                var tampered = LedgerJson.Import(copy);
                if (tampered.Verify(key.PublicKey, ledger.HeadHash).IsValid)
                {
                    undetected.Add(i);
                }
            }
            catch (LedgerFormatException)
            {
                // Detected at import.
            }
        }

        Assert.True(undetected.Count == 0, $"undetected flips at {string.Join(", ", undetected.Take(10).Select(i => $"{i} ('{(char)bytes[i]}')"))}");
    }

    [Fact]
    public void Verify_TruncatedAtTheEnd_DetectedAgainstAnchor()
    {
        var ledger = LedgerSamples.Build();
        var shorter = ledger.Blocks.Take(ledger.Blocks.Count - 1).ToList();
        Assert.True(LedgerVerifier.Verify(shorter).IsValid, "a prefix is a valid ledger on its own");
        var byHash = LedgerVerifier.Verify(shorter, new LedgerVerifyOptions { ExpectedHeadHash = ledger.HeadHash });
        Assert.False(byHash.IsValid);
        var byHeight = LedgerVerifier.Verify(shorter, new LedgerVerifyOptions { ExpectedHeight = ledger.Height });
        Assert.False(byHeight.IsValid);
        Assert.Contains("truncated", byHeight.Reason);
    }

    [Fact]
    public void Verify_BlockRemovedOrBlocksSwapped_NamesFirstBadHeight()
    {
        var blocks = LedgerSamples.Build().Blocks;
        var removed = blocks.Where((_, i) => i != 2).ToList();
        var result = LedgerVerifier.Verify(removed);
        Assert.Equal(2, result.FailedHeight);
        Assert.Equal("block 2: height is 3, expected 2 (blocks missing, duplicated or out of order)", result.Reason);

        var swapped = blocks.ToArray();
        (swapped[1], swapped[3]) = (swapped[3], swapped[1]);
        Assert.Equal(1, LedgerVerifier.Verify(swapped).FailedHeight);

        var relabelled = blocks.ToArray();
        relabelled[2] = LedgerSamples.WithHeader(blocks[3], blocks[3].Header with { Height = 2 }, rehash: true);
        var relinked = LedgerVerifier.Verify(relabelled);
        Assert.Equal(2, relinked.FailedHeight);
        Assert.Equal("block 2: previous hash does not match block 1's hash", relinked.Reason);
    }

    [Fact]
    public void Verify_ConsistentlyRelinkedButBreakingRules_NamesTheEntry()
    {
        var accepted = LedgerSamples.Accepted();
        var good = LedgerEntry.JobCompleted("3.14", [LedgerSamples.Shard(0).ResultDigest, LedgerSamples.Shard(1).ResultDigest]);
        (IReadOnlyList<LedgerEntry>[] Blocks, string Expected)[] cases =
        [
            ([[LedgerSamples.Shard(0)]], "block 0: entry 0: the first entry must be JobAccepted, found ShardCompleted"),
            ([[accepted], [LedgerSamples.Shard(0), LedgerSamples.Shard(0)]], "block 1: entry 1: duplicate key ShardCompleted(shard 0, attempt 1) (an entry may be written once)"),
            ([[accepted, LedgerSamples.Shard(0)], [accepted]], "block 1: entry 0: JobAccepted is only allowed as the first entry"),
            ([[accepted, LedgerSamples.Shard(0), LedgerSamples.Shard(1)], [good, LedgerSamples.Shard(2)]], "block 1: entry 1: ShardCompleted after the ledger was closed by JobCompleted at entry 0 of block 1"),
            ([[accepted, LedgerSamples.Shard(0), LedgerSamples.Shard(1, attempt: 1)], [new JobCompletedEntry(good.ResultDigest, "2.71", good.ShardCount, good.ShardsRoot)]], "block 1: entry 0: result digest is not SHA-256 of the result"),
            ([[accepted, LedgerSamples.Shard(0)], [good]], "block 1: entry 0: shard 1 of 2 has no ShardCompleted entry"),
            ([[accepted, LedgerEntry.ShardCompleted(0, 0, "w", Hash256.OfUtf8("other"), TimeSpan.Zero), LedgerSamples.Shard(0), LedgerSamples.Shard(1)], [good]], "block 1: entry 0: shards root does not match the first ShardCompleted result digest of each shard"),
            ([[accepted, LedgerSamples.Shard(0), LedgerSamples.Shard(1), LedgerSamples.Shard(2)], [good]], "block 1: entry 0: shard 2 is outside the job's 2 shards"),
        ];
        foreach (var (blocks, expected) in cases)
        {
            var result = LedgerVerifier.Verify(LedgerSamples.Relink("job-7", blocks));
            Assert.Equal(expected, result.Reason);
        }

        var retried = LedgerSamples.Relink("job-7", [[accepted, LedgerSamples.Shard(0), LedgerSamples.Shard(1), LedgerSamples.Shard(1, attempt: 2)], [good]]);
        Assert.True(LedgerVerifier.Verify(retried).IsValid);
    }

    [Fact]
    public void Verify_SparseHugeAndUnorderedShardNumbers_SameRules()
    {
        var accepted = LedgerSamples.Accepted();
        var good = LedgerEntry.JobCompleted("3.14", [LedgerSamples.Shard(0).ResultDigest, LedgerSamples.Shard(1).ResultDigest]);
        (IReadOnlyList<LedgerEntry>[] Blocks, string? Expected)[] cases =
        [
            ([[accepted, LedgerEntry.ShardCompleted(int.MaxValue, int.MaxValue, "w", Hash256.OfUtf8("huge"), TimeSpan.Zero), LedgerSamples.Shard(0), LedgerSamples.Shard(1)], [good]], "block 1: entry 0: shard 2147483647 is outside the job's 2 shards"),
            ([[accepted, LedgerSamples.Shard(1_000_000_000), LedgerSamples.Shard(5)], [LedgerSamples.Shard(0), LedgerSamples.Shard(1), good]], "block 1: entry 2: shard 5 is outside the job's 2 shards"),
            ([[accepted, LedgerSamples.Shard(5_000_000)], [LedgerSamples.Shard(5_000_000, attempt: 2), LedgerSamples.Shard(5_000_000)]], "block 1: entry 1: duplicate key ShardCompleted(shard 5000000, attempt 1) (an entry may be written once)"),
            ([[accepted, LedgerSamples.Shard(1, attempt: 3), LedgerSamples.Shard(1, attempt: 0)], [LedgerSamples.Shard(0), LedgerSamples.Shard(1, attempt: 0)]], "block 1: entry 1: duplicate key ShardCompleted(shard 1, attempt 0) (an entry may be written once)"),
            ([[accepted, LedgerSamples.Shard(1), LedgerSamples.Shard(0), LedgerSamples.Shard(1, attempt: 2)], [good]], null),
        ];
        foreach (var (blocks, expected) in cases)
        {
            var result = LedgerVerifier.Verify(LedgerSamples.Relink("job-7", blocks));
            Assert.Equal(expected, result.Reason);
        }

        // Thousands of shards arriving last-first: every first shard number lands beyond the dense arrays, which then
        // grow over them; the shards root (hashed in chunks) must still come out right.
        const int Shards = 5_000;
        var shards = Enumerable.Range(0, Shards).Reverse().Select(s => (LedgerEntry)LedgerSamples.Shard(s)).ToList();
        var completed = LedgerEntry.JobCompleted("many", [.. Enumerable.Range(0, Shards).Select(s => LedgerSamples.Shard(s).ResultDigest)]);
        var many = LedgerSamples.Relink("job-7", [[accepted], shards, [completed]]);
        Assert.True(LedgerVerifier.Verify(many).IsValid, LedgerVerifier.Verify(many).Reason);
        shards[Shards - 1] = LedgerSamples.Shard(Shards);
        var gap = LedgerSamples.Relink("job-7", [[accepted], shards, [completed]]);
        Assert.Equal($"block 2: entry 0: shard 0 of {Shards} has no ShardCompleted entry", LedgerVerifier.Verify(gap).Reason);
    }

    [Fact]
    public void Verify_Signatures_CheckedWhenKeyGiven()
    {
        using var key = LedgerSigningKey.Generate();
        using var other = LedgerSigningKey.Generate();
        var ledger = LedgerSamples.Build(signer: key);
        Assert.True(ledger.Verify(key.PublicKey).IsValid);
        Assert.True(ledger.Verify().IsValid);

        var wrong = ledger.Verify(other.PublicKey);
        Assert.Equal(0, wrong.FailedHeight);
        Assert.Equal("block 0: signature does not verify with the given public key", wrong.Reason);

        var blocks = ledger.Blocks.ToArray();
        blocks[3] = blocks[3].WithSignature(blocks[2].Signature);
        var swapped = LedgerVerifier.Verify(blocks, new LedgerVerifyOptions { PublicKey = key.PublicKey });
        Assert.Equal(3, swapped.FailedHeight);

        blocks[3] = blocks[3].WithSignature(default);
        Assert.Equal("block 3: is not signed (a public key was given)", LedgerVerifier.Verify(blocks, new LedgerVerifyOptions { PublicKey = key.PublicKey }).Reason);
    }

    [Fact]
    public void Verify_WrongLedgerIdOrEmpty_Fails()
    {
        var ledger = LedgerSamples.Build();
        Assert.Equal("block 0: ledger id is 'job-7', expected 'job-8'", LedgerVerifier.Verify(ledger.Blocks, new LedgerVerifyOptions { ExpectedLedgerId = "job-8" }).Reason);
        Assert.False(LedgerVerifier.Verify([]).IsValid);
    }
}

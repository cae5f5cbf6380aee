using HpcK8s.Core.Ledger;

namespace HpcK8s.Core.Tests.Ledger;

/// <summary>Blocks made from their entries' canonical bytes as stored (<see cref="LedgerBlock.FromCanonicalEntries"/>):
/// verification hashes those bytes instead of re-encoding, and must reach exactly the same verdicts.</summary>
public class LedgerStoredBytesTests
{
    private static LedgerBlock AsStored(LedgerBlock block) =>
        LedgerBlock.FromCanonicalEntries(block.Header, [.. block.Entries.Select(e => (ReadOnlyMemory<byte>)e.ToCanonicalBytes())], block.Hash, block.Signature);

    [Fact]
    public void StoredBytes_EqualReEncodedBytes_AndGiveTheSameVerdict()
    {
        using var key = LedgerSigningKey.Generate();
        var blocks = LedgerSamples.Build(shards: 40, perBlock: 7, signer: key).Blocks;
        var stored = blocks.Select(AsStored).ToList();
        for (var h = 0; h < blocks.Count; h++)
        {
            Assert.True(stored[h].HasCanonicalEntries);
            Assert.Equal(blocks[h].Entries, stored[h].Entries);
            for (var j = 0; j < blocks[h].Entries.Count; j++)
            {
                Assert.Equal(blocks[h].Entries[j].ToCanonicalBytes(), stored[h].StoredCanonicalEntry(j).ToArray());
                Assert.Equal(stored[h].Entries[j].ToCanonicalBytes(), stored[h].StoredCanonicalEntry(j).ToArray());
            }
        }

        var options = new LedgerVerifyOptions { PublicKey = key.PublicKey };
        Assert.Equal(LedgerVerifier.Verify(blocks, options), LedgerVerifier.Verify(stored, options));
        Assert.True(LedgerVerifier.Verify(stored, options).IsValid);
        Assert.True(stored[2].WithSignature(stored[2].Signature).HasCanonicalEntries);
    }

    [Fact]
    public void NonAsciiText_RoundTripsByteForByte()
    {
        LedgerEntry[] entries =
        [
            LedgerEntry.JobAccepted("jöb-名前", "kernel-π", Hash256.OfUtf8("spec")),
            LedgerEntry.ShardCompleted(0, 1, "wörker-🙂", Hash256.OfUtf8("r"), TimeSpan.FromSeconds(1)),
            LedgerEntry.JobFailed("fehlgeschlagen: ünbekannt \u0000 \uFFFF"),
        ];
        var block = LedgerSamples.Relink("job-ü", [entries])[0];
        var stored = AsStored(block);
        for (var j = 0; j < entries.Length; j++)
        {
            Assert.Equal(entries[j].ToCanonicalBytes(), stored.StoredCanonicalEntry(j).ToArray());
        }

        Assert.True(LedgerVerifier.Verify([stored]).IsValid);
    }

    [Fact]
    public void EveryStoredEntryByteFlipped_IsRejectedOrLocated()
    {
        var blocks = LedgerSamples.Build(shards: 6, perBlock: 3).Blocks;
        var stored = blocks.Select(AsStored).ToList();
        for (var h = 0; h < blocks.Count; h++)
        {
            var bodies = blocks[h].Entries.Select(e => e.ToCanonicalBytes()).ToList();
            for (var j = 0; j < bodies.Count; j++)
            {
                for (var b = 0; b < bodies[j].Length; b++)
                {
                    var tampered = bodies.Select(x => (ReadOnlyMemory<byte>)x.ToArray()).ToList();
                    var bytes = bodies[j].ToArray();
                    bytes[b] ^= 0x01;
                    tampered[j] = bytes;
                    LedgerBlock block;
                    try
                    {
                        block = LedgerBlock.FromCanonicalEntries(blocks[h].Header, tampered, blocks[h].Hash);
                    }
                    catch (LedgerFormatException)
                    {
                        continue; // the store's bytes no longer decode: rejected before verification
                    }

                    var copy = stored.ToList();
                    copy[h] = block;
                    var result = LedgerVerifier.Verify(copy);
                    Assert.False(result.IsValid, $"block {h} entry {j} byte {b}");
                    Assert.Equal(h, result.FailedHeight);
                    Assert.Equal($"block {h}: entries root mismatch (an entry was altered, added, removed or reordered)", result.Reason);
                }
            }
        }
    }

    [Fact]
    public void StoredEntriesMissingOrExtra_AreLocated()
    {
        var blocks = LedgerSamples.Build(shards: 6, perBlock: 3).Blocks;
        var bodies = blocks[1].Entries.Select(e => (ReadOnlyMemory<byte>)e.ToCanonicalBytes()).ToList();
        var stored = blocks.Select(AsStored).ToList();

        stored[1] = LedgerBlock.FromCanonicalEntries(blocks[1].Header, bodies.Take(2).ToList(), blocks[1].Hash);
        Assert.Equal("block 1: entry count is 3 but the block holds 2 entries", LedgerVerifier.Verify(stored).Reason);

        stored[1] = LedgerBlock.FromCanonicalEntries(blocks[1].Header, [bodies[1], bodies[0], bodies[2]], blocks[1].Hash);
        Assert.Equal("block 1: entries root mismatch (an entry was altered, added, removed or reordered)", LedgerVerifier.Verify(stored).Reason);

        Assert.Throws<LedgerFormatException>(() =>
            LedgerBlock.FromCanonicalEntries(blocks[1].Header, [bodies[0], bodies[1].ToArray().Append((byte)0).ToArray()], blocks[1].Hash));
    }
}

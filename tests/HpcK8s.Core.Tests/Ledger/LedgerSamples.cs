using HpcK8s.Core.Ledger;

namespace HpcK8s.Core.Tests.Ledger;

/// <summary>Deterministic ledgers for tests.</summary>
internal static class LedgerSamples
{
    public static readonly DateTimeOffset T0 = new(2025, 3, 14, 15, 9, 26, 535, TimeSpan.Zero);

    public static JobAcceptedEntry Accepted(string job = "pi-demo") =>
        LedgerEntry.JobAccepted(job, "montecarlo-pi", Hash256.OfUtf8("kernel: montecarlo-pi\nshards: 4\n"));

    public static ShardCompletedEntry Shard(int shard, int attempt = 1) =>
        LedgerEntry.ShardCompleted(shard, attempt, $"worker-{shard % 3}", Hash256.OfUtf8($"hits={shard * 1000 + 7}"), TimeSpan.FromMilliseconds(1500 + shard));

    /// <summary>JobAccepted, then <paramref name="shards"/> shards spread over blocks of up to <paramref name="perBlock"/>
    /// entries, then JobCompleted: built through the writer, optionally signed.</summary>
    public static LedgerChain Build(int shards = 7, int perBlock = 3, LedgerSigningKey? signer = null, string id = "job-7")
    {
        var store = new InMemoryLedgerStore();
        var writer = new LedgerWriter(store, signer);
        var time = T0;
        writer.AppendAsync(id, [Accepted()], time).GetAwaiter().GetResult();
        for (var s = 0; s < shards; s += perBlock)
        {
            time = time.AddSeconds(1);
            var batch = Enumerable.Range(s, Math.Min(perBlock, shards - s)).Select(i => (LedgerEntry)Shard(i)).ToList();
            writer.AppendAsync(id, batch, time).GetAwaiter().GetResult();
        }

        writer.CompleteJobAsync(id, "3.14159", shards, time.AddSeconds(1)).GetAwaiter().GetResult();
        return LedgerChain.LoadAsync(store, id).GetAwaiter().GetResult();
    }

    /// <summary>Rebuilds a chain from (possibly altered) entries and header times, relinking every hash: a forgery
    /// that is internally consistent, for testing the rules and anchors.</summary>
    public static List<LedgerBlock> Relink(string ledgerId, IEnumerable<IReadOnlyList<LedgerEntry>> blocks, LedgerSigningKey? signer = null)
    {
        var head = LedgerHead.Empty(ledgerId);
        var result = new List<LedgerBlock>();
        var time = T0;
        foreach (var entries in blocks)
        {
            var block = LedgerBlockBuilder.Build(head, entries, time, signer);
            head = head.Advance(block);
            result.Add(block);
            time = time.AddSeconds(1);
        }

        return result;
    }

    public static LedgerBlock WithHeader(LedgerBlock block, BlockHeader header, bool rehash = false) =>
        new(header, block.Entries, rehash ? header.ComputeHash() : block.Hash, block.Signature);

    public static LedgerBlock WithEntries(LedgerBlock block, IReadOnlyList<LedgerEntry> entries) =>
        new(block.Header, entries, block.Hash, block.Signature);
}

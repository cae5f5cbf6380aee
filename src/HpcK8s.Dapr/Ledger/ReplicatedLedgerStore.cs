using System.Runtime.CompilerServices;
using HpcK8s.Core.Ledger;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace HpcK8s.Dapr.Ledger;

/// <summary>An <see cref="ILedgerStore"/> over a ledger's <see cref="LedgerActor"/> replicas: an append commits once a
/// majority acknowledges; reads cross-check the replicas and return the majority's view; a lagging, damaged or
/// diverged replica is repaired from the majority.</summary>
/// <remarks>
/// <para>Quorum is ⌊n/2⌋ + 1 of the ledger's n replicas (<see cref="ILedgerReplicaCountProvider"/>). Every call to a
/// replica has its own timeout (<see cref="LedgerReplicationOptions.ReplicaTimeout"/>); a replica that does not answer
/// in time counts as unreachable. A minority of unreachable replicas does not stop appends; a majority does, with
/// <see cref="LedgerQuorumException"/>.</para>
/// <para>The majority's chain is built height by height: a block held by a majority is committed; a block held by
/// fewer, but by enough that the unreachable and damaged replicas could complete a majority, may have been committed
/// and is kept (and copied to the others) if no other block competes at that height; anything else was never committed
/// and is dropped from the replicas that hold it. Committed blocks are therefore never dropped while at most a
/// minority of replicas has failed. Every replica's chain is verified with <see cref="LedgerVerifier"/> before it
/// counts.</para>
/// <para>Heads and key lookups take one round when all reachable replicas agree; full chains are read only on
/// disagreement, on <see cref="ReadBlocksAsync"/> (which verifies every replica) and on <see cref="CheckAsync"/>.</para>
/// <para>Single writer per ledger is assumed (the job's workflow); concurrent writers are safe (replicas refuse forks)
/// but may see <see cref="LedgerConcurrencyException"/>, which <see cref="LedgerWriter"/> retries.</para>
/// </remarks>
public sealed class ReplicatedLedgerStore : ILedgerStore
{
    private readonly ILedgerReplicaFactory _replicas;
    private readonly ILedgerReplicaCountProvider _counts;
    private readonly LedgerReplicationOptions _options;
    private readonly ILogger _logger;

    /// <summary>Creates the store.</summary>
    /// <param name="replicas">Reaches the replicas.</param>
    /// <param name="counts">Replica count per ledger.</param>
    /// <param name="options">Timeouts and page size.</param>
    /// <param name="logger">Logger; none when null.</param>
    public ReplicatedLedgerStore(
        ILedgerReplicaFactory replicas, ILedgerReplicaCountProvider counts, IOptions<LedgerReplicationOptions> options, ILogger<ReplicatedLedgerStore>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(replicas);
        ArgumentNullException.ThrowIfNull(counts);
        ArgumentNullException.ThrowIfNull(options);
        _replicas = replicas;
        _counts = counts;
        _options = options.Value;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <inheritdoc />
    public async Task<LedgerHead> GetHeadAsync(string ledgerId, CancellationToken cancellationToken = default)
    {
        var set = await OpenAsync(ledgerId, cancellationToken).ConfigureAwait(false);
        var answers = await CallAllAsync(set, (r, ct) => r.GetHeadAsync(ct), cancellationToken).ConfigureAwait(false);
        RequireReachable(set, answers, "read the head");
        var heads = answers.Where(a => a.Ok).Select(a => a.Value!).ToList();
        if (heads.All(h => h.SameTipAs(heads[0])) && TryDecode(heads[0], out var head))
        {
            return head;
        }

        return (await ReconcileAsync(set, cancellationToken).ConfigureAwait(false)).Report.Head;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyDictionary<LedgerEntryKey, LedgerEntryPosition>> FindEntriesAsync(
        string ledgerId, IReadOnlyCollection<LedgerEntryKey> keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var set = await OpenAsync(ledgerId, cancellationToken).ConfigureAwait(false);
        var request = new LedgerFindRequest([.. keys.Distinct()]);
        var answers = await CallAllAsync(set, (r, ct) => r.FindEntriesAsync(request, ct), cancellationToken).ConfigureAwait(false);
        RequireReachable(set, answers, "look up entries");
        var replies = answers.Where(a => a.Ok).Select(a => a.Value!).ToList();
        var first = replies[0];
        if (replies.All(r => r.Damage is null && r.Head.SameTipAs(first.Head) && SameFound(r.Found, first.Found)))
        {
            return first.Found.ToDictionary(f => f.Key, f => new LedgerEntryPosition(f.Height, f.Index));
        }

        // The replicas disagree: answer from the majority's verified chain (and repair the others on the way).
        var (_, chain) = await ReconcileAsync(set, cancellationToken).ConfigureAwait(false);
        var wanted = new HashSet<LedgerEntryKey>(keys);
        var result = new Dictionary<LedgerEntryKey, LedgerEntryPosition>();
        foreach (var block in chain)
        {
            for (var i = 0; i < block.Entries.Count; i++)
            {
                var key = block.Entries[i].Key;
                if (wanted.Contains(key))
                {
                    result.TryAdd(key, new LedgerEntryPosition(block.Height, i));
                }
            }
        }

        return result;
    }

    /// <inheritdoc />
    /// <exception cref="LedgerQuorumException">When fewer than a majority of replicas acknowledge the block.</exception>
    public async Task AppendBlockAsync(LedgerBlock block, LedgerHead newHead, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(block);
        ArgumentNullException.ThrowIfNull(newHead);
        if (newHead.Hash != block.Hash || newHead.Height != block.Height)
        {
            throw new ArgumentException($"new head (height {newHead.Height}, {newHead.Hash}) is not the head after block {block.Height} ({block.Hash})", nameof(newHead));
        }

        var set = await OpenAsync(block.Header.LedgerId, cancellationToken).ConfigureAwait(false);
        var data = LedgerBlockData.From(block);
        for (var attempt = 1; ; attempt++)
        {
            var answers = await CallAllAsync(set, (r, ct) => r.AppendAsync(data, ct), cancellationToken).ConfigureAwait(false);
            var acknowledged = answers.Count(a => a.Ok && a.Value!.Acknowledged);
            if (acknowledged >= set.Quorum)
            {
                if (answers.Any(a => a.Ok && !a.Value!.Acknowledged))
                {
                    // Committed; bring the replicas that refused (lagging, damaged) up to the majority now rather than
                    // on the next read. A failure here does not undo the commit.
                    try
                    {
                        await ReconcileAsync(set, cancellationToken).ConfigureAwait(false);
                    }
                    catch (LedgerQuorumException error)
                    {
                        LedgerLog.RepairFailed(_logger, set.LedgerId, -1, error.Message);
                    }
                }

                return;
            }

            var reachable = answers.Count(a => a.Ok);
            var operation = $"append of block {block.Height}";
            if (reachable < set.Quorum || attempt > 1)
            {
                throw new LedgerQuorumException(set.LedgerId, operation, set.Count, set.Quorum, acknowledged, [.. answers.Select(Describe)]);
            }

            // Enough replicas answered but they disagree (some lag, hold an uncommitted block, or are damaged):
            // bring them to the majority's chain, then try once more if the block still follows it.
            var (report, chain) = await ReconcileAsync(set, cancellationToken).ConfigureAwait(false);
            if (chain.Count > block.Height && chain[(int)block.Height].Hash == block.Hash)
            {
                return;
            }

            if (!report.Head.Follows(block, out var why))
            {
                throw new LedgerConcurrencyException($"ledger {set.LedgerId}: the replicas' majority head is height {report.Head.Height} ({report.Head.Hash}): {why}");
            }
        }
    }

    /// <inheritdoc />
    /// <remarks>Reads every replica's whole chain, verifies each, returns the majority's blocks and repairs the rest.</remarks>
    public async IAsyncEnumerable<LedgerBlock> ReadBlocksAsync(
        string ledgerId, long fromHeight = 0, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var set = await OpenAsync(ledgerId, cancellationToken).ConfigureAwait(false);
        var (_, chain) = await ReconcileAsync(set, cancellationToken).ConfigureAwait(false);
        foreach (var block in chain.Skip((int)Math.Clamp(fromHeight, 0, int.MaxValue)))
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return block;
        }
    }

    /// <inheritdoc />
    /// <exception cref="NotSupportedException">Always: Dapr cannot enumerate actors; the ComputeJobs on the API server
    /// are the list of ledgers on a cluster.</exception>
    public Task<IReadOnlyList<string>> ListLedgersAsync(CancellationToken cancellationToken = default) =>
        Task.FromException<IReadOnlyList<string>>(new NotSupportedException("the replicated ledger cannot list ledgers: Dapr actors cannot be enumerated; list the ComputeJobs (one ledger per job) instead"));

    /// <summary>Cross-checks every replica of a ledger (whole chains, verified), repairs those that differ from the
    /// majority and says how each compared.</summary>
    /// <param name="ledgerId">The ledger id.</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <returns>The report.</returns>
    /// <exception cref="LedgerQuorumException">When no majority answers or agrees.</exception>
    public async Task<LedgerReplicationReport> CheckAsync(string ledgerId, CancellationToken cancellationToken = default)
    {
        var set = await OpenAsync(ledgerId, cancellationToken).ConfigureAwait(false);
        return (await ReconcileAsync(set, cancellationToken).ConfigureAwait(false)).Report;
    }

    private static bool SameFound(IReadOnlyList<LedgerFoundEntry> a, IReadOnlyList<LedgerFoundEntry> b) =>
        a.Count == b.Count && a.OrderBy(f => f.Key.GetHashCode()).ThenBy(f => f.Height).SequenceEqual(b.OrderBy(f => f.Key.GetHashCode()).ThenBy(f => f.Height));

    private static bool TryDecode(LedgerReplicaHead head, out LedgerHead decoded)
    {
        try
        {
            decoded = head.ToHead();
            return true;
        }
        catch (LedgerFormatException)
        {
            // A malformed head is a damaged replica: the caller takes the slow path, which repairs it.
            decoded = LedgerHead.Empty(head.LedgerId ?? "unknown");
            return false;
        }
    }

    private static LedgerReplicaState Describe<T>(Answer<T> answer) => answer switch
    {
        { Ok: false } => new(answer.Index, LedgerReplicaCondition.Unreachable, -1, answer.Error!),
        { Value: LedgerReplicaReply reply } => new(answer.Index, reply.Acknowledged ? LedgerReplicaCondition.InSync : reply.Outcome == LedgerReplicaOutcome.Damaged ? LedgerReplicaCondition.Damaged : LedgerReplicaCondition.Diverged,
            reply.Head.Height, reply.Reason ?? reply.Outcome.ToString()),
        _ => new(answer.Index, LedgerReplicaCondition.InSync, -1, "answered"),
    };

    private static void RequireReachable<T>(ReplicaSet set, Answer<T>[] answers, string operation)
    {
        var reachable = answers.Count(a => a.Ok);
        if (reachable < set.Quorum)
        {
            throw new LedgerQuorumException(set.LedgerId, operation, set.Count, set.Quorum, reachable, [.. answers.Select(Describe)]);
        }
    }

    private async Task<ReplicaSet> OpenAsync(string ledgerId, CancellationToken cancellationToken)
    {
        LedgerActorIds.Validate(ledgerId);
        var count = await _counts.GetReplicaCountAsync(ledgerId, cancellationToken).ConfigureAwait(false);
        if (count is < 1 or > LedgerActorIds.MaxReplicas)
        {
            throw new InvalidOperationException($"ledger {ledgerId} has {count} replicas; spec.ledger.replicas must be between 1 and {LedgerActorIds.MaxReplicas}");
        }

        return new ReplicaSet(ledgerId, [.. Enumerable.Range(0, count).Select(i => _replicas.Create(ledgerId, i))]);
    }

    private async Task<Answer<T>[]> CallAllAsync<T>(ReplicaSet set, Func<ILedgerReplica, CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        var answers = await Task.WhenAll(set.Replicas.Select(r => CallOneAsync(set.LedgerId, r, call, cancellationToken))).ConfigureAwait(false);
        return answers;
    }

    private async Task<Answer<T>> CallOneAsync<T>(string ledgerId, ILedgerReplica replica, Func<ILedgerReplica, CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.ReplicaTimeout);
        string error;
        try
        {
            // WaitAsync also bounds replicas that ignore the token.
            var value = await call(replica, timeout.Token).WaitAsync(timeout.Token).ConfigureAwait(false);
            return value is null ? new Answer<T>(replica.Index, default, "answered with nothing") : new Answer<T>(replica.Index, value, null);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            error = $"no answer within {_options.ReplicaTimeout}";
        }
        catch (Exception failure) when (failure is not OperationCanceledException)
        {
            // Whatever the transport says (sidecar down, actor failed, bad reply), the replica did not answer.
            error = $"{failure.GetType().Name}: {failure.Message}";
        }

        LedgerLog.ReplicaUnreachable(_logger, ledgerId, replica.Index, error);
        return new Answer<T>(replica.Index, default, error);
    }

    private async Task<Fetched> FetchAsync(string ledgerId, ILedgerReplica replica, CancellationToken cancellationToken)
    {
        var blocks = new List<LedgerBlockData>();
        LedgerReplicaHead? head = null;
        long? missing = null;
        for (var from = 0L; ;)
        {
            var request = new LedgerReadRequest(from, _options.PageSize);
            var answer = await CallOneAsync(ledgerId, replica, (r, ct) => r.ReadBlocksAsync(request, ct), cancellationToken).ConfigureAwait(false);
            if (!answer.Ok)
            {
                return Fetched.Unreachable(replica.Index, answer.Error!);
            }

            var page = answer.Value!;
            head ??= page.Head;
            blocks.AddRange(page.Blocks ?? []);
            from += page.Blocks?.Count ?? 0;
            if (page.Missing is not null)
            {
                missing = page.Missing;
                break;
            }

            if (page.Blocks is null || page.Blocks.Count == 0 || from > head.Height)
            {
                break;
            }
        }

        return Fetched.From(ledgerId, replica.Index, head, blocks, missing);
    }

    private async Task<(LedgerReplicationReport Report, List<LedgerBlock> Chain)> ReconcileAsync(ReplicaSet set, CancellationToken cancellationToken)
    {
        var fetched = await Task.WhenAll(set.Replicas.Select(r => FetchAsync(set.LedgerId, r, cancellationToken))).ConfigureAwait(false);
        var reachable = fetched.Where(f => f.Reachable).ToList();
        if (reachable.Count < set.Quorum)
        {
            throw new LedgerQuorumException(set.LedgerId, "cross-check", set.Count, set.Quorum, reachable.Count, [.. fetched.Select(f => f.State(null))]);
        }

        var chain = ChooseMajorityChain(set, fetched);
        var head = LedgerHead.Empty(set.LedgerId);
        foreach (var block in chain)
        {
            head = head.Advance(block);
        }

        var states = new LedgerReplicaState[fetched.Length];
        var inSync = 0;
        foreach (var replica in fetched)
        {
            var state = replica.State(chain);
            if (state.Condition == LedgerReplicaCondition.InSync)
            {
                inSync++;
            }
            else if (replica.Reachable)
            {
                var repaired = await RepairAsync(set, replica, chain, head, cancellationToken).ConfigureAwait(false);
                state = state with { Repaired = repaired };
                inSync += repaired ? 1 : 0;
            }

            states[replica.Index] = state;
        }

        var report = new LedgerReplicationReport(set.LedgerId, set.Count, set.Quorum, head, states);
        if (report.HasDisagreement)
        {
            LedgerLog.ReplicasDisagree(_logger, set.LedgerId, report);
        }

        if (inSync < set.Quorum)
        {
            throw new LedgerQuorumException(set.LedgerId, $"bringing replicas to the majority head {head.Height}", set.Count, set.Quorum, inSync, states);
        }

        return (report, chain);
    }

    private static List<LedgerBlock> ChooseMajorityChain(ReplicaSet set, Fetched[] fetched)
    {
        var unreachable = fetched.Count(f => !f.Reachable);
        var chain = new List<LedgerBlock>();
        for (var height = 0; ; height++)
        {
            // Replicas whose verified chain agrees with the chosen one so far.
            var following = fetched.Where(f => f.Reachable && f.Valid.Count >= height
                && (height == 0 || f.Valid[height - 1].Hash == chain[height - 1].Hash)).ToList();
            var groups = following.Where(f => f.Valid.Count > height).GroupBy(f => f.Valid[height].Hash)
                .Select(g => (Block: g.First().Valid[height], Support: g.Count())).OrderByDescending(g => g.Support).ToList();
            if (groups.Count == 0)
            {
                return chain;
            }

            // Replicas that may have held a block here but cannot say: unreachable ones, and damaged ones whose
            // verified chain ends here.
            var uncertain = unreachable + following.Count(f => f.Damaged && f.Valid.Count == height);
            var best = groups[0];
            var possible = groups.Where(g => g.Support + uncertain >= set.Quorum).ToList();
            if (best.Support >= set.Quorum || possible.Count == 1)
            {
                chain.Add(possible.Count == 1 && best.Support < set.Quorum ? possible[0].Block : best.Block);
                continue;
            }

            if (possible.Count > 1)
            {
                throw new LedgerQuorumException(set.LedgerId, $"choosing block {height} ({groups.Count} different blocks, none on a majority, and {uncertain} replicas cannot say)",
                    set.Count, set.Quorum, best.Support, [.. fetched.Select(f => f.State(null))]);
            }

            // No block at this height can have been committed.
            return chain;
        }
    }

    private async Task<bool> RepairAsync(ReplicaSet set, Fetched replica, List<LedgerBlock> chain, LedgerHead head, CancellationToken cancellationToken)
    {
        var from = replica.FirstDifference(chain);
        var handle = set.Replicas[replica.Index];
        for (var retriedFromZero = false; ; retriedFromZero = true)
        {
            var ok = true;
            var start = from;
            do
            {
                var count = Math.Min(_options.PageSize, chain.Count - start);
                var last = start + count >= chain.Count;
                var request = new LedgerRepairRequest(start, [.. chain.Skip(start).Take(count).Select(LedgerBlockData.From)], last && !head.IsEmpty ? head.Hash.ToString() : null);
                var answer = await CallOneAsync(set.LedgerId, handle, (r, ct) => r.RepairAsync(request, ct), cancellationToken).ConfigureAwait(false);
                if (!answer.Ok || answer.Value!.Outcome != LedgerReplicaOutcome.Repaired)
                {
                    LedgerLog.RepairFailed(_logger, set.LedgerId, replica.Index, answer.Error ?? answer.Value!.Reason ?? answer.Value.Outcome.ToString());
                    ok = false;
                    break;
                }

                start += count;
            }
            while (start < chain.Count);

            if (ok || retriedFromZero || from == 0)
            {
                return ok;
            }

            // The replica's own prefix may be worse than its blocks showed us: rewrite it whole.
            from = 0;
        }
    }

    private sealed record ReplicaSet(string LedgerId, ILedgerReplica[] Replicas)
    {
        public int Count => Replicas.Length;

        public int Quorum => (Replicas.Length / 2) + 1;
    }

    private sealed record Answer<T>(int Index, T? Value, string? Error)
    {
        public bool Ok => Error is null;
    }

    /// <summary>One replica's chain as read and verified by the store.</summary>
    private sealed class Fetched
    {
        private Fetched(int index, bool reachable, LedgerReplicaHead? head, List<LedgerBlock> valid, string? damage, string? error)
        {
            Index = index;
            Reachable = reachable;
            Head = head;
            Valid = valid;
            Damage = damage;
            Error = error;
        }

        public int Index { get; }

        public bool Reachable { get; }

        public LedgerReplicaHead? Head { get; }

        /// <summary>The verified prefix of its stored chain.</summary>
        public List<LedgerBlock> Valid { get; }

        public string? Damage { get; }

        public bool Damaged => Damage is not null;

        public string? Error { get; }

        public static Fetched Unreachable(int index, string error) => new(index, false, null, [], null, error);

        public static Fetched From(string ledgerId, int index, LedgerReplicaHead? head, List<LedgerBlockData> stored, long? missing)
        {
            var blocks = new List<LedgerBlock>();
            string? damage = missing is null ? null : $"block {missing} is missing from its state";
            foreach (var data in stored)
            {
                try
                {
                    blocks.Add(data.ToBlock());
                }
                catch (LedgerFormatException error)
                {
                    damage = $"block {blocks.Count} is not in canonical form: {error.Message}";
                    break;
                }
            }

            if (blocks.Count > 0)
            {
                var result = LedgerVerifier.Verify(blocks, new LedgerVerifyOptions { ExpectedLedgerId = ledgerId });
                if (!result.IsValid)
                {
                    damage = result.Reason;
                    blocks.RemoveRange((int)(result.FailedHeight ?? 0), blocks.Count - (int)(result.FailedHeight ?? 0));
                }
            }

            var tip = blocks.Count == 0 ? Hash256.Zero.ToString() : blocks[^1].Hash.ToString();
            if (damage is null && (head is null || head.Height != blocks.Count - 1 || head.Hash != tip))
            {
                damage = $"its head (height {head?.Height}, {head?.Hash}) does not match its blocks (height {blocks.Count - 1})";
            }

            return new Fetched(index, true, head, blocks, damage, null);
        }

        /// <summary>First height at which this replica must be rewritten to hold <paramref name="chain"/>.</summary>
        public int FirstDifference(List<LedgerBlock> chain)
        {
            var common = Math.Min(Valid.Count, chain.Count);
            for (var i = 0; i < common; i++)
            {
                if (Valid[i].Hash != chain[i].Hash)
                {
                    return i;
                }
            }

            return common;
        }

        public LedgerReplicaState State(List<LedgerBlock>? chain)
        {
            var height = Head?.Height ?? -1;
            if (!Reachable)
            {
                return new(Index, LedgerReplicaCondition.Unreachable, -1, Error ?? "unreachable");
            }

            if (Damaged)
            {
                return new(Index, LedgerReplicaCondition.Damaged, height, Damage!);
            }

            if (chain is null)
            {
                return new(Index, LedgerReplicaCondition.InSync, height, "answered");
            }

            var first = FirstDifference(chain);
            return first == Valid.Count && first == chain.Count ? new(Index, LedgerReplicaCondition.InSync, height, "holds the majority's chain")
                : first == Valid.Count ? new(Index, LedgerReplicaCondition.Lagging, height, $"missing blocks {first}..{chain.Count - 1}")
                : first == chain.Count ? new(Index, LedgerReplicaCondition.Ahead, height, $"holds uncommitted blocks {first}..{Valid.Count - 1}")
                : new(Index, LedgerReplicaCondition.Diverged, height, $"holds a different block {first}");
        }
    }
}

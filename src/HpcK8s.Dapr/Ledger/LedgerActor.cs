using System.Globalization;
using Dapr.Actors.Runtime;
using HpcK8s.Core.Ledger;

namespace HpcK8s.Dapr.Ledger;

/// <summary>One replica of one job's ledger, kept in the Dapr actor state store (turn-based: one call at a time).</summary>
/// <remarks>
/// <para>State layout, per actor: <c>head</c> (a <see cref="LedgerReplicaHead"/>) and one key per block,
/// <c>block-{height}</c> (a <see cref="LedgerBlockData"/>). An append writes exactly two keys, the new block and the
/// head, in one state transaction; the chain is never rewritten as a whole.</para>
/// <para>On the first call after activation the replica loads its chain and verifies it with
/// <see cref="LedgerVerifier"/>; until a repair, a chain that does not verify (lost keys, altered bytes) makes the
/// replica answer <see cref="LedgerReplicaOutcome.Damaged"/> instead of appending. The decoded chain is then kept in
/// memory for the activation; Dapr guarantees a single activation per id, so no one else writes this state.</para>
/// <para>Every mutating method saves state itself before it replies, so the caller's acknowledgement means durable.</para>
/// </remarks>
[Actor(TypeName = LedgerActorIds.ActorType)]
public sealed class LedgerActor : Actor, ILedgerActor
{
    /// <summary>The state key of the head.</summary>
    public const string HeadKey = "head";

    private const int MaxPageBlocks = 1024;

    private readonly string _ledgerId;
    private ChainState? _chain;

    /// <summary>Creates the replica for <paramref name="host"/>'s id (<c>{ledgerId}:{replicaIndex}</c>).</summary>
    /// <param name="host">The actor host.</param>
    /// <exception cref="ArgumentException">When the actor id is not a ledger replica id.</exception>
    public LedgerActor(ActorHost host)
        : base(host)
    {
        ArgumentNullException.ThrowIfNull(host);
        if (!LedgerActorIds.TryParse(host.Id.GetId(), out var ledgerId, out _))
        {
            throw new ArgumentException($"actor id '{host.Id.GetId()}' is not a ledger replica id ({{ledgerId}}:{{replicaIndex}}, see LedgerActorIds)", nameof(host));
        }

        _ledgerId = ledgerId;
    }

    /// <summary>Creates the replica over a given state manager (for tests through <see cref="ActorHost.CreateForTest{T}(ActorTestOptions)"/>).</summary>
    /// <param name="host">The actor host.</param>
    /// <param name="stateManager">The state manager to use instead of Dapr's.</param>
    internal LedgerActor(ActorHost host, IActorStateManager stateManager)
        : this(host)
    {
        ArgumentNullException.ThrowIfNull(stateManager);
        StateManager = stateManager;
    }

    /// <summary>The state key of the block at <paramref name="height"/>.</summary>
    /// <param name="height">The height.</param>
    /// <returns><c>block-{height}</c>.</returns>
    public static string BlockKey(long height) => string.Create(CultureInfo.InvariantCulture, $"block-{height}");

    /// <inheritdoc />
    public async Task<LedgerReplicaHead> GetHeadAsync()
    {
        var stored = await StateManager.TryGetStateAsync<LedgerReplicaHead>(HeadKey).ConfigureAwait(false);
        return stored.HasValue ? stored.Value : LedgerReplicaHead.From(LedgerHead.Empty(_ledgerId));
    }

    /// <inheritdoc />
    public async Task<LedgerReplicaReply> AppendAsync(LedgerBlockData block)
    {
        ArgumentNullException.ThrowIfNull(block);
        var chain = await LoadAsync().ConfigureAwait(false);
        LedgerBlock decoded;
        try
        {
            decoded = block.ToBlock();
        }
        catch (LedgerFormatException error)
        {
            return Reply(LedgerReplicaOutcome.Invalid, chain, $"block is not in canonical form: {error.Message}");
        }

        if (decoded.Header.LedgerId != _ledgerId)
        {
            return Reply(LedgerReplicaOutcome.Invalid, chain, $"block belongs to ledger '{decoded.Header.LedgerId}', this replica holds '{_ledgerId}'");
        }

        if (chain.Damage is not null)
        {
            LedgerLog.ReplicaDamaged(Logger, Id.GetId(), chain.DamagedHeight ?? -1, chain.Damage);
            return Reply(LedgerReplicaOutcome.Damaged, chain, chain.Damage);
        }

        if (decoded.Height >= 0 && decoded.Height <= chain.Head.Height)
        {
            var existing = chain.Data[(int)decoded.Height];
            if (existing.SameBytesAs(block))
            {
                return Reply(LedgerReplicaOutcome.AlreadyPresent, chain);
            }

            var fork = $"height {decoded.Height} already holds block {existing.Hash}; refusing {block.Hash} (no forks)";
            LedgerLog.AppendRefused(Logger, Id.GetId(), decoded.Height, fork);
            return Reply(LedgerReplicaOutcome.Refused, chain, fork);
        }

        if (!chain.Head.Follows(decoded, out var why))
        {
            LedgerLog.AppendRefused(Logger, Id.GetId(), decoded.Height, why);
            return Reply(LedgerReplicaOutcome.Refused, chain, why);
        }

        var verified = LedgerVerifier.Verify(chain.Blocks.Append(decoded), new LedgerVerifyOptions { ExpectedLedgerId = _ledgerId });
        if (!verified.IsValid)
        {
            return Reply(LedgerReplicaOutcome.Invalid, chain, verified.Reason);
        }

        var next = chain.Head.Advance(decoded);
        try
        {
            await StateManager.SetStateAsync(BlockKey(decoded.Height), block).ConfigureAwait(false);
            await StateManager.SetStateAsync(HeadKey, LedgerReplicaHead.From(next)).ConfigureAwait(false);
            await StateManager.SaveStateAsync().ConfigureAwait(false);
        }
        catch
        {
            // The transaction may or may not have committed: reload from state on the next call.
            _chain = null;
            throw;
        }

        chain.Add(decoded, block, next);
        return Reply(LedgerReplicaOutcome.Appended, chain);
    }

    /// <inheritdoc />
    public async Task<LedgerBlockPage> ReadBlocksAsync(LedgerReadRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var head = await GetHeadAsync().ConfigureAwait(false);
        var max = Math.Clamp(request.MaxBlocks, 1, MaxPageBlocks);
        var blocks = new List<LedgerBlockData>();
        for (var height = Math.Max(0, request.FromHeight); height <= head.Height && blocks.Count < max; height++)
        {
            var block = await StateManager.TryGetStateAsync<LedgerBlockData>(BlockKey(height)).ConfigureAwait(false);
            if (!block.HasValue)
            {
                return new LedgerBlockPage(head, blocks, height);
            }

            blocks.Add(block.Value);
        }

        return new LedgerBlockPage(head, blocks);
    }

    /// <inheritdoc />
    public async Task<LedgerFindReply> FindEntriesAsync(LedgerFindRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var chain = await LoadAsync().ConfigureAwait(false);
        if (chain.Damage is not null)
        {
            return new LedgerFindReply(chain.StoredHead, [], chain.Damage);
        }

        var found = new List<LedgerFoundEntry>();
        foreach (var key in (request.Keys ?? []).Distinct())
        {
            if (chain.Keys.TryGetValue(key, out var position))
            {
                found.Add(new LedgerFoundEntry(key, position.Height, position.Index));
            }
        }

        return new LedgerFindReply(chain.StoredHead, found);
    }

    /// <inheritdoc />
    public async Task<LedgerReplicaReply> RepairAsync(LedgerRepairRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var chain = await LoadAsync().ConfigureAwait(false);
        var supplied = request.Blocks ?? [];
        if (request.FromHeight < 0 || request.FromHeight > chain.Blocks.Count)
        {
            return Reply(LedgerReplicaOutcome.Refused, chain,
                $"cannot repair from height {request.FromHeight}: this replica's verified chain holds heights 0..{chain.Blocks.Count - 1}; repair from {chain.Blocks.Count} or lower");
        }

        var keep = (int)request.FromHeight;
        var candidate = new List<LedgerBlock>(chain.Blocks.Take(keep));
        try
        {
            candidate.AddRange(supplied.Select(b => b.ToBlock()));
        }
        catch (LedgerFormatException error)
        {
            return Reply(LedgerReplicaOutcome.Invalid, chain, $"a supplied block is not in canonical form: {error.Message}");
        }

        Hash256? expected = null;
        if (request.ExpectedHeadHash is not null)
        {
            if (!Hash256.TryParse(request.ExpectedHeadHash, out var parsed))
            {
                return Reply(LedgerReplicaOutcome.Invalid, chain, $"expected head '{request.ExpectedHeadHash}' is not a hash");
            }

            expected = parsed;
        }

        if (candidate.Count > 0)
        {
            var verified = LedgerVerifier.Verify(candidate, new LedgerVerifyOptions { ExpectedLedgerId = _ledgerId, ExpectedHeadHash = expected });
            if (!verified.IsValid)
            {
                return Reply(LedgerReplicaOutcome.Invalid, chain, $"the repaired chain would not verify: {verified.Reason}");
            }
        }
        else if (expected is { IsZero: false })
        {
            return Reply(LedgerReplicaOutcome.Invalid, chain, $"the repaired chain would be empty, expected head {expected}");
        }

        var head = LedgerHead.Empty(_ledgerId);
        foreach (var block in candidate)
        {
            head = head.Advance(block);
        }

        try
        {
            for (var i = 0; i < supplied.Count; i++)
            {
                await StateManager.SetStateAsync(BlockKey(keep + i), supplied[i]).ConfigureAwait(false);
            }

            var staleTo = Math.Max(chain.StoredHead.Height, chain.Blocks.Count - 1);
            for (var height = (long)candidate.Count; height <= staleTo; height++)
            {
                await StateManager.TryRemoveStateAsync(BlockKey(height)).ConfigureAwait(false);
            }

            await StateManager.SetStateAsync(HeadKey, LedgerReplicaHead.From(head)).ConfigureAwait(false);
            await StateManager.SaveStateAsync().ConfigureAwait(false);
        }
        catch
        {
            _chain = null;
            throw;
        }

        _chain = ChainState.Verified(head, candidate, [.. chain.Data.Take(keep), .. supplied]);
        LedgerLog.ReplicaRepaired(Logger, Id.GetId(), request.FromHeight, head.Height);
        return Reply(LedgerReplicaOutcome.Repaired, _chain);
    }

    private static LedgerReplicaReply Reply(LedgerReplicaOutcome outcome, ChainState chain, string? reason = null) =>
        new(outcome, chain.StoredHead, reason, outcome == LedgerReplicaOutcome.Damaged ? chain.DamagedHeight : null);

    private async Task<ChainState> LoadAsync()
    {
        if (_chain is not null)
        {
            return _chain;
        }

        var storedHead = await GetHeadAsync().ConfigureAwait(false);
        var blocks = new List<LedgerBlock>();
        var data = new List<LedgerBlockData>();
        string? damage = null;
        for (var height = 0L; height <= storedHead.Height; height++)
        {
            var stored = await StateManager.TryGetStateAsync<LedgerBlockData>(BlockKey(height)).ConfigureAwait(false);
            if (!stored.HasValue)
            {
                damage = $"block {height} is missing from state (head is at height {storedHead.Height})";
                break;
            }

            try
            {
                blocks.Add(stored.Value.ToBlock());
                data.Add(stored.Value);
            }
            catch (LedgerFormatException error)
            {
                damage = $"block {height} in state is not in canonical form: {error.Message}";
                break;
            }
        }

        if (blocks.Count > 0)
        {
            var verified = LedgerVerifier.Verify(blocks, new LedgerVerifyOptions { ExpectedLedgerId = _ledgerId });
            if (!verified.IsValid)
            {
                damage = verified.Reason;
                var good = (int)(verified.FailedHeight ?? 0);
                blocks.RemoveRange(good, blocks.Count - good);
                data.RemoveRange(good, data.Count - good);
            }
        }

        var head = LedgerHead.Empty(_ledgerId);
        foreach (var block in blocks)
        {
            head = head.Advance(block);
        }

        if (damage is null && !storedHead.SameTipAs(LedgerReplicaHead.From(head)))
        {
            damage = $"stored head (height {storedHead.Height}, {storedHead.Hash}) does not match the stored blocks (height {head.Height}, {head.Hash})";
        }

        _chain = damage is null
            ? ChainState.Verified(head, blocks, data)
            : ChainState.Damaged(storedHead, head, blocks, data, damage, blocks.Count);
        if (damage is not null)
        {
            LedgerLog.ReplicaDamaged(Logger, Id.GetId(), blocks.Count, damage);
        }

        return _chain;
    }

    /// <summary>The replica's chain as loaded and verified in this activation.</summary>
    private sealed class ChainState
    {
        private ChainState(LedgerReplicaHead storedHead, LedgerHead head, List<LedgerBlock> blocks, List<LedgerBlockData> data, string? damage, long? damagedHeight)
        {
            StoredHead = storedHead;
            Head = head;
            Blocks = blocks;
            Data = data;
            Damage = damage;
            DamagedHeight = damagedHeight;
            for (var height = 0; height < blocks.Count; height++)
            {
                IndexKeys(blocks[height]);
            }
        }

        public LedgerReplicaHead StoredHead { get; private set; }

        /// <summary>The head of the verified prefix.</summary>
        public LedgerHead Head { get; private set; }

        public List<LedgerBlock> Blocks { get; }

        public List<LedgerBlockData> Data { get; }

        public Dictionary<LedgerEntryKey, LedgerEntryPosition> Keys { get; } = [];

        public string? Damage { get; }

        public long? DamagedHeight { get; }

        public static ChainState Verified(LedgerHead head, List<LedgerBlock> blocks, List<LedgerBlockData> data) =>
            new(LedgerReplicaHead.From(head), head, blocks, data, null, null);

        public static ChainState Damaged(LedgerReplicaHead storedHead, LedgerHead head, List<LedgerBlock> blocks, List<LedgerBlockData> data, string damage, long damagedHeight) =>
            new(storedHead, head, blocks, data, damage, damagedHeight);

        public void Add(LedgerBlock block, LedgerBlockData data, LedgerHead head)
        {
            Blocks.Add(block);
            Data.Add(data);
            IndexKeys(block);
            Head = head;
            StoredHead = LedgerReplicaHead.From(head);
        }

        private void IndexKeys(LedgerBlock block)
        {
            for (var i = 0; i < block.Entries.Count; i++)
            {
                Keys.TryAdd(block.Entries[i].Key, new LedgerEntryPosition(block.Height, i));
            }
        }
    }
}

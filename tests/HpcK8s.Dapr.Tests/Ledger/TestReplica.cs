using System.Text.Json;
using System.Text.Json.Nodes;
using Dapr.Actors.Runtime;
using HpcK8s.Dapr.Ledger;
using HpcK8s.Testing.Dapr;

namespace HpcK8s.Dapr.Tests.Ledger;

/// <summary>A <see cref="LedgerActor"/> made with <see cref="ActorHost.CreateForTest{T}(ActorTestOptions)"/> over a
/// <see cref="FaithfulActorStateManager"/>, called the way the runtime would (one turn at a time, requests and replies
/// through JSON, cache cleared when a call fails), with faults to inject: down, slow, lost state, altered state.</summary>
public sealed class TestReplica : ILedgerReplica
{
    private static readonly JsonSerializerOptions Wire = new(JsonSerializerDefaults.Web);
    private readonly SemaphoreSlim _turn = new(1, 1);
    private readonly InMemoryActorStateStore _state;
    private readonly string _ledgerId;
    private LedgerActor _actor = null!;

    public TestReplica(InMemoryActorStateStore state, string ledgerId, int index)
    {
        _state = state;
        _ledgerId = ledgerId;
        Index = index;
        Restart();
    }

    public int Index { get; }

    public string ActorId => LedgerActorIds.For(_ledgerId, Index).GetId();

    /// <summary>Calls fail as if the sidecar or the pod were gone.</summary>
    public bool Down { get; set; }

    /// <summary>Calls take this long before they reach the actor.</summary>
    public TimeSpan Delay { get; set; }

    public int Calls { get; private set; }

    /// <summary>A new activation (the old instance and its caches are gone; state stays).</summary>
    public void Restart()
    {
        var host = ActorHost.CreateForTest<LedgerActor>(new ActorTestOptions { ActorId = LedgerActorIds.For(_ledgerId, Index) });
        _actor = new LedgerActor(host, new FaithfulActorStateManager(_state, LedgerActorIds.ActorType, ActorId));
    }

    /// <summary>The state store lost every key of this replica.</summary>
    public void LoseState()
    {
        _state.Wipe(LedgerActorIds.ActorType, ActorId);
        Restart();
    }

    /// <summary>Flips the last byte of the first entry of the stored block at <paramref name="height"/>.</summary>
    public void TamperBlock(long height)
    {
        _state.Tamper(LedgerActorIds.ActorType, ActorId, LedgerActor.BlockKey(height), json =>
        {
            var node = JsonNode.Parse(json)!;
            var entry = Convert.FromBase64String(node["entries"]![0]!.GetValue<string>());
            entry[^1] ^= 0x01;
            node["entries"]![0] = Convert.ToBase64String(entry);
            return node.ToJsonString();
        });
        Restart();
    }

    public Task<LedgerReplicaHead> GetHeadAsync(CancellationToken cancellationToken) =>
        TurnAsync(0, (a, _) => a.GetHeadAsync(), cancellationToken);

    public Task<LedgerReplicaReply> AppendAsync(LedgerBlockData block, CancellationToken cancellationToken) =>
        TurnAsync(block, (a, b) => a.AppendAsync(b), cancellationToken);

    public Task<LedgerBlockPage> ReadBlocksAsync(LedgerReadRequest request, CancellationToken cancellationToken) =>
        TurnAsync(request, (a, r) => a.ReadBlocksAsync(r), cancellationToken);

    public Task<LedgerFindReply> FindEntriesAsync(LedgerFindRequest request, CancellationToken cancellationToken) =>
        TurnAsync(request, (a, r) => a.FindEntriesAsync(r), cancellationToken);

    public Task<LedgerReplicaReply> RepairAsync(LedgerRepairRequest request, CancellationToken cancellationToken) =>
        TurnAsync(request, (a, r) => a.RepairAsync(r), cancellationToken);

    private async Task<TReply> TurnAsync<TRequest, TReply>(TRequest request, Func<LedgerActor, TRequest, Task<TReply>> call, CancellationToken cancellationToken)
    {
        Calls++;
        if (Down)
        {
            throw new HttpRequestException($"connection refused (replica {Index} is down)");
        }

        if (Delay > TimeSpan.Zero)
        {
            await Task.Delay(Delay, cancellationToken);
        }

        await _turn.WaitAsync(cancellationToken);
        try
        {
            var actor = _actor;
            var wireRequest = JsonSerializer.Deserialize<TRequest>(JsonSerializer.Serialize(request, Wire), Wire)!;
            try
            {
                var reply = await call(actor, wireRequest);
                return JsonSerializer.Deserialize<TReply>(JsonSerializer.Serialize(reply, Wire), Wire)!;
            }
            catch
            {
                await actor.StateManager.ClearCacheAsync(CancellationToken.None);
                throw;
            }
        }
        finally
        {
            _turn.Release();
        }
    }
}

using Microsoft.Extensions.Logging;

namespace HpcK8s.Dapr.Ledger;

/// <summary>Log messages of the ledger actors and the replicated store.</summary>
internal static partial class LedgerLog
{
    [LoggerMessage(EventId = 4100, Level = LogLevel.Warning, Message = "Ledger replica {ActorId} refused block {Height}: {Reason}")]
    public static partial void AppendRefused(ILogger logger, string actorId, long height, string reason);

    [LoggerMessage(EventId = 4101, Level = LogLevel.Error, Message = "Ledger replica {ActorId} is damaged from height {Height}: {Reason}")]
    public static partial void ReplicaDamaged(ILogger logger, string actorId, long height, string reason);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Warning, Message = "Ledger replica {ActorId} repaired from height {FromHeight}; head is now {Height}")]
    public static partial void ReplicaRepaired(ILogger logger, string actorId, long fromHeight, long height);

    [LoggerMessage(EventId = 4110, Level = LogLevel.Warning, Message = "Ledger {LedgerId} replica {Index} did not answer: {Detail}")]
    public static partial void ReplicaUnreachable(ILogger logger, string ledgerId, int index, string detail);

    [LoggerMessage(EventId = 4111, Level = LogLevel.Warning, Message = "Ledger {LedgerId} replicas disagree: {Report}")]
    public static partial void ReplicasDisagree(ILogger logger, string ledgerId, LedgerReplicationReport report);

    [LoggerMessage(EventId = 4112, Level = LogLevel.Error, Message = "Ledger {LedgerId} replica {Index} could not be repaired: {Detail}")]
    public static partial void RepairFailed(ILogger logger, string ledgerId, int index, string detail);
}

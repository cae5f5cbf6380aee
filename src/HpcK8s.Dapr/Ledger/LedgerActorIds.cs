using System.Globalization;
using System.Text.RegularExpressions;
using Dapr.Actors;

namespace HpcK8s.Dapr.Ledger;

/// <summary>Names of the ledger actors: the actor type and the deterministic id of each replica.</summary>
/// <remarks>
/// A replica's id is <c>{ledgerId}:{replicaIndex}</c>, e.g. <c>pi-demo-01:0</c>, <c>pi-demo-01:1</c>, … The ledger id
/// is the job's name (a Kubernetes object name), so it is limited to letters, digits, <c>.</c>, <c>_</c> and <c>-</c>:
/// the id then needs no escaping in daprd's URL paths (<c>/actors/LedgerActor/pi-demo-01:0/method/…</c>) or in state
/// store keys (<c>{appId}||LedgerActor||pi-demo-01:0||head</c>), and the last <c>:</c> splits it unambiguously.
/// </remarks>
public static partial class LedgerActorIds
{
    /// <summary>The Dapr actor type name of <see cref="LedgerActor"/>.</summary>
    public const string ActorType = "LedgerActor";

    /// <summary>The most replicas a ledger may have (spec.ledger.replicas is 1 to 7).</summary>
    public const int MaxReplicas = 7;

    /// <summary>The actor id of replica <paramref name="replicaIndex"/> of ledger <paramref name="ledgerId"/>.</summary>
    /// <param name="ledgerId">The ledger (job) id.</param>
    /// <param name="replicaIndex">0 … replicas − 1.</param>
    /// <returns>The id, e.g. <c>pi-demo-01:2</c>.</returns>
    /// <exception cref="ArgumentException">When the ledger id has other characters or the index is out of range.</exception>
    public static ActorId For(string ledgerId, int replicaIndex)
    {
        Validate(ledgerId);
        ArgumentOutOfRangeException.ThrowIfNegative(replicaIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(replicaIndex, MaxReplicas);
        return new ActorId(string.Create(CultureInfo.InvariantCulture, $"{ledgerId}:{replicaIndex}"));
    }

    /// <summary>Splits a replica's actor id into ledger id and replica index.</summary>
    /// <param name="actorId">The actor id.</param>
    /// <param name="ledgerId">The ledger id.</param>
    /// <param name="replicaIndex">The replica index.</param>
    /// <returns>Whether the id has the replica form.</returns>
    public static bool TryParse(string? actorId, out string ledgerId, out int replicaIndex)
    {
        ledgerId = string.Empty;
        replicaIndex = -1;
        var colon = actorId?.LastIndexOf(':') ?? -1;
        if (actorId is null || colon <= 0
            || !int.TryParse(actorId.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var index)
            || index >= MaxReplicas || !LedgerIdPattern().IsMatch(actorId[..colon]))
        {
            return false;
        }

        ledgerId = actorId[..colon];
        replicaIndex = index;
        return true;
    }

    /// <summary>Throws unless <paramref name="ledgerId"/> can name ledger actors.</summary>
    /// <param name="ledgerId">The ledger id.</param>
    /// <exception cref="ArgumentException">When it is empty, longer than 253 characters or has other characters than
    /// letters, digits, '.', '_' and '-'.</exception>
    public static void Validate(string ledgerId)
    {
        ArgumentException.ThrowIfNullOrEmpty(ledgerId);
        if (!LedgerIdPattern().IsMatch(ledgerId))
        {
            throw new ArgumentException(
                $"ledger id '{ledgerId}' cannot name ledger actors: use 1 to 253 letters, digits, '.', '_' or '-', starting with a letter or digit (a Kubernetes object name)",
                nameof(ledgerId));
        }
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,252}$", RegexOptions.CultureInvariant)]
    private static partial Regex LedgerIdPattern();
}

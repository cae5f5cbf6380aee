using System.Buffers;

namespace HpcK8s.Dapr.Workflows;

/// <summary>The instance id rules daprd enforces: 1 to 64 characters from <c>[A-Za-z0-9_-]</c>.</summary>
public static class WorkflowInstanceIds
{
    /// <summary>The longest instance id daprd accepts.</summary>
    public const int MaxLength = 64;

    private static readonly SearchValues<char> Allowed =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-");

    /// <summary>Whether <paramref name="instanceId"/> is a valid instance id.</summary>
    /// <param name="instanceId">The id to check.</param>
    /// <returns>True when valid.</returns>
    public static bool IsValid(string? instanceId) =>
        !string.IsNullOrEmpty(instanceId) && instanceId.Length <= MaxLength && !instanceId.AsSpan().ContainsAnyExcept(Allowed);

    /// <summary>Throws when <paramref name="instanceId"/> is not a valid instance id.</summary>
    /// <param name="instanceId">The id to check.</param>
    /// <param name="parameterName">The parameter named in the exception.</param>
    /// <exception cref="ArgumentException">The id is empty, too long, or has a character outside <c>[A-Za-z0-9_-]</c>.</exception>
    public static void Validate(string? instanceId, string parameterName = "instanceId")
    {
        if (!IsValid(instanceId))
        {
            throw new ArgumentException(
                $"Workflow instance ids must be 1 to {MaxLength} characters from [A-Za-z0-9_-] (got '{instanceId}', {instanceId?.Length ?? 0} characters).",
                parameterName);
        }
    }
}

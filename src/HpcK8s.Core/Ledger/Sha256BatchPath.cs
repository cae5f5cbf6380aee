namespace HpcK8s.Core.Ledger;

/// <summary>Which code path <see cref="Sha256Batch"/> takes; tests force each one, production uses <see cref="Auto"/>.</summary>
internal enum Sha256BatchPath
{
    /// <summary>The widest accelerated path, falling back to one message at a time for small batches and tails.</summary>
    Auto,

    /// <summary>16 messages at once in <see cref="System.Runtime.Intrinsics.Vector512{T}"/> lanes, for every message.</summary>
    Vector512,

    /// <summary>8 messages at once in <see cref="System.Runtime.Intrinsics.Vector256{T}"/> lanes, for every message.</summary>
    Vector256,

    /// <summary>One message at a time through <see cref="Sha256"/>.</summary>
    Scalar,
}

using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;

namespace HpcK8s.Workflows.Execution;

/// <summary>Name-based UUIDs (RFC 9562 version 5), the same for the same name on every machine and replay.</summary>
internal static class DeterministicGuid
{
    /// <summary>The namespace of HpcK8s workflow GUIDs (a fixed random UUID).</summary>
    private static readonly Guid Namespace = new("4c6b1f0e-2f5a-4d3e-9b57-8a1d7c2e6f90");

    [SuppressMessage("Security", "CA5350:Do Not Use Weak Cryptographic Algorithms", Justification = "UUIDv5 is defined on SHA-1; the hash is an identifier, not a security control.")]
    public static Guid Create(string name)
    {
        var nameByteCount = Encoding.UTF8.GetByteCount(name);
        var buffer = new byte[16 + nameByteCount];
        Namespace.TryWriteBytes(buffer.AsSpan(0, 16), bigEndian: true, out _);
        Encoding.UTF8.GetBytes(name, buffer.AsSpan(16));
        Span<byte> hash = stackalloc byte[SHA1.HashSizeInBytes];
        SHA1.HashData(buffer, hash);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash[..16], bigEndian: true);
    }
}

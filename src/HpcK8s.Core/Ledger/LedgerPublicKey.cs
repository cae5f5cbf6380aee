using System.Text;
using NSec.Cryptography;

namespace HpcK8s.Core.Ledger;

/// <summary>An Ed25519 public key that checks block signatures.</summary>
/// <remarks>Key text is either SubjectPublicKeyInfo PEM (<c>-----BEGIN PUBLIC KEY-----</c>, RFC 8410) or the raw
/// 32-byte key in base64.</remarks>
public sealed class LedgerPublicKey
{
    private readonly PublicKey _key;

    internal LedgerPublicKey(PublicKey key) => _key = key;

    /// <summary>Reads key text: PEM, or 32 bytes in base64.</summary>
    /// <param name="text">The key file's content.</param>
    /// <returns>The key.</returns>
    /// <exception cref="FormatException">When the text is neither form.</exception>
    public static LedgerPublicKey Import(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        if (trimmed.StartsWith("-----BEGIN", StringComparison.Ordinal))
        {
            if (PublicKey.TryImport(SignatureAlgorithm.Ed25519, Encoding.ASCII.GetBytes(trimmed), KeyBlobFormat.PkixPublicKeyText, out var pemKey) && pemKey is not null)
            {
                return new LedgerPublicKey(pemKey);
            }

            throw new FormatException("the key text is PEM but not an Ed25519 PUBLIC KEY (SubjectPublicKeyInfo, RFC 8410)");
        }

        var raw = DecodeBase64(trimmed, "Ed25519 public key");
        if (raw.Length != 32)
        {
            throw new FormatException($"an Ed25519 public key is 32 bytes; the base64 text holds {raw.Length}");
        }

        return new LedgerPublicKey(PublicKey.Import(SignatureAlgorithm.Ed25519, raw, KeyBlobFormat.RawPublicKey));
    }

    /// <summary>Whether <paramref name="signature"/> is a valid Ed25519 signature of the 32 bytes of <paramref name="blockHash"/>.</summary>
    /// <param name="blockHash">The block hash.</param>
    /// <param name="signature">The signature (64 bytes).</param>
    /// <returns>Whether it verifies.</returns>
    public bool Verify(Hash256 blockHash, ReadOnlySpan<byte> signature)
    {
        Span<byte> message = stackalloc byte[Hash256.Size];
        blockHash.CopyTo(message);
        return signature.Length == 64 && SignatureAlgorithm.Ed25519.Verify(_key, message, signature);
    }

    /// <summary>The raw 32-byte key in base64.</summary>
    /// <returns>Base64 text.</returns>
    public string ToBase64() => Convert.ToBase64String(_key.Export(KeyBlobFormat.RawPublicKey));

    /// <summary>The key as SubjectPublicKeyInfo PEM text.</summary>
    /// <returns>PEM text.</returns>
    public string ExportPem() => Encoding.ASCII.GetString(_key.Export(KeyBlobFormat.PkixPublicKeyText));

    internal static byte[] DecodeBase64(string text, string what)
    {
        try
        {
            return Convert.FromBase64String(text);
        }
        catch (FormatException error)
        {
            throw new FormatException($"the {what} is neither PEM nor base64: {error.Message}", error);
        }
    }
}

using System.Text;
using NSec.Cryptography;

namespace HpcK8s.Core.Ledger;

/// <summary>An Ed25519 private key that signs block hashes.</summary>
/// <remarks>Key text is either a PKCS#8 PEM block (<c>-----BEGIN PRIVATE KEY-----</c>, RFC 8410, as written by
/// <c>openssl genpkey -algorithm ed25519</c>) or the raw 32-byte seed in base64. Reading the file is the caller's
/// job, so that Core stays free of I/O (see <c>LedgerKeyFiles</c> in HpcK8s.Workflows).</remarks>
public sealed class LedgerSigningKey : IDisposable
{
    private readonly Key _key;

    private LedgerSigningKey(Key key)
    {
        _key = key;
        PublicKey = new LedgerPublicKey(key.PublicKey);
    }

    /// <summary>The matching public key.</summary>
    public LedgerPublicKey PublicKey { get; }

    /// <summary>A new random key that can be exported (for <c>hpck8s ledger keygen</c> and tests).</summary>
    /// <returns>The key.</returns>
    public static LedgerSigningKey Generate() =>
        new(Key.Create(SignatureAlgorithm.Ed25519, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport }));

    /// <summary>Reads key text: PKCS#8 PEM, or the 32-byte seed in base64.</summary>
    /// <param name="text">The key file's content.</param>
    /// <returns>The key.</returns>
    /// <exception cref="FormatException">When the text is neither form.</exception>
    public static LedgerSigningKey Import(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parameters = new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport };
        var trimmed = text.Trim();
        if (trimmed.StartsWith("-----BEGIN", StringComparison.Ordinal))
        {
            if (Key.TryImport(SignatureAlgorithm.Ed25519, Encoding.ASCII.GetBytes(trimmed), KeyBlobFormat.PkixPrivateKeyText, out var pemKey, in parameters) && pemKey is not null)
            {
                return new LedgerSigningKey(pemKey);
            }

            throw new FormatException("the key text is PEM but not an Ed25519 PRIVATE KEY (PKCS#8, RFC 8410)");
        }

        var seed = LedgerPublicKey.DecodeBase64(trimmed, "Ed25519 seed");
        if (seed.Length != 32)
        {
            throw new FormatException($"an Ed25519 seed is 32 bytes; the base64 text holds {seed.Length}");
        }

        return new LedgerSigningKey(Key.Import(SignatureAlgorithm.Ed25519, seed, KeyBlobFormat.RawPrivateKey, in parameters));
    }

    /// <summary>Signs a block hash: Ed25519 over its 32 bytes.</summary>
    /// <param name="blockHash">The block hash.</param>
    /// <returns>The 64-byte signature.</returns>
    public byte[] Sign(Hash256 blockHash)
    {
        Span<byte> message = stackalloc byte[Hash256.Size];
        blockHash.CopyTo(message);
        return SignatureAlgorithm.Ed25519.Sign(_key, message);
    }

    /// <summary>The 32-byte seed in base64 (the simple key-file form).</summary>
    /// <returns>Base64 text.</returns>
    public string ExportSeedBase64() => Convert.ToBase64String(_key.Export(KeyBlobFormat.RawPrivateKey));

    /// <summary>The key as PKCS#8 PEM text.</summary>
    /// <returns>PEM text.</returns>
    public string ExportPem() => Encoding.ASCII.GetString(_key.Export(KeyBlobFormat.PkixPrivateKeyText));

    /// <inheritdoc />
    public void Dispose() => _key.Dispose();
}

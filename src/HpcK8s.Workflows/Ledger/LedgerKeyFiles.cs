using HpcK8s.Core.Ledger;

namespace HpcK8s.Workflows.Ledger;

/// <summary>Reads Ed25519 key files for signed ledger heads: PEM (PKCS#8 private / SubjectPublicKeyInfo public, RFC 8410)
/// or the raw 32 bytes in base64 on one line.</summary>
public static class LedgerKeyFiles
{
    /// <summary>Reads a private key file.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The signing key (dispose it).</returns>
    /// <exception cref="FormatException">When the file holds neither form; the message names the file.</exception>
    public static LedgerSigningKey LoadSigningKey(string path)
    {
        try
        {
            return LedgerSigningKey.Import(File.ReadAllText(path));
        }
        catch (FormatException error)
        {
            throw new FormatException($"{path}: {error.Message}", error);
        }
    }

    /// <summary>Reads a public key file.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The public key.</returns>
    /// <exception cref="FormatException">When the file holds neither form; the message names the file.</exception>
    public static LedgerPublicKey LoadPublicKey(string path)
    {
        try
        {
            return LedgerPublicKey.Import(File.ReadAllText(path));
        }
        catch (FormatException error)
        {
            throw new FormatException($"{path}: {error.Message}", error);
        }
    }
}

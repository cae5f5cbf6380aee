using System.Security.Cryptography;
using System.Text;

namespace HpcK8s.Core.Hashing;

/// <summary>Content digests in the form users see: <c>sha256:</c> followed by 64 lowercase hex digits.</summary>
public static class Digest
{
    /// <summary>The prefix of every digest.</summary>
    public const string Prefix = "sha256:";

    /// <summary>The digest of the UTF-8 bytes of <paramref name="text"/>.</summary>
    public static string OfText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Prefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }
}

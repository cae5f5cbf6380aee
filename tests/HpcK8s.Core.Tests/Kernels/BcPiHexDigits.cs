using System.Diagnostics;
using System.Text;

namespace HpcK8s.Core.Tests.Kernels;

/// <summary>
/// An independent reference: the first <see cref="Count"/> hex digits of pi from GNU bc (<c>4*a(1)</c> with
/// <c>obase=16</c>), computed once per test run.
/// </summary>
/// <remarks>
/// bc's <c>scale</c> counts decimal digits; a hex digit is log10(16) ≈ 1.204 of them, so scale 2520 carries about
/// 2090 hex digits and the last ~40 (which bc's own rounding can spoil) are not used.
/// </remarks>
public static class BcPiHexDigits
{
    public const int Count = 2048;

    // Both test classes use the digits; bc runs once per test run (a couple of seconds).
    private static readonly Lazy<string> Shared = new(Compute);

    /// <summary>Hex digits 1..<see cref="Count"/> after the point, lowercase; position p is <c>Digits[p - 1]</c>.</summary>
    public static string Digits => Shared.Value;

    /// <summary>The digits at 1-based positions <paramref name="position"/>.. (<paramref name="count"/> of them).</summary>
    public static string At(long position, int count) => Digits.Substring((int)position - 1, count);

    private static string Compute()
    {
        var info = new ProcessStartInfo("bc", "-l")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start bc; install it (apt-get install bc)");
        process.StandardInput.WriteLine("obase=16; scale=2520; 4*a(1)");
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, "bc failed: " + process.StandardError.ReadToEnd());

        // bc wraps long numbers with a backslash-newline every 70 characters.
        var text = output.Replace("\\\n", "", StringComparison.Ordinal).Trim();
        Assert.StartsWith("3.", text);
        var digits = new StringBuilder();
        foreach (var c in text.AsSpan(2))
        {
            Assert.True(char.IsAsciiHexDigitUpper(c) || char.IsAsciiDigit(c), $"unexpected character '{c}' in bc output");
            digits.Append(char.ToLowerInvariant(c));
        }

        Assert.True(digits.Length > Count + 30, $"bc gave only {digits.Length} hex digits");
        return digits.ToString(0, Count);
    }
}

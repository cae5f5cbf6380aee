using System.Diagnostics;

namespace HpcK8s.Core.Tests.Kernels.PiDigits;

/// <summary>Digits of pi from Debian's <c>bc</c> (an independent arbitrary-precision implementation of arctan).</summary>
internal static class BcReference
{
    private static readonly Lazy<string> Pi2000 = new(() => Compute(2000));

    /// <summary><c>3.</c> followed by the first 2,000 decimals, computed once per test run (about 1–2 s).</summary>
    public static string First2000 => Pi2000.Value;

    /// <summary>
    /// <c>echo "scale=N+5; 4*a(1)" | bc -l</c>, backslash-newlines removed, truncated to N decimals. The five
    /// extra digits absorb bc's own error in the last places (at scale=10 bc prints 3.1415926532).
    /// </summary>
    public static string Compute(int digits)
    {
        var info = new ProcessStartInfo("bc", "-l")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        Process process;
        try
        {
            process = Process.Start(info) ?? throw new InvalidOperationException("bc did not start");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException("these tests compare with bc; install it (apt-get install bc)", ex);
        }

        using (process)
        {
            process.StandardInput.WriteLine($"scale={digits + 5}; 4*a(1)");
            process.StandardInput.Close();
            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            Assert.True(process.ExitCode == 0, "bc failed: " + process.StandardError.ReadToEnd());
            var text = output.Replace("\\\n", "", StringComparison.Ordinal).Trim();
            Assert.StartsWith("3.14159", text);
            return text[..(digits + 2)];
        }
    }
}

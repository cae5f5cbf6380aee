using System.Globalization;
using HpcK8s.Core.Kernels;
using HpcK8s.Core.Kernels.PiDigits;
using HpcK8s.Core.Numerics;

namespace HpcK8s.Benchmarks;

/// <summary>
/// pi-digits against bench/reference/chudnovsky_gmp.c: the whole job in-process on one thread (plan shards, execute
/// them one after another, merge through <see cref="ShardReducer"/>, finish) versus the C program, wall time.
/// </summary>
internal sealed class DigitsComparison : IComparison
{
    private const int Shards = 16;
    private const int Repeats = 3;

    public string Name => "digits";

    public string Description => "pi-digits (16 shards, 1 thread, GMP) vs chudnovsky_gmp.c at 1,000,000 digits (100,000 with --quick); target ≤ 1.5× wall time";

    public IReadOnlyList<ComparisonRow> Run(ComparisonContext context)
    {
        if (!GmpLibrary.IsAvailable)
        {
            throw new InvalidOperationException($"the digits comparison needs GMP: {GmpLibrary.LoadError}; {GmpLibrary.InstallHint}");
        }

        var digits = context.Quick ? 100_000 : 1_000_000;
        var program = Reference.BuildC(context, "chudnovsky_gmp", "-lgmp");
        var arguments = digits.ToString(CultureInfo.InvariantCulture);
        var job = new KernelJob(new Dictionary<string, string> { ["digits"] = arguments }, Shards);
        var kernel = new PiDigitsKernel(PiDigitsArithmetic.Gmp);

        // Warm up both sides (JIT, page cache) on the real size, then keep the best of a few runs each.
        Reference.Run(program, arguments, out var referenceText);
        var ours = RunKernel(kernel, job);
        if (ours != referenceText.TrimEnd('\n'))
        {
            throw new InvalidOperationException($"pi-digits and chudnovsky_gmp disagree at {digits} digits: first difference at index {FirstDifference(ours, referenceText)}");
        }

        var referenceSeconds = double.MaxValue;
        var ourSeconds = double.MaxValue;
        for (var i = 0; i < Repeats; i++)
        {
            referenceSeconds = Math.Min(referenceSeconds, Reference.Run(program, arguments, out _).WallSeconds);
            GC.Collect();
            ourSeconds = Math.Min(ourSeconds, Reference.Measure(() => RunKernel(kernel, job)).WallSeconds);
        }

        return
        [
            new ComparisonRow($"pi-digits {digits:N0} digits, {Shards} shards", "wall", ourSeconds, referenceSeconds, 1.5, "s"),
        ];
    }

    private static string RunKernel(PiDigitsKernel kernel, KernelJob job)
    {
        var reducer = new ShardReducer(job.Shards, (left, right) => kernel.Merge(job, left, right));
        for (var i = 0; i < job.Shards; i++)
        {
            reducer.Add(i, kernel.ExecuteShard(job, i, CancellationToken.None));
        }

        return kernel.Finish(job, reducer.Result, CancellationToken.None).Value;
    }

    private static int FirstDifference(string a, string b)
    {
        var length = Math.Min(a.Length, b.Length);
        for (var i = 0; i < length; i++)
        {
            if (a[i] != b[i])
            {
                return i;
            }
        }

        return length;
    }
}

using System;
using System.Numerics;
using FluentAssertions;
using MiniNet.Tests.Infrastructure;
using Xunit;

namespace MiniNet.Tests.Kernels;

public partial class GemmTests
{
    // Every dimension the issue lists; the cube of the small ones runs in full, the large ones in mixed triples
    // that cross the blocking (MC = 96 rows, KC = 256 float / 128 double, NC = 2048 columns) and every tile edge.
    private static readonly int[] SmallDims = { 0, 1, 2, 3, 7, 16, 17, 33 };

    private static readonly (int M, int N, int K)[] LargeTriples =
    {
        (15, 31, 63), (31, 63, 65), (63, 65, 15), (65, 15, 31), (100, 127, 16), (127, 16, 100), (16, 100, 127),
        (129, 17, 33), (17, 129, 33), (33, 17, 129), (257, 16, 17), (16, 257, 17), (17, 16, 257), (97, 40, 300),
        (3, 2100, 5), (100, 100, 1),
    };

    // GemmPath is internal, so theories name it; Packed512/256 are correct (if slow) even without the hardware.
    public static TheoryData<string, int> Paths => new()
    {
        { "Small", 1 }, { "Packed256", 1 }, { "Packed512", 1 }, { "Packed256", 2 }, { "Packed512", 2 }, { "Packed512", 3 },
        { "Broadcast", 1 }, { "Broadcast", 2 }, { "DotTiles", 1 }, { "DotTiles", 3 }, { "Auto", 1 }, { "Auto", 2 },
    };

    [Theory]
    [MemberData(nameof(Paths))]
    public void AllTransposes_SmallDims_MatchNaive_Double(string path, int threads) => CheckCube<double>(Enum.Parse<GemmPath>(path), threads);

    [Theory]
    [MemberData(nameof(Paths))]
    public void AllTransposes_SmallDims_MatchNaive_Float(string path, int threads) => CheckCube<float>(Enum.Parse<GemmPath>(path), threads);

    [Theory]
    [MemberData(nameof(Paths))]
    public void AllTransposes_LargeDims_MatchNaive_Double(string path, int threads)
    {
        var rng = new Rng(11);
        foreach (var (m, n, k) in LargeTriples)
        {
            CheckAllTransposes<double>(rng, m, n, k, Enum.Parse<GemmPath>(path), threads);
        }
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void AllTransposes_LargeDims_MatchNaive_Float(string path, int threads)
    {
        var rng = new Rng(12);
        foreach (var (m, n, k) in LargeTriples)
        {
            CheckAllTransposes<float>(rng, m, n, k, Enum.Parse<GemmPath>(path), threads);
        }
    }

    [Fact]
    public void PublicEntry_HonoursMaxThreads_AndMatchesNaive()
    {
        int saved = MiniNetSettings.MaxThreads;
        try
        {
            var rng = new Rng(13);
            foreach (int threads in new[] { 1, 2 })
            {
                MiniNetSettings.MaxThreads = threads;
                CheckAllTransposes<float>(rng, 160, 200, 130, GemmPath.Auto, threads, usePublicEntry: true);
            }
        }
        finally
        {
            MiniNetSettings.MaxThreads = saved;
        }
    }

    [Fact]
    public void PackedPath_SteadyState_AllocatesNothing()
    {
        var a = new float[70 * 300];
        var b = new float[300 * 90];
        var c = new float[70 * 90];
        Gemm.Multiply<float>(a, false, b, true, c, 70, 90, 300, accumulate: false, GemmPath.Packed512, maxThreads: 1);
        long before = GC.GetAllocatedBytesForCurrentThread();
        Gemm.Multiply<float>(a, true, b, false, c, 70, 90, 300, accumulate: true, GemmPath.Packed512, maxThreads: 1);
        Gemm.Multiply<float>(a, false, b, false, c, 70, 90, 300, accumulate: false, GemmPath.Packed256, maxThreads: 1);
        (GC.GetAllocatedBytesForCurrentThread() - before).Should().Be(0, "packing scratch is reused per thread");
    }

    [Fact]
    public async System.Threading.Tasks.Task ConcurrentSplitProducts_FromSeveralThreads_AllMatchNaive()
    {
        // One split runs on the workers at a time; the others fall back to Parallel.For. Both must be right.
        var tasks = new System.Threading.Tasks.Task[4];
        for (int t = 0; t < tasks.Length; t++)
        {
            ulong seed = 40 + (ulong)t;
            tasks[t] = System.Threading.Tasks.Task.Run(() =>
            {
                var rng = new Rng(seed);
                for (int r = 0; r < 3; r++)
                {
                    CheckAllTransposes<double>(rng, 70, 90, 40, GemmPath.Packed512, 2);
                }
            });
        }

        await System.Threading.Tasks.Task.WhenAll(tasks);
    }

    [Fact]
    public void Throws_OnNegativeDimensionOrShortBuffer()
    {
        var buffer = new double[6];
        FluentActions.Invoking(() => Gemm.Multiply<double>(buffer, false, buffer, false, buffer, -1, 2, 2, false))
            .Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => Gemm.Multiply<double>(buffer, false, buffer, false, buffer, 3, 3, 3, false))
            .Should().Throw<ArgumentException>().WithMessage("*3x3 by 3x3*");
    }

    private static void CheckCube<T>(GemmPath path, int threads)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var rng = new Rng(10);
        foreach (int m in SmallDims)
        {
            foreach (int n in SmallDims)
            {
                foreach (int k in SmallDims)
                {
                    CheckAllTransposes<T>(rng, m, n, k, path, threads);
                }
            }
        }
    }

    private static void CheckAllTransposes<T>(Rng rng, int m, int n, int k, GemmPath path, int threads, bool usePublicEntry = false, bool transposeBOnly = false)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        double[] a = Random(rng, m * k), b = Random(rng, k * n), c0 = Random(rng, m * n);
        for (int combo = 0; combo < 8; combo++)
        {
            bool transposeA = (combo & 1) != 0, transposeB = (combo & 2) != 0, accumulate = (combo & 4) != 0;
            if (transposeBOnly && (transposeA || !transposeB))
            {
                continue;
            }

            T[] at = Cast<T>(a), bt = Cast<T>(b), ct = Cast<T>(c0);
            if (usePublicEntry)
            {
                Gemm.Multiply<T>(at, transposeA, bt, transposeB, ct, m, n, k, accumulate);
            }
            else
            {
                Gemm.Multiply<T>(at, transposeA, bt, transposeB, ct, m, n, k, accumulate, path, threads);
            }

            string what = $"{typeof(T).Name} {path} threads={threads} m={m} n={n} k={k} transA={transposeA} transB={transposeB} acc={accumulate}";
            AssertMatchesNaive(Cast(at), transposeA, Cast(bt), transposeB, Cast(Cast<T>(c0)), Cast(ct), m, n, k, accumulate, Eps<T>(), what);
        }
    }

    private static void AssertMatchesNaive(
        double[] a, bool transposeA, double[] b, bool transposeB, double[] c0, double[] actual, int m, int n, int k, bool accumulate, double eps, string what)
    {
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double sum = accumulate ? c0[(i * n) + j] : 0, magnitude = accumulate ? Math.Abs(sum) : 0;
                for (int p = 0; p < k; p++)
                {
                    double term = (transposeA ? a[(p * m) + i] : a[(i * k) + p]) * (transposeB ? b[(j * k) + p] : b[(p * n) + j]);
                    sum += term;
                    magnitude += Math.Abs(term);
                }

                double got = actual[(i * n) + j], allowed = Tolerances.GemmEpsPerTerm * (k + 2) * eps * magnitude;
                if (!(Math.Abs(got - sum) <= allowed))
                {
                    throw new Xunit.Sdk.XunitException($"{what}: C[{i}, {j}] = {got:G17}, naive {sum:G17}, |diff| {Math.Abs(got - sum):G3} > {allowed:G3}");
                }
            }
        }
    }

    private static double Eps<T>()
        where T : unmanaged, IBinaryFloatingPointIeee754<T> => typeof(T) == typeof(float) ? Math.Pow(2, -23) : Math.Pow(2, -52);

    private static double[] Random(Rng rng, int count)
    {
        var values = new double[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = rng.NextGaussian();
        }

        return values;
    }

    private static T[] Cast<T>(double[] values)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> => Array.ConvertAll(values, T.CreateTruncating);

    private static double[] Cast<T>(T[] values)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> => Array.ConvertAll(values, double.CreateTruncating);
}

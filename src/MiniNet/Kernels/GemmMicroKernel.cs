using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MiniNet;

/// <summary>
/// The register-tiled inner kernels of <see cref="Gemm"/>: <c>C[0..mr, 0..nr] += Ã · B̃</c> for one packed micro-panel
/// of A (<c>kc</c> columns of <c>MR</c> values) and one of B (<c>kc</c> rows of <c>NR = 2 vectors</c>, <c>ldb</c> apart:
/// NR when packed, or the row length of an untransposed B read in place). The whole
/// <c>MR × NR</c> tile of C lives in registers for the <c>kc</c> loop, so each step is 2 loads, MR broadcasts and
/// 2·MR FMAs. Tiles on the edge of C (<c>mr &lt; MR</c> or <c>nr &lt; NR</c>) are computed in full against the
/// zero-padded panels and only their valid part is written. With <c>accumulate</c> off (the first KC block of a
/// product that overwrites C) the tile is stored rather than added, which saves clearing C beforehand.
/// </summary>
internal static unsafe partial class GemmMicroKernel
{
    /// <summary>Rows of the 512-bit tile: 16 accumulators + 2 B vectors + 1 broadcast of the 32 zmm registers.</summary>
    public const int Rows512 = 8;

    /// <summary>Rows of the 256-bit tile: 12 accumulators + 2 + 1 fit the 16 ymm registers of AVX2.</summary>
    public const int Rows256 = 6;

    /// <summary>The 8 × 2·Vector512 tile (8 × 32 for float, 8 × 16 for double).</summary>
    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run512<T>(int kc, T* a, T* b, nint ldb, T* c, nint ldc, int mr, int nr, bool accumulate)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int w = Vector512<T>.Count;
        if (nr <= w / 2)
        {
            Narrow<T, Vector256<T>, Gemm256<T>>(kc, a, b, ldb, c, ldc, mr, nr, accumulate);
            return;
        }

        if (nr <= w)
        {
            Narrow<T, Vector512<T>, Gemm512<T>>(kc, a, b, ldb, c, ldc, mr, nr, accumulate);
            return;
        }

        if (mr <= Rows512 / 2)
        {
            Short512(kc, a, b, ldb, c, ldc, mr, nr, accumulate);
            return;
        }

        int prefetchAt = Math.Max(0, kc - PrefetchLead);
        Vector512<T> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector512<T> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        Vector512<T> c60 = default, c61 = default, c70 = default, c71 = default;
        for (int p = 0; p < kc; p++)
        {
            if (p == prefetchAt)
            {
                PrefetchTile(c, ldc, mr, 2 * w);
            }

            Vector512<T> b0 = Vector512.Load(b), b1 = Vector512.Load(b + w);
            Vector512<T> ai = Vector512.Create(a[0]);
            c00 = Fma(ai, b0, c00); c01 = Fma(ai, b1, c01);
            ai = Vector512.Create(a[1]);
            c10 = Fma(ai, b0, c10); c11 = Fma(ai, b1, c11);
            ai = Vector512.Create(a[2]);
            c20 = Fma(ai, b0, c20); c21 = Fma(ai, b1, c21);
            ai = Vector512.Create(a[3]);
            c30 = Fma(ai, b0, c30); c31 = Fma(ai, b1, c31);
            ai = Vector512.Create(a[4]);
            c40 = Fma(ai, b0, c40); c41 = Fma(ai, b1, c41);
            ai = Vector512.Create(a[5]);
            c50 = Fma(ai, b0, c50); c51 = Fma(ai, b1, c51);
            ai = Vector512.Create(a[6]);
            c60 = Fma(ai, b0, c60); c61 = Fma(ai, b1, c61);
            ai = Vector512.Create(a[7]);
            c70 = Fma(ai, b0, c70); c71 = Fma(ai, b1, c71);
            a += Rows512;
            b += ldb;
        }

        // An edge tile goes through a scratch tile so that no store leaves C.
        bool full = mr == Rows512 && nr == 2 * w;
        T* tile = stackalloc T[full ? 1 : Rows512 * 2 * w];
        T* dst = full ? c : tile;
        nint ld = full ? ldc : 2 * w;
        bool add = full && accumulate;
        Put(dst, w, add, c00, c01); Put(dst + ld, w, add, c10, c11); Put(dst + (2 * ld), w, add, c20, c21);
        Put(dst + (3 * ld), w, add, c30, c31); Put(dst + (4 * ld), w, add, c40, c41); Put(dst + (5 * ld), w, add, c50, c51);
        Put(dst + (6 * ld), w, add, c60, c61); Put(dst + (7 * ld), w, add, c70, c71);
        if (!full)
        {
            WriteEdge(tile, 2 * w, c, ldc, mr, nr, accumulate);
        }
    }

    /// <summary>The 6 × 2·Vector256 tile (6 × 16 for float, 6 × 8 for double), for AVX2 machines.</summary>
    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run256<T>(int kc, T* a, T* b, nint ldb, T* c, nint ldc, int mr, int nr, bool accumulate)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int w = Vector256<T>.Count, prefetchAt = Math.Max(0, kc - PrefetchLead);
        Vector256<T> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector256<T> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        for (int p = 0; p < kc; p++)
        {
            if (p == prefetchAt)
            {
                PrefetchTile(c, ldc, mr, 2 * w);
            }

            Vector256<T> b0 = Vector256.Load(b), b1 = Vector256.Load(b + w);
            Vector256<T> ai = Vector256.Create(a[0]);
            c00 = Fma(ai, b0, c00); c01 = Fma(ai, b1, c01);
            ai = Vector256.Create(a[1]);
            c10 = Fma(ai, b0, c10); c11 = Fma(ai, b1, c11);
            ai = Vector256.Create(a[2]);
            c20 = Fma(ai, b0, c20); c21 = Fma(ai, b1, c21);
            ai = Vector256.Create(a[3]);
            c30 = Fma(ai, b0, c30); c31 = Fma(ai, b1, c31);
            ai = Vector256.Create(a[4]);
            c40 = Fma(ai, b0, c40); c41 = Fma(ai, b1, c41);
            ai = Vector256.Create(a[5]);
            c50 = Fma(ai, b0, c50); c51 = Fma(ai, b1, c51);
            a += Rows256;
            b += ldb;
        }

        bool full = mr == Rows256 && nr == 2 * w;
        T* tile = stackalloc T[full ? 1 : Rows256 * 2 * w];
        T* dst = full ? c : tile;
        nint ld = full ? ldc : 2 * w;
        bool add = full && accumulate;
        Put(dst, w, add, c00, c01); Put(dst + ld, w, add, c10, c11); Put(dst + (2 * ld), w, add, c20, c21);
        Put(dst + (3 * ld), w, add, c30, c31); Put(dst + (4 * ld), w, add, c40, c41); Put(dst + (5 * ld), w, add, c50, c51);
        if (!full)
        {
            WriteEdge(tile, 2 * w, c, ldc, mr, nr, accumulate);
        }
    }

    // The tile's rows of C are prefetched this many k steps before the end of the kc loop (24 steps of 16 FMAs, ~190
    // cycles at 2 FMAs a cycle: about an L3 hit). Without it the read-modify-write of the tile at the end stalls on C
    // lines that only L3 holds once C outgrows L2 (1024^2 float is 4 MB). Prefetching at the start of the loop instead
    // leaves the lines in L1 the whole loop, where at ldc = 4 KB the 8 rows share one L1 set with the B panel. Measured
    // on Zen 5, best of 15 x 6-8 rounds at load 3-5, % of the FMA peak at 1024^3, float / double: no prefetch 73 / 81
    // (at load ~15), prefetch at the start 90 / 86, 24 steps ahead 91 / 88 on 1 thread and 95 / 93 on 2 (start: 90 /
    // 86); leads of 8-32 steps were within the noise of each other. A prefetch never faults, so edge tiles need no care.
    private const int PrefetchLead = 24;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PrefetchTile<T>(T* c, nint ldc, int rows, int cols)
        where T : unmanaged
    {
        if (!Sse.IsSupported)
        {
            return;
        }

        nint bytes = (nint)cols * sizeof(T);
        for (int i = 0; i < rows; i++, c += ldc)
        {
            byte* row = (byte*)c;
            for (nint offset = 0; offset < bytes; offset += 64)
            {
                Sse.Prefetch0(row + offset);
            }

            Sse.Prefetch0(row + bytes - 1);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Put<T>(T* dst, int w, bool add, Vector512<T> v0, Vector512<T> v1)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (add)
        {
            v0 += Vector512.Load(dst);
            v1 += Vector512.Load(dst + w);
        }

        v0.Store(dst);
        v1.Store(dst + w);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Put<T>(T* dst, int w, bool add, Vector256<T> v0, Vector256<T> v1)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (add)
        {
            v0 += Vector256.Load(dst);
            v1 += Vector256.Load(dst + w);
        }

        v0.Store(dst);
        v1.Store(dst + w);
    }

    // The valid mr x nr part of an edge tile into C, whole Vector512 then Vector256 runs of each row first: the
    // weight gradient [100, B]^T [B, 784] has a 4-row edge of full 32-column tiles and a 16-column edge, which one
    // scalar read-modify-write per element made cost as much as their FMAs at B = 10.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void WriteEdge<T>(T* tile, nint tileLd, T* c, nint ldc, int mr, int nr, bool accumulate)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        for (int i = 0; i < mr; i++)
        {
            T* src = tile + (i * tileLd), dst = c + (i * ldc);
            int j = 0;
            for (; Vector512.IsHardwareAccelerated && j + Vector512<T>.Count <= nr; j += Vector512<T>.Count)
            {
                Vector512<T> value = Vector512.Load(src + j);
                (accumulate ? value + Vector512.Load(dst + j) : value).Store(dst + j);
            }

            for (; Vector256.IsHardwareAccelerated && j + Vector256<T>.Count <= nr; j += Vector256<T>.Count)
            {
                Vector256<T> value = Vector256.Load(src + j);
                (accumulate ? value + Vector256.Load(dst + j) : value).Store(dst + j);
            }

            for (; j < nr; j++)
            {
                dst[j] = accumulate ? dst[j] + src[j] : src[j];
            }
        }
    }

    // MultiplyAddEstimate is one fused instruction where FMA exists (every AVX2/AVX-512 CPU) and multiply + add
    // otherwise; it is never the slow software-exact fallback of FusedMultiplyAdd. The typeof tests fold away.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<T> Fma<T>(Vector512<T> x, Vector512<T> y, Vector512<T> addend)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float))
        {
            return Vector512.MultiplyAddEstimate(x.AsSingle(), y.AsSingle(), addend.AsSingle()).As<float, T>();
        }

        if (typeof(T) == typeof(double))
        {
            return Vector512.MultiplyAddEstimate(x.AsDouble(), y.AsDouble(), addend.AsDouble()).As<double, T>();
        }

        return (x * y) + addend;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<T> Fma<T>(Vector256<T> x, Vector256<T> y, Vector256<T> addend)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float))
        {
            return Vector256.MultiplyAddEstimate(x.AsSingle(), y.AsSingle(), addend.AsSingle()).As<float, T>();
        }

        if (typeof(T) == typeof(double))
        {
            return Vector256.MultiplyAddEstimate(x.AsDouble(), y.AsDouble(), addend.AsDouble()).As<double, T>();
        }

        return (x * y) + addend;
    }
}

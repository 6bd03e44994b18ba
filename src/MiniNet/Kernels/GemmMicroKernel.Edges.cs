using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace MiniNet;

/// <content>The 512-bit kernel's variants for edge panels that fill only part of its 8 × 2·Vector512 tile.</content>
internal static unsafe partial class GemmMicroKernel
{
    // A ragged last panel of at most one vector's width needs only one column of accumulators: as TVector =
    // Vector512 (at most 16 floats) half the FMAs of the full kernel on a panel that is mostly zero padding; as
    // Vector256 (at most 8 floats: n = 100 leaves 4) 8 ymm accumulators, since a ymm FMA issues twice as fast as a zmm
    // one on a CPU that splits 512-bit operations (Zen 4), and costs the same elsewhere.
    [SkipLocalsInit]
    private static void Narrow<T, TVector, TOps>(int kc, T* a, T* b, nint ldb, T* c, nint ldc, int mr, int nr, bool accumulate)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        where TVector : struct
        where TOps : IGemmVector<TVector, T>
    {
        int w = TOps.Count;
        TVector c0 = default, c1 = default, c2 = default, c3 = default, c4 = default, c5 = default, c6 = default, c7 = default;
        for (int p = 0; p < kc; p++)
        {
            TVector b0 = TOps.Load(b);
            c0 = TOps.Fma(TOps.Broadcast(a[0]), b0, c0);
            c1 = TOps.Fma(TOps.Broadcast(a[1]), b0, c1);
            c2 = TOps.Fma(TOps.Broadcast(a[2]), b0, c2);
            c3 = TOps.Fma(TOps.Broadcast(a[3]), b0, c3);
            c4 = TOps.Fma(TOps.Broadcast(a[4]), b0, c4);
            c5 = TOps.Fma(TOps.Broadcast(a[5]), b0, c5);
            c6 = TOps.Fma(TOps.Broadcast(a[6]), b0, c6);
            c7 = TOps.Fma(TOps.Broadcast(a[7]), b0, c7);
            a += Rows512;
            b += ldb;
        }

        T* tile = stackalloc T[Rows512 * w];
        TOps.Store(c0, tile); TOps.Store(c1, tile + w); TOps.Store(c2, tile + (2 * w)); TOps.Store(c3, tile + (3 * w));
        TOps.Store(c4, tile + (4 * w)); TOps.Store(c5, tile + (5 * w)); TOps.Store(c6, tile + (6 * w)); TOps.Store(c7, tile + (7 * w));
        WriteEdge(tile, w, c, ldc, mr, nr, accumulate);
    }

    // A ragged last row panel of at most 4 rows (m = 10 leaves 2, m = 100 leaves 4) needs only the top half of the
    // tile: 8 independent accumulators still cover the FMA latency, at half the FMAs of the full kernel.
    [SkipLocalsInit]
    private static void Short512<T>(int kc, T* a, T* b, nint ldb, T* c, nint ldc, int mr, int nr, bool accumulate)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int w = Vector512<T>.Count;
        Vector512<T> c00 = default, c01 = default, c10 = default, c11 = default;
        Vector512<T> c20 = default, c21 = default, c30 = default, c31 = default;
        for (int p = 0; p < kc; p++)
        {
            Vector512<T> b0 = Vector512.Load(b), b1 = Vector512.Load(b + w);
            Vector512<T> ai = Vector512.Create(a[0]);
            c00 = Fma(ai, b0, c00); c01 = Fma(ai, b1, c01);
            ai = Vector512.Create(a[1]);
            c10 = Fma(ai, b0, c10); c11 = Fma(ai, b1, c11);
            ai = Vector512.Create(a[2]);
            c20 = Fma(ai, b0, c20); c21 = Fma(ai, b1, c21);
            ai = Vector512.Create(a[3]);
            c30 = Fma(ai, b0, c30); c31 = Fma(ai, b1, c31);
            a += Rows512;
            b += ldb;
        }

        T* tile = stackalloc T[(Rows512 / 2) * 2 * w];
        nint ld = 2 * w;
        Put(tile, w, false, c00, c01); Put(tile + ld, w, false, c10, c11);
        Put(tile + (2 * ld), w, false, c20, c21); Put(tile + (3 * ld), w, false, c30, c31);
        WriteEdge(tile, ld, c, ldc, mr, nr, accumulate);
    }
}

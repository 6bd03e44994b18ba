using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace MiniNet;

/// <content>The one-vector strip (its masked loads and stores are GemmMasks, GemmSupport.cs).</content>
internal static unsafe partial class GemmBroadcastTiles
{
    // A one-vector strip (n <= 16, or the last 1-16 columns, as [100, B]^T [B, 784] has): 6 accumulators would leave
    // the FMAs waiting on each other (4 cycles of latency, 2 a cycle), so each row sums even and odd p apart, 12 chains.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Column<T, TRows>(T* a0, nint rsA, nint csA, T* b, nint ldb, T* c, nint ldc, int k, Vector512<T> mask, bool accumulate)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        where TRows : ICount
    {
        int rows = TRows.Value;
        T* a1 = a0 + rsA, a2 = a1 + rsA, a3 = a2 + rsA, a4 = a3 + rsA, a5 = a4 + rsA;
        Vector512<T> e0 = default, e1 = default, e2 = default, e3 = default, e4 = default, e5 = default;
        Vector512<T> o0 = default, o1 = default, o2 = default, o3 = default, o4 = default, o5 = default;
        nint ap = 0;
        int p = 0;
        for (; p + 2 <= k; p += 2, ap += 2 * csA, b += 2 * ldb)
        {
            Vector512<T> y = GemmMasks.Load<T, Vector512<T>>(b, mask), z = GemmMasks.Load<T, Vector512<T>>(b + ldb, mask);
            Pair(a0, ap, csA, y, z, ref e0, ref o0);
            if (rows > 1)
            {
                Pair(a1, ap, csA, y, z, ref e1, ref o1);
            }

            if (rows > 2)
            {
                Pair(a2, ap, csA, y, z, ref e2, ref o2);
            }

            if (rows > 3)
            {
                Pair(a3, ap, csA, y, z, ref e3, ref o3);
            }

            if (rows > 4)
            {
                Pair(a4, ap, csA, y, z, ref e4, ref o4);
            }

            if (rows > 5)
            {
                Pair(a5, ap, csA, y, z, ref e5, ref o5);
            }
        }

        // An odd k: the last step into the even sums, read with the odd ones' vector at zero.
        Vector512<T> last = p < k ? GemmMasks.Load<T, Vector512<T>>(b, mask) : default;
        PutRow<T, Count1>(c, e0 + o0 + Last(a0, ap, p < k, last), default, default, default, mask, accumulate);
        if (rows > 1)
        {
            PutRow<T, Count1>(c + ldc, e1 + o1 + Last(a1, ap, p < k, last), default, default, default, mask, accumulate);
        }

        if (rows > 2)
        {
            PutRow<T, Count1>(c + (2 * ldc), e2 + o2 + Last(a2, ap, p < k, last), default, default, default, mask, accumulate);
        }

        if (rows > 3)
        {
            PutRow<T, Count1>(c + (3 * ldc), e3 + o3 + Last(a3, ap, p < k, last), default, default, default, mask, accumulate);
        }

        if (rows > 4)
        {
            PutRow<T, Count1>(c + (4 * ldc), e4 + o4 + Last(a4, ap, p < k, last), default, default, default, mask, accumulate);
        }

        if (rows > 5)
        {
            PutRow<T, Count1>(c + (5 * ldc), e5 + o5 + Last(a5, ap, p < k, last), default, default, default, mask, accumulate);
        }
    }

    // even += A(p) y, odd += A(p + 1) z for one row of A.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Pair<T>(T* a, nint ap, nint csA, Vector512<T> y, Vector512<T> z, ref Vector512<T> even, ref Vector512<T> odd)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        even = GemmMicroKernel.Fma(Vector512.Create(a[ap]), y, even);
        odd = GemmMicroKernel.Fma(Vector512.Create(a[ap + csA]), z, odd);
    }

    // A(k - 1) times the last B row when k is odd, else zero (A is not read).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<T> Last<T>(T* a, nint ap, bool odd, Vector512<T> y)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> => odd ? Vector512.Create(a[ap]) * y : default;
}

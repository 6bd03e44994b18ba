using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace MiniNet;

/// <summary>The search driver (see the remarks on <see cref="Vectorized"/>).</summary>
internal static partial class Vectorized
{
    /// <summary>
    /// The index of the first <c>x[i]</c> outside <c>[lo, hi]</c> or NaN, or -1: whole vectors are compared, and the
    /// first vector holding such a value is searched in scalar code.
    /// </summary>
    [MethodImpl(Driver)]
    public static int IndexOfOutside<T>(ReadOnlySpan<T> x, T lo, T hi)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ref T xr = ref MemoryMarshal.GetReference(x);
        nuint n = (nuint)x.Length, i = 0;
        if (Vector512.IsHardwareAccelerated && n >= (nuint)Vector512<T>.Count)
        {
            Vector512<T> l = Vector512.Create(lo), h = Vector512.Create(hi);
            for (nuint w = (nuint)Vector512<T>.Count; i <= n - w; i += w)
            {
                Vector512<T> v = Vector512.LoadUnsafe(ref xr, i);
                if (!Vector512.EqualsAll((Vector512.GreaterThanOrEqual(v, l) & Vector512.LessThanOrEqual(v, h)).AsByte(), Vector512<byte>.AllBitsSet))
                {
                    break;
                }
            }
        }
        else if (Vector256.IsHardwareAccelerated && n >= (nuint)Vector256<T>.Count)
        {
            Vector256<T> l = Vector256.Create(lo), h = Vector256.Create(hi);
            for (nuint w = (nuint)Vector256<T>.Count; i <= n - w; i += w)
            {
                Vector256<T> v = Vector256.LoadUnsafe(ref xr, i);
                if (!Vector256.EqualsAll((Vector256.GreaterThanOrEqual(v, l) & Vector256.LessThanOrEqual(v, h)).AsByte(), Vector256<byte>.AllBitsSet))
                {
                    break;
                }
            }
        }
        else if (Vector128.IsHardwareAccelerated && n >= (nuint)Vector128<T>.Count)
        {
            Vector128<T> l = Vector128.Create(lo), h = Vector128.Create(hi);
            for (nuint w = (nuint)Vector128<T>.Count; i <= n - w; i += w)
            {
                Vector128<T> v = Vector128.LoadUnsafe(ref xr, i);
                if (!Vector128.EqualsAll((Vector128.GreaterThanOrEqual(v, l) & Vector128.LessThanOrEqual(v, h)).AsByte(), Vector128<byte>.AllBitsSet))
                {
                    break;
                }
            }
        }

        for (; i < n; i++)
        {
            T v = Unsafe.Add(ref xr, i);
            if (!(v >= lo && v <= hi))
            {
                return (int)i;
            }
        }

        return -1;
    }
}

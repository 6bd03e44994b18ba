using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace MiniNet;

/// <summary>The accumulating drivers (<c>d += f(...)</c>) and the sum (see the remarks on <see cref="Vectorized"/>).</summary>
internal static partial class Vectorized
{
    /// <summary><c>d[i] += f(x[i])</c>, computed as <c>d[i] + f(x[i])</c>; <paramref name="d"/> must not overlap <paramref name="x"/>.</summary>
    /// <exception cref="ArgumentException">The spans differ in length.</exception>
    [MethodImpl(Driver)]
    public static void Accumulate<T, TOp>(TOp op, ReadOnlySpan<T> x, Span<T> d)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        where TOp : struct, IUnaryKernel<T>
    {
        RequireLengths(x.Length, d.Length);
        ref T xr = ref MemoryMarshal.GetReference(x), dr = ref MemoryMarshal.GetReference(d);
        nuint n = (nuint)x.Length, i = 0;
        if (Vector512.IsHardwareAccelerated && n >= (nuint)Vector512<T>.Count)
        {
            for (nuint w = (nuint)Vector512<T>.Count; i <= n - w; i += w)
            {
                (Vector512.LoadUnsafe(ref dr, i) + op.Invoke(Vector512.LoadUnsafe(ref xr, i))).StoreUnsafe(ref dr, i);
            }
        }
        else if (Vector256.IsHardwareAccelerated && n >= (nuint)Vector256<T>.Count)
        {
            for (nuint w = (nuint)Vector256<T>.Count; i <= n - w; i += w)
            {
                (Vector256.LoadUnsafe(ref dr, i) + op.Invoke(Vector256.LoadUnsafe(ref xr, i))).StoreUnsafe(ref dr, i);
            }
        }
        else if (Vector128.IsHardwareAccelerated && n >= (nuint)Vector128<T>.Count)
        {
            for (nuint w = (nuint)Vector128<T>.Count; i <= n - w; i += w)
            {
                (Vector128.LoadUnsafe(ref dr, i) + op.Invoke(Vector128.LoadUnsafe(ref xr, i))).StoreUnsafe(ref dr, i);
            }
        }

        for (; i < n; i++)
        {
            Unsafe.Add(ref dr, i) += op.Invoke(Unsafe.Add(ref xr, i));
        }
    }

    /// <summary><c>d[i] += f(x[i], y[i])</c>; <paramref name="d"/> must not overlap an input.</summary>
    /// <exception cref="ArgumentException">The spans differ in length.</exception>
    [MethodImpl(Driver)]
    public static void Accumulate<T, TOp>(TOp op, ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        where TOp : struct, IBinaryKernel<T>
    {
        RequireLengths(x.Length, y.Length, d.Length);
        ref T xr = ref MemoryMarshal.GetReference(x), yr = ref MemoryMarshal.GetReference(y), dr = ref MemoryMarshal.GetReference(d);
        nuint n = (nuint)x.Length, i = 0;
        if (Vector512.IsHardwareAccelerated && n >= (nuint)Vector512<T>.Count)
        {
            for (nuint w = (nuint)Vector512<T>.Count; i <= n - w; i += w)
            {
                Vector512<T> f = op.Invoke(Vector512.LoadUnsafe(ref xr, i), Vector512.LoadUnsafe(ref yr, i));
                (Vector512.LoadUnsafe(ref dr, i) + f).StoreUnsafe(ref dr, i);
            }
        }
        else if (Vector256.IsHardwareAccelerated && n >= (nuint)Vector256<T>.Count)
        {
            for (nuint w = (nuint)Vector256<T>.Count; i <= n - w; i += w)
            {
                Vector256<T> f = op.Invoke(Vector256.LoadUnsafe(ref xr, i), Vector256.LoadUnsafe(ref yr, i));
                (Vector256.LoadUnsafe(ref dr, i) + f).StoreUnsafe(ref dr, i);
            }
        }
        else if (Vector128.IsHardwareAccelerated && n >= (nuint)Vector128<T>.Count)
        {
            for (nuint w = (nuint)Vector128<T>.Count; i <= n - w; i += w)
            {
                Vector128<T> f = op.Invoke(Vector128.LoadUnsafe(ref xr, i), Vector128.LoadUnsafe(ref yr, i));
                (Vector128.LoadUnsafe(ref dr, i) + f).StoreUnsafe(ref dr, i);
            }
        }

        for (; i < n; i++)
        {
            Unsafe.Add(ref dr, i) += op.Invoke(Unsafe.Add(ref xr, i), Unsafe.Add(ref yr, i));
        }
    }

    /// <summary><c>d[i] += f(x[i], y[i], z[i])</c>; <paramref name="d"/> must not overlap an input.</summary>
    /// <exception cref="ArgumentException">The spans differ in length.</exception>
    [MethodImpl(Driver)]
    public static void Accumulate<T, TOp>(TOp op, ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> z, Span<T> d)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        where TOp : struct, ITernaryKernel<T>
    {
        RequireLengths(x.Length, y.Length, z.Length, d.Length);
        ref T xr = ref MemoryMarshal.GetReference(x), yr = ref MemoryMarshal.GetReference(y);
        ref T zr = ref MemoryMarshal.GetReference(z), dr = ref MemoryMarshal.GetReference(d);
        nuint n = (nuint)x.Length, i = 0;
        if (Vector512.IsHardwareAccelerated && n >= (nuint)Vector512<T>.Count)
        {
            for (nuint w = (nuint)Vector512<T>.Count; i <= n - w; i += w)
            {
                Vector512<T> f = op.Invoke(Vector512.LoadUnsafe(ref xr, i), Vector512.LoadUnsafe(ref yr, i), Vector512.LoadUnsafe(ref zr, i));
                (Vector512.LoadUnsafe(ref dr, i) + f).StoreUnsafe(ref dr, i);
            }
        }
        else if (Vector256.IsHardwareAccelerated && n >= (nuint)Vector256<T>.Count)
        {
            for (nuint w = (nuint)Vector256<T>.Count; i <= n - w; i += w)
            {
                Vector256<T> f = op.Invoke(Vector256.LoadUnsafe(ref xr, i), Vector256.LoadUnsafe(ref yr, i), Vector256.LoadUnsafe(ref zr, i));
                (Vector256.LoadUnsafe(ref dr, i) + f).StoreUnsafe(ref dr, i);
            }
        }
        else if (Vector128.IsHardwareAccelerated && n >= (nuint)Vector128<T>.Count)
        {
            for (nuint w = (nuint)Vector128<T>.Count; i <= n - w; i += w)
            {
                Vector128<T> f = op.Invoke(Vector128.LoadUnsafe(ref xr, i), Vector128.LoadUnsafe(ref yr, i), Vector128.LoadUnsafe(ref zr, i));
                (Vector128.LoadUnsafe(ref dr, i) + f).StoreUnsafe(ref dr, i);
            }
        }

        for (; i < n; i++)
        {
            Unsafe.Add(ref dr, i) += op.Invoke(Unsafe.Add(ref xr, i), Unsafe.Add(ref yr, i), Unsafe.Add(ref zr, i));
        }
    }

    /// <summary><c>sum_i f(x[i], y[i])</c>: one partial sum per lane of the widest vector that fits, then the lanes, then the tail.</summary>
    /// <exception cref="ArgumentException">The spans differ in length.</exception>
    [MethodImpl(Driver)]
    public static T Sum<T, TOp>(TOp op, ReadOnlySpan<T> x, ReadOnlySpan<T> y)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        where TOp : struct, IBinaryKernel<T>
    {
        RequireLengths(x.Length, y.Length);
        ref T xr = ref MemoryMarshal.GetReference(x), yr = ref MemoryMarshal.GetReference(y);
        nuint n = (nuint)x.Length, i = 0;
        T sum = T.Zero;
        if (Vector512.IsHardwareAccelerated && n >= (nuint)Vector512<T>.Count)
        {
            Vector512<T> acc = Vector512<T>.Zero;
            for (nuint w = (nuint)Vector512<T>.Count; i <= n - w; i += w)
            {
                acc += op.Invoke(Vector512.LoadUnsafe(ref xr, i), Vector512.LoadUnsafe(ref yr, i));
            }

            sum = Vector512.Sum(acc);
        }
        else if (Vector256.IsHardwareAccelerated && n >= (nuint)Vector256<T>.Count)
        {
            Vector256<T> acc = Vector256<T>.Zero;
            for (nuint w = (nuint)Vector256<T>.Count; i <= n - w; i += w)
            {
                acc += op.Invoke(Vector256.LoadUnsafe(ref xr, i), Vector256.LoadUnsafe(ref yr, i));
            }

            sum = Vector256.Sum(acc);
        }
        else if (Vector128.IsHardwareAccelerated && n >= (nuint)Vector128<T>.Count)
        {
            Vector128<T> acc = Vector128<T>.Zero;
            for (nuint w = (nuint)Vector128<T>.Count; i <= n - w; i += w)
            {
                acc += op.Invoke(Vector128.LoadUnsafe(ref xr, i), Vector128.LoadUnsafe(ref yr, i));
            }

            sum = Vector128.Sum(acc);
        }

        for (; i < n; i++)
        {
            sum += op.Invoke(Unsafe.Add(ref xr, i), Unsafe.Add(ref yr, i));
        }

        return sum;
    }
}

using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace MiniNet;

/// <summary>A one-operand elementwise function, per value and per 128-, 256- and 512-bit vector.</summary>
/// <remarks>
/// Operators are small <c>readonly struct</c>s with instance members, so one can carry a scalar (Axpy's <c>a</c>); the
/// drivers in <see cref="Vectorized"/> take them by value as a generic argument, so the JIT specialises every driver
/// per operator and inlines its members (no virtual call). The scalar member is the definition; a vector member
/// computes the same function lane by lane.
/// </remarks>
internal interface IUnaryKernel<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <summary>f(x).</summary>
    T Invoke(T x);

    /// <summary>f(x) per lane.</summary>
    Vector128<T> Invoke(Vector128<T> x);

    /// <summary>f(x) per lane.</summary>
    Vector256<T> Invoke(Vector256<T> x);

    /// <summary>f(x) per lane.</summary>
    Vector512<T> Invoke(Vector512<T> x);
}

/// <summary>A two-operand elementwise function (see <see cref="IUnaryKernel{T}"/>).</summary>
internal interface IBinaryKernel<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <summary>f(x, y).</summary>
    T Invoke(T x, T y);

    /// <summary>f(x, y) per lane.</summary>
    Vector128<T> Invoke(Vector128<T> x, Vector128<T> y);

    /// <summary>f(x, y) per lane.</summary>
    Vector256<T> Invoke(Vector256<T> x, Vector256<T> y);

    /// <summary>f(x, y) per lane.</summary>
    Vector512<T> Invoke(Vector512<T> x, Vector512<T> y);
}

/// <summary>A three-operand elementwise function (see <see cref="IUnaryKernel{T}"/>).</summary>
internal interface ITernaryKernel<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <summary>f(x, y, z).</summary>
    T Invoke(T x, T y, T z);

    /// <summary>f(x, y, z) per lane.</summary>
    Vector128<T> Invoke(Vector128<T> x, Vector128<T> y, Vector128<T> z);

    /// <summary>f(x, y, z) per lane.</summary>
    Vector256<T> Invoke(Vector256<T> x, Vector256<T> y, Vector256<T> z);

    /// <summary>f(x, y, z) per lane.</summary>
    Vector512<T> Invoke(Vector512<T> x, Vector512<T> y, Vector512<T> z);
}

/// <summary>
/// The drivers that run an operator over spans: <c>Map</c> (<c>d[i] = f(...)</c>), <c>Accumulate</c>
/// (<c>d[i] += f(...)</c>, the in-place form) and <c>Sum</c> (<c>sum_i f(...)</c>), each for one, two and three operands.
/// </summary>
/// <remarks>
/// <para>
/// Each driver checks that the spans have one length, then runs 512-bit vectors when the span holds at least one and
/// <c>Vector512.IsHardwareAccelerated</c>, else 256-bit, else 128-bit (ARM64 AdvSimd, SSE), else the scalar member.
/// <c>Map</c> finishes with the last full vector again, overlapping the tail, and computes it before any store, so
/// <c>d</c> may be one of the inputs. <c>Accumulate</c> finishes with scalar code, since an overlapping vector would add
/// twice; <c>d</c> must not overlap an input. <c>Sum</c> keeps one partial sum per lane, adds the lanes, then the scalar tail.
/// </para>
/// <para>
/// Every driver is compiled once, fully optimised and never inlined (<see cref="Driver"/>). The driver API for new
/// kernels: write a <c>readonly struct</c> implementing the interface of its arity, then call
/// <c>Vectorized.Map(new MyOp(), x, y, destination)</c>.
/// </para>
/// </remarks>
internal static partial class Vectorized
{
    /// <summary>
    /// How every driver is compiled. AggressiveOptimization skips tier 0, where the Vector helpers would not be inlined
    /// (see <see cref="Gemm"/>). NoInlining keeps the driver a method of its own: once tiered compilation recompiled a
    /// small caller at tier 1 (Logistic.Sigmoid, after ~30 calls), it inlined the driver, ran out of inlining budget and
    /// left the operator's exp a call per vector, so 1M-float sigmoid went from ~230 to 400-1,100 us per call for the
    /// rest of the process (measured 2026-12-03 with tiering on, the .NET default; the benchmark and the MNIST sample
    /// run with it off, which hid it).
    /// </summary>
    internal const MethodImplOptions Driver = MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining;

    /// <summary><c>d[i] = f(x[i])</c>; <paramref name="d"/> may be <paramref name="x"/>.</summary>
    /// <exception cref="ArgumentException">The spans differ in length.</exception>
    [MethodImpl(Driver)]
    public static void Map<T, TOp>(TOp op, ReadOnlySpan<T> x, Span<T> d)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        where TOp : struct, IUnaryKernel<T>
    {
        RequireLengths(x.Length, d.Length);
        ref T xr = ref MemoryMarshal.GetReference(x), dr = ref MemoryMarshal.GetReference(d);
        nuint n = (nuint)x.Length, i = 0;
        if (Vector512.IsHardwareAccelerated && n >= (nuint)Vector512<T>.Count)
        {
            nuint w = (nuint)Vector512<T>.Count, last = n - w;
            Vector512<T> end = op.Invoke(Vector512.LoadUnsafe(ref xr, last));
            for (; i < last; i += w)
            {
                op.Invoke(Vector512.LoadUnsafe(ref xr, i)).StoreUnsafe(ref dr, i);
            }

            end.StoreUnsafe(ref dr, last);
        }
        else if (Vector256.IsHardwareAccelerated && n >= (nuint)Vector256<T>.Count)
        {
            nuint w = (nuint)Vector256<T>.Count, last = n - w;
            Vector256<T> end = op.Invoke(Vector256.LoadUnsafe(ref xr, last));
            for (; i < last; i += w)
            {
                op.Invoke(Vector256.LoadUnsafe(ref xr, i)).StoreUnsafe(ref dr, i);
            }

            end.StoreUnsafe(ref dr, last);
        }
        else if (Vector128.IsHardwareAccelerated && n >= (nuint)Vector128<T>.Count)
        {
            nuint w = (nuint)Vector128<T>.Count, last = n - w;
            Vector128<T> end = op.Invoke(Vector128.LoadUnsafe(ref xr, last));
            for (; i < last; i += w)
            {
                op.Invoke(Vector128.LoadUnsafe(ref xr, i)).StoreUnsafe(ref dr, i);
            }

            end.StoreUnsafe(ref dr, last);
        }
        else
        {
            for (; i < n; i++)
            {
                Unsafe.Add(ref dr, i) = op.Invoke(Unsafe.Add(ref xr, i));
            }
        }
    }

    /// <summary><c>d[i] = f(x[i], y[i])</c>; <paramref name="d"/> may be one of the inputs.</summary>
    /// <exception cref="ArgumentException">The spans differ in length.</exception>
    [MethodImpl(Driver)]
    public static void Map<T, TOp>(TOp op, ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        where TOp : struct, IBinaryKernel<T>
    {
        RequireLengths(x.Length, y.Length, d.Length);
        ref T xr = ref MemoryMarshal.GetReference(x), yr = ref MemoryMarshal.GetReference(y), dr = ref MemoryMarshal.GetReference(d);
        nuint n = (nuint)x.Length, i = 0;
        if (Vector512.IsHardwareAccelerated && n >= (nuint)Vector512<T>.Count)
        {
            nuint w = (nuint)Vector512<T>.Count, last = n - w;
            Vector512<T> end = op.Invoke(Vector512.LoadUnsafe(ref xr, last), Vector512.LoadUnsafe(ref yr, last));
            for (; i < last; i += w)
            {
                op.Invoke(Vector512.LoadUnsafe(ref xr, i), Vector512.LoadUnsafe(ref yr, i)).StoreUnsafe(ref dr, i);
            }

            end.StoreUnsafe(ref dr, last);
        }
        else if (Vector256.IsHardwareAccelerated && n >= (nuint)Vector256<T>.Count)
        {
            nuint w = (nuint)Vector256<T>.Count, last = n - w;
            Vector256<T> end = op.Invoke(Vector256.LoadUnsafe(ref xr, last), Vector256.LoadUnsafe(ref yr, last));
            for (; i < last; i += w)
            {
                op.Invoke(Vector256.LoadUnsafe(ref xr, i), Vector256.LoadUnsafe(ref yr, i)).StoreUnsafe(ref dr, i);
            }

            end.StoreUnsafe(ref dr, last);
        }
        else if (Vector128.IsHardwareAccelerated && n >= (nuint)Vector128<T>.Count)
        {
            nuint w = (nuint)Vector128<T>.Count, last = n - w;
            Vector128<T> end = op.Invoke(Vector128.LoadUnsafe(ref xr, last), Vector128.LoadUnsafe(ref yr, last));
            for (; i < last; i += w)
            {
                op.Invoke(Vector128.LoadUnsafe(ref xr, i), Vector128.LoadUnsafe(ref yr, i)).StoreUnsafe(ref dr, i);
            }

            end.StoreUnsafe(ref dr, last);
        }
        else
        {
            for (; i < n; i++)
            {
                Unsafe.Add(ref dr, i) = op.Invoke(Unsafe.Add(ref xr, i), Unsafe.Add(ref yr, i));
            }
        }
    }

    /// <summary><c>d[i] = f(x[i], y[i], z[i])</c>; <paramref name="d"/> may be one of the inputs.</summary>
    /// <exception cref="ArgumentException">The spans differ in length.</exception>
    [MethodImpl(Driver)]
    public static void Map<T, TOp>(TOp op, ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> z, Span<T> d)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        where TOp : struct, ITernaryKernel<T>
    {
        RequireLengths(x.Length, y.Length, z.Length, d.Length);
        ref T xr = ref MemoryMarshal.GetReference(x), yr = ref MemoryMarshal.GetReference(y);
        ref T zr = ref MemoryMarshal.GetReference(z), dr = ref MemoryMarshal.GetReference(d);
        nuint n = (nuint)x.Length, i = 0;
        if (Vector512.IsHardwareAccelerated && n >= (nuint)Vector512<T>.Count)
        {
            nuint w = (nuint)Vector512<T>.Count, last = n - w;
            Vector512<T> end = op.Invoke(Vector512.LoadUnsafe(ref xr, last), Vector512.LoadUnsafe(ref yr, last), Vector512.LoadUnsafe(ref zr, last));
            for (; i < last; i += w)
            {
                op.Invoke(Vector512.LoadUnsafe(ref xr, i), Vector512.LoadUnsafe(ref yr, i), Vector512.LoadUnsafe(ref zr, i)).StoreUnsafe(ref dr, i);
            }

            end.StoreUnsafe(ref dr, last);
        }
        else if (Vector256.IsHardwareAccelerated && n >= (nuint)Vector256<T>.Count)
        {
            nuint w = (nuint)Vector256<T>.Count, last = n - w;
            Vector256<T> end = op.Invoke(Vector256.LoadUnsafe(ref xr, last), Vector256.LoadUnsafe(ref yr, last), Vector256.LoadUnsafe(ref zr, last));
            for (; i < last; i += w)
            {
                op.Invoke(Vector256.LoadUnsafe(ref xr, i), Vector256.LoadUnsafe(ref yr, i), Vector256.LoadUnsafe(ref zr, i)).StoreUnsafe(ref dr, i);
            }

            end.StoreUnsafe(ref dr, last);
        }
        else if (Vector128.IsHardwareAccelerated && n >= (nuint)Vector128<T>.Count)
        {
            nuint w = (nuint)Vector128<T>.Count, last = n - w;
            Vector128<T> end = op.Invoke(Vector128.LoadUnsafe(ref xr, last), Vector128.LoadUnsafe(ref yr, last), Vector128.LoadUnsafe(ref zr, last));
            for (; i < last; i += w)
            {
                op.Invoke(Vector128.LoadUnsafe(ref xr, i), Vector128.LoadUnsafe(ref yr, i), Vector128.LoadUnsafe(ref zr, i)).StoreUnsafe(ref dr, i);
            }

            end.StoreUnsafe(ref dr, last);
        }
        else
        {
            for (; i < n; i++)
            {
                Unsafe.Add(ref dr, i) = op.Invoke(Unsafe.Add(ref xr, i), Unsafe.Add(ref yr, i), Unsafe.Add(ref zr, i));
            }
        }
    }

    /// <exception cref="ArgumentException">The lengths differ; the message lists them.</exception>
    private static void RequireLengths(params ReadOnlySpan<int> lengths)
    {
        foreach (int length in lengths)
        {
            if (length != lengths[0])
            {
                throw new ArgumentException($"Kernel spans differ in length: {string.Join(", ", lengths.ToArray())}.");
            }
        }
    }
}

using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace MiniNet;

/// <summary>
/// The float forwards of <see cref="Ops.Exp{T}"/> and <see cref="Ops.Log{T}"/>: <see cref="VectorMath"/>'s own float
/// kernels (within 0.83 ulp, docs/accuracy.md) inlined into <see cref="Vectorized"/>'s driver. <c>TensorPrimitives</c>
/// (.NET 10) widens float to double and calls CoreLib's vector exp/log out of line, passing each vector through the
/// 16-byte-aligned stack; where such a slot straddles a cache line (per process, from the stack's alignment) store-to-load
/// forwarding fails and the op ran 2.7x slower (147 vs 402 us per 256K floats). Double stays with TensorPrimitives.
/// </summary>
internal static class ExpLogForFloat
{
    /// <summary><c>y = e^x</c>, elementwise.</summary>
    public static void Exp(ReadOnlySpan<float> x, Span<float> y) => Vectorized.Map(default(ExpFloat), x, y);

    /// <summary><c>y = ln x</c>, elementwise.</summary>
    public static void Log(ReadOnlySpan<float> x, Span<float> y) => Vectorized.Map(default(LogFloat), x, y);

    /// <summary>The float forward of <paramref name="x"/> when T is float (true), else nothing (false).</summary>
    public static bool TryExp<T>(ReadOnlySpan<T> x, Span<T> y)
        where T : unmanaged
    {
        if (typeof(T) != typeof(float))
        {
            return false;
        }

        Exp(MemoryMarshal.Cast<T, float>(x), MemoryMarshal.Cast<T, float>(y));
        return true;
    }

    /// <summary>As <see cref="TryExp{T}"/>, for ln.</summary>
    public static bool TryLog<T>(ReadOnlySpan<T> x, Span<T> y)
        where T : unmanaged
    {
        if (typeof(T) != typeof(float))
        {
            return false;
        }

        Log(MemoryMarshal.Cast<T, float>(x), MemoryMarshal.Cast<T, float>(y));
        return true;
    }

    private readonly struct ExpFloat : IUnaryKernel<float>
    {
        public float Invoke(float x) => MathF.Exp(x);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector128<float> Invoke(Vector128<float> x) => VectorMath.Exp(x);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector256<float> Invoke(Vector256<float> x) => VectorMath.Exp(x);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector512<float> Invoke(Vector512<float> x) => VectorMath.Exp(x);
    }

    private readonly struct LogFloat : IUnaryKernel<float>
    {
        public float Invoke(float x) => MathF.Log(x);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector128<float> Invoke(Vector128<float> x) => VectorMath.Log(x);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector256<float> Invoke(Vector256<float> x) => VectorMath.Log(x);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector512<float> Invoke(Vector512<float> x) => VectorMath.Log(x);
    }
}

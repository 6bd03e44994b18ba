using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace MiniNet;

/// <summary>
/// The forwards of <see cref="Ops.Exp{T}"/> and <see cref="Ops.Log{T}"/>:
/// <see cref="VectorMath"/>'s own kernels (docs/accuracy.md) inlined into <see cref="Vectorized"/>'s driver.
/// <c>TensorPrimitives</c> (.NET 10) calls CoreLib's vector exp/log out of line, passing each vector through the
/// 16-byte-aligned stack; where such a slot straddles a cache line (per process, from the stack's alignment)
/// store-to-load forwarding fails and the op ran 2.7x slower (float exp: 147 vs 402 us per 256K).
/// </summary>
internal static class ExpLogKernels
{
    /// <summary><c>y = e^x</c>, elementwise.</summary>
    public static void Exp<T>(ReadOnlySpan<T> x, Span<T> y)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> => Vectorized.Map(default(ExpOperator<T>), x, y);

    /// <summary><c>y = ln x</c>, elementwise.</summary>
    public static void Log<T>(ReadOnlySpan<T> x, Span<T> y)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> => Vectorized.Map(default(LogOperator<T>), x, y);

    private readonly struct ExpOperator<T> : IUnaryKernel<T>
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        public T Invoke(T x) => T.Exp(x);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector128<T> Invoke(Vector128<T> x) => VectorMath.Exp(x);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector256<T> Invoke(Vector256<T> x) => VectorMath.Exp(x);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector512<T> Invoke(Vector512<T> x) => VectorMath.Exp(x);
    }

    private readonly struct LogOperator<T> : IUnaryKernel<T>
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        public T Invoke(T x) => T.Log(x);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector128<T> Invoke(Vector128<T> x) => VectorMath.Log(x);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector256<T> Invoke(Vector256<T> x) => VectorMath.Log(x);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector512<T> Invoke(Vector512<T> x) => VectorMath.Log(x);
    }
}

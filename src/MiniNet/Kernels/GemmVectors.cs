using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace MiniNet;

/// <summary>
/// The vector operations a width-generic GEMM kernel uses, on vectors <typeparamref name="TVector"/> of
/// <typeparamref name="T"/>. Implemented by empty structs, so the JIT compiles each kernel once per width with every
/// call inlined: the code is what a kernel written for that width would be, without a copy per width.
/// </summary>
/// <typeparam name="TVector">Vector512 or Vector256 of <typeparamref name="T"/>.</typeparam>
/// <typeparam name="T">float or double.</typeparam>
internal unsafe interface IGemmVector<TVector, T>
    where TVector : struct
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <summary>Lanes per vector.</summary>
    static abstract int Count { get; }

    /// <summary>Loads <see cref="Count"/> values from <paramref name="source"/>.</summary>
    static abstract TVector Load(T* source);

    /// <summary>Every lane set to <paramref name="value"/>.</summary>
    static abstract TVector Broadcast(T value);

    /// <summary><c>x * y + addend</c>, fused (see <see cref="GemmMicroKernel.Fma{T}(Vector512{T}, Vector512{T}, Vector512{T})"/>).</summary>
    static abstract TVector Fma(TVector x, TVector y, TVector addend);

    /// <summary>The sum of the lanes.</summary>
    static abstract T Sum(TVector vector);

    /// <summary>Stores <paramref name="vector"/> at <paramref name="destination"/>.</summary>
    static abstract void Store(TVector vector, T* destination);
}

/// <summary>The <see cref="Vector512{T}"/> width.</summary>
internal readonly unsafe struct Gemm512<T> : IGemmVector<Vector512<T>, T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    public static int Count => Vector512<T>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Load(T* source) => Vector512.Load(source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Broadcast(T value) => Vector512.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Fma(Vector512<T> x, Vector512<T> y, Vector512<T> addend) => GemmMicroKernel.Fma(x, y, addend);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Sum(Vector512<T> vector) => Vector512.Sum(vector);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector512<T> vector, T* destination) => vector.Store(destination);
}

/// <summary>The <see cref="Vector256{T}"/> width.</summary>
internal readonly unsafe struct Gemm256<T> : IGemmVector<Vector256<T>, T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    public static int Count => Vector256<T>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Load(T* source) => Vector256.Load(source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Broadcast(T value) => Vector256.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Fma(Vector256<T> x, Vector256<T> y, Vector256<T> addend) => GemmMicroKernel.Fma(x, y, addend);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Sum(Vector256<T> vector) => Vector256.Sum(vector);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector256<T> vector, T* destination) => vector.Store(destination);
}

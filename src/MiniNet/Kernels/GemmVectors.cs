using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

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

    /// <summary><c>destination[y] += sum of the lanes of s_y</c> for y = 0..3 (see <see cref="GemmSums"/>).</summary>
    static abstract void AddSums(TVector s0, TVector s1, TVector s2, TVector s3, T* destination);
}

/// <summary>
/// Four horizontal sums at once, added to four consecutive values: the dot tiles end with 16 of them per 4 × 4 block,
/// and one <see cref="Vector512.Sum{T}(Vector512{T})"/> each was about 25 instructions (400 against the block's 784 FMAs
/// at k = 784). Each vector is first folded to 128 bits by adding its halves, then the four are transposed and
/// summed with horizontal adds, so the four results land in one vector that updates C with one load and store.
/// </summary>
internal static unsafe class GemmSums
{
    /// <summary><c>destination[y] += sum of the lanes of q_y</c> for y = 0..3.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Add<T>(Vector128<T> q0, Vector128<T> q1, Vector128<T> q2, Vector128<T> q3, T* destination)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float) && Sse3.IsSupported)
        {
            Vector128<float> sums = Sse3.HorizontalAdd(
                Sse3.HorizontalAdd(q0.AsSingle(), q1.AsSingle()), Sse3.HorizontalAdd(q2.AsSingle(), q3.AsSingle()));
            (Vector128.Load(destination) + sums.As<float, T>()).Store(destination);
        }
        else if (typeof(T) == typeof(double) && Sse3.IsSupported)
        {
            Vector128<T> low = Sse3.HorizontalAdd(q0.AsDouble(), q1.AsDouble()).As<double, T>();
            Vector128<T> high = Sse3.HorizontalAdd(q2.AsDouble(), q3.AsDouble()).As<double, T>();
            (Vector128.Load(destination) + low).Store(destination);
            (Vector128.Load(destination + 2) + high).Store(destination + 2);
        }
        else
        {
            destination[0] += Vector128.Sum(q0);
            destination[1] += Vector128.Sum(q1);
            destination[2] += Vector128.Sum(q2);
            destination[3] += Vector128.Sum(q3);
        }
    }

    /// <summary>The lanes of <paramref name="vector"/> summed down to 128 bits (its four quarters added).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Fold<T>(Vector512<T> vector)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> => Fold(vector.GetLower() + vector.GetUpper());

    /// <summary>The lanes of <paramref name="vector"/> summed down to 128 bits (its two halves added).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Fold<T>(Vector256<T> vector)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> => vector.GetLower() + vector.GetUpper();
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

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddSums(Vector512<T> s0, Vector512<T> s1, Vector512<T> s2, Vector512<T> s3, T* destination) =>
        GemmSums.Add(GemmSums.Fold(s0), GemmSums.Fold(s1), GemmSums.Fold(s2), GemmSums.Fold(s3), destination);
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

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddSums(Vector256<T> s0, Vector256<T> s1, Vector256<T> s2, Vector256<T> s3, T* destination) =>
        GemmSums.Add(GemmSums.Fold(s0), GemmSums.Fold(s1), GemmSums.Fold(s2), GemmSums.Fold(s3), destination);
}

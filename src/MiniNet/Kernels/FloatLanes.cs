using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MiniNet;

/// <summary>
/// The float vector operations of width-generic elementwise math (<see cref="GeluFloatLanes"/>), on vectors
/// <typeparamref name="TVector"/>. Implemented by empty structs, as <see cref="IGemmVector{TVector, T}"/>, so the JIT
/// compiles each caller once per width with every call inlined: the code a copy per width would be, written once.
/// </summary>
/// <typeparam name="TVector">Vector512, Vector256 or Vector128 of float.</typeparam>
internal interface IFloatLanes<TVector>
    where TVector : struct
{
    /// <summary>Every lane set to <paramref name="value"/>.</summary>
    static abstract TVector Create(float value);

    /// <summary><c>x + y</c>.</summary>
    static abstract TVector Add(TVector x, TVector y);

    /// <summary><c>x - y</c>.</summary>
    static abstract TVector Subtract(TVector x, TVector y);

    /// <summary><c>x * y</c>.</summary>
    static abstract TVector Multiply(TVector x, TVector y);

    /// <summary><c>x / y</c>.</summary>
    static abstract TVector Divide(TVector x, TVector y);

    /// <summary><c>-x</c>.</summary>
    static abstract TVector Negate(TVector x);

    /// <summary><c>x * y + addend</c>, rounded once.</summary>
    static abstract TVector Fma(TVector x, TVector y, TVector addend);

    /// <summary><c>x * y - subtrahend</c>, rounded once (one vfmsub on x86, where Fma with a negated operand costs an xor more).</summary>
    static abstract TVector FmaSubtract(TVector x, TVector y, TVector subtrahend);

    /// <summary><c>addend - x * y</c>, rounded once (one vfnmadd on x86).</summary>
    static abstract TVector FmaNegated(TVector x, TVector y, TVector addend);

    /// <summary><c>|x|</c>.</summary>
    static abstract TVector Abs(TVector x);

    /// <summary>
    /// The hardware minimum <c>x &lt; y ? x : y</c> (one vminps): y when either is NaN, so put the value that may be NaN
    /// second. Vector512.Min's IEEE semantics cost two vfixupimmps more per call.
    /// </summary>
    static abstract TVector Min(TVector x, TVector y);

    /// <summary>
    /// The hardware maximum <c>x &gt; y ? x : y</c> (one vmaxps): y when either is NaN, so put the value that may be NaN
    /// second (see <see cref="Min"/>).
    /// </summary>
    static abstract TVector Max(TVector x, TVector y);

    /// <summary>x rounded to the nearest integer, ties to even.</summary>
    static abstract TVector Round(TVector x);

    /// <summary>All bits set where <c>x &lt; y</c>.</summary>
    static abstract TVector LessThan(TVector x, TVector y);

    /// <summary>All bits set where <c>x &lt;= y</c>.</summary>
    static abstract TVector LessThanOrEqual(TVector x, TVector y);

    /// <summary>All bits set where <c>x &gt;= y</c>.</summary>
    static abstract TVector GreaterThanOrEqual(TVector x, TVector y);

    /// <summary><c>x &amp; ~y</c>, bitwise.</summary>
    static abstract TVector AndNot(TVector x, TVector y);

    /// <summary>Bits of <paramref name="whenTrue"/> where <paramref name="mask"/> is set, else of <paramref name="whenFalse"/>.</summary>
    static abstract TVector Select(TVector mask, TVector whenTrue, TVector whenFalse);

    /// <summary>Lanes per vector.</summary>
    static abstract int Count { get; }

    /// <summary>True when this width runs in hardware (<c>VectorNNN.IsHardwareAccelerated</c>).</summary>
    static abstract bool IsHardwareAccelerated { get; }

    /// <summary>The vector at <c>source[index]</c> (no bounds check: the caller keeps <c>index + Count</c> within the span).</summary>
    static abstract TVector Load(ref float source, nuint index);

    /// <summary>Writes <paramref name="value"/> to <c>destination[index]</c> (no bounds check, as <see cref="Load"/>).</summary>
    static abstract void Store(TVector value, ref float destination, nuint index);

    /// <summary>
    /// <c>x 2^n</c> for integral n in [-190, 63], rounded once, so a subnormal result is correctly rounded: AVX-512's
    /// vscalefps, else <c>(x 2^(n+64)) 2^-64</c> with 2^(n+64) from exponent bits (n converted without saturation), rounded once wherever <c>x 2^(n+64)</c> is a normal float or 0 (the
    /// callers' x are near 1 or tiny only in lanes they discard). NaN x gives NaN.
    /// </summary>
    static abstract TVector ScaleB(TVector x, TVector n);
}

/// <summary><see cref="IFloatLanes{TVector}"/> on 512-bit vectors.</summary>
internal readonly struct FloatLanes512 : IFloatLanes<Vector512<float>>
{
    /// <summary>2^-64, the second factor of the portable <c>ScaleB</c> of every width.</summary>
    internal const float TwoToMinus64 = 5.42101086e-20f;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Create(float value) => Vector512.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Add(Vector512<float> x, Vector512<float> y) => x + y;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Subtract(Vector512<float> x, Vector512<float> y) => x - y;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Multiply(Vector512<float> x, Vector512<float> y) => x * y;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Divide(Vector512<float> x, Vector512<float> y) => x / y;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Negate(Vector512<float> x) => -x;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Fma(Vector512<float> x, Vector512<float> y, Vector512<float> addend) => Vector512.FusedMultiplyAdd(x, y, addend);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> FmaSubtract(Vector512<float> x, Vector512<float> y, Vector512<float> subtrahend) =>
        Avx512F.IsSupported ? Avx512F.FusedMultiplySubtract(x, y, subtrahend) : Vector512.FusedMultiplyAdd(x, y, -subtrahend);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> FmaNegated(Vector512<float> x, Vector512<float> y, Vector512<float> addend) =>
        Avx512F.IsSupported ? Avx512F.FusedMultiplyAddNegated(x, y, addend) : Vector512.FusedMultiplyAdd(-x, y, addend);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Abs(Vector512<float> x) => Vector512.Abs(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Min(Vector512<float> x, Vector512<float> y) => Vector512.MinNative(x, y);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Max(Vector512<float> x, Vector512<float> y) => Vector512.MaxNative(x, y);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Round(Vector512<float> x) => Vector512.Round(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> LessThan(Vector512<float> x, Vector512<float> y) => Vector512.LessThan(x, y);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> LessThanOrEqual(Vector512<float> x, Vector512<float> y) => Vector512.LessThanOrEqual(x, y);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> GreaterThanOrEqual(Vector512<float> x, Vector512<float> y) => Vector512.GreaterThanOrEqual(x, y);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> AndNot(Vector512<float> x, Vector512<float> y) => Vector512.AndNot(x, y);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Select(Vector512<float> mask, Vector512<float> whenTrue, Vector512<float> whenFalse) => Vector512.ConditionalSelect(mask, whenTrue, whenFalse);

    public static int Count => Vector512<float>.Count;

    public static bool IsHardwareAccelerated => Vector512.IsHardwareAccelerated;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Load(ref float source, nuint index) => Vector512.LoadUnsafe(ref source, index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector512<float> value, ref float destination, nuint index) => value.StoreUnsafe(ref destination, index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> ScaleB(Vector512<float> x, Vector512<float> n) => Avx512F.IsSupported ? Avx512F.Scale(x, n) : x * Vector512.ShiftLeft(Vector512.ConvertToInt32Native(n) + Vector512.Create(191), 23).AsSingle() * Vector512.Create(TwoToMinus64);
}

using System.Runtime.CompilerServices;

namespace MiniNet;

/// <summary>
/// The logistic function of float lanes, <c>sigma(z) = 1 / (1 + e^-z)</c>, written once for every width
/// (<see cref="IFloatLanes{TVector}"/>): the vector body of <see cref="SigmoidOperator{T}"/> for float, and so of SiLU,
/// the softplus and tanh-GELU derivatives and the BCE-with-logits gradients.
/// </summary>
/// <remarks>
/// <para>
/// With <c>e = e^-|z|</c> in (0, 1], <c>sigma(z) = 1 / (1 + e)</c> for z &gt;= 0 and <c>e / (1 + e)</c> below, so no exponent is
/// positive and nothing overflows. The numerator is chosen before the one division, so each result is rounded once
/// after <c>1 + e</c> (the form <c>e * (1 / (1 + e))</c> rounded twice, and cost a multiply more).
/// </para>
/// <para>
/// <c>e^x</c> for x &lt;= 0 (<see cref="ExpNonPositive{TV, L}"/>) is <see cref="VectorMath"/>'s float exp without what a
/// non-positive argument never needs: no clamp at the top, and the NaN lane needs no select because the clamp at -104
/// passes NaN through (NaN second in the hardware maximum). <c>2^n</c> is applied by <c>ScaleB</c>, one vscalefps on
/// AVX-512 (rounded once, as VectorMath's two-step scaling), so results in the subnormal range are correctly rounded.
/// About 20 vector instructions per 16 lanes on AVX-512 where the per-width code had 29 (1M floats: 250 -> 180 us, a
/// probe at load 1-2).
/// </para>
/// </remarks>
internal static class SigmoidFloatLanes
{
    // Below -104 every e^x rounds to 0; the clamp keeps n = round(x / ln2) >= -151, inside ScaleB's range.
    private const float ExpMin = -104f;

    /// <summary><c>sigma(z)</c> per lane (see the class remarks); NaN gives NaN, -inf 0, +inf 1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Sigmoid<TV, L>(TV z)
        where TV : struct
        where L : IFloatLanes<TV> => L.Divide(Numerator<TV, L>(z, out TV denominator), denominator);

    /// <summary><c>x sigma(x)</c> per lane, as <c>(x * numerator) / (1 + e)</c>; NaN and -inf give NaN (-inf * 0, as PyTorch), +inf +inf.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Silu<TV, L>(TV x)
        where TV : struct
        where L : IFloatLanes<TV> => L.Divide(L.Multiply(x, Numerator<TV, L>(x, out TV denominator)), denominator);

    // sigma(z) = numerator / denominator with e = e^-|z|: 1 or e over 1 + e.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV Numerator<TV, L>(TV z, out TV denominator)
        where TV : struct
        where L : IFloatLanes<TV>
    {
        TV one = L.Create(1f);
        TV e = ExpNonPositive<TV, L>(L.Negate(L.Abs(z)));
        denominator = L.Add(one, e);
        return L.Select(L.GreaterThanOrEqual(z, L.Create(0f)), one, e);
    }

    /// <summary>
    /// <c>e^x</c> per lane for x &lt;= 0 or NaN (a positive x is out of contract): <c>x = n ln2 + r</c>, <c>|r| &lt;= ln2/2</c>, and
    /// <c>e^r</c> by its Taylor polynomial of degree 7, as <see cref="VectorMath"/> (0.83 ulp measured there).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV ExpNonPositive<TV, L>(TV x)
        where TV : struct
        where L : IFloatLanes<TV>
    {
        TV c = L.Max(L.Create(ExpMin), x); // NaN second: a NaN x stays NaN through every step below
        TV r = FloatExpLanes.Reduce<TV, L>(c, out TV n);
        return L.ScaleB(L.Fma(FloatExpLanes.Quotient<TV, L>(r), r, L.Create(1f)), n);
    }
}

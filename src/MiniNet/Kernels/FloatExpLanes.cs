using System.Runtime.CompilerServices;

namespace MiniNet;

/// <summary>
/// The two steps every float exponential in MiniNet shares, written once over <see cref="IFloatLanes{TVector}"/>:
/// the reduction <c>x = n ln2 + r</c> and the Taylor polynomial of <c>e^r</c>. <see cref="VectorMath"/>'s Exp (whose
/// remarks give the method and accuracy), <see cref="SigmoidFloatLanes"/> and <see cref="GeluFloatLanes"/> each add
/// their own clamping and their own way of applying <c>2^n</c>.
/// </summary>
internal static class FloatExpLanes
{
    /// <summary>
    /// <c>r = x - n ln2</c> with <c>n = round(x / ln2)</c> (so <c>|r| &lt;= ln2/2</c>), ln2 in two parts: the low 9
    /// mantissa bits of its high part are zero, so <c>n Ln2Hi</c> is exact for every |n| &lt; 512.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Reduce<TV, L>(TV x, out TV n)
        where TV : struct
        where L : IFloatLanes<TV>
    {
        n = L.Round(L.Multiply(x, L.Create(VectorMath.Log2E)));
        return L.Fma(n, L.Create(-VectorMath.Ln2Lo), L.Fma(n, L.Create(-VectorMath.Ln2Hi), x));
    }

    /// <summary>
    /// <c>q</c> with <c>e^r = 1 + r q</c> to degree 7 (Horner: <c>1 + r/2 + r^2/6 + ... + r^6/5040</c>); callers form
    /// <c>Fma(q, r, 1)</c>, or keep <c>r q</c> apart to add it in a later fused step.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Quotient<TV, L>(TV r)
        where TV : struct
        where L : IFloatLanes<TV>
    {
        TV q = L.Fma(L.Create(1f / 5040), r, L.Create(1f / 720));
        q = L.Fma(q, r, L.Create(1f / 120));
        q = L.Fma(q, r, L.Create(1f / 24));
        q = L.Fma(q, r, L.Create(1f / 6));
        q = L.Fma(q, r, L.Create(0.5f));
        return L.Fma(q, r, L.Create(1f));
    }
}

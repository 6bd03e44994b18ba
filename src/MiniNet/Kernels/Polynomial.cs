using System;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace MiniNet;

/// <summary>
/// <c>c[0] + c[1] v + ... + c[^1] v^(n-1)</c> per lane by Horner's rule from the top (the first step is
/// <c>Fma(c[^1], v, c[^2])</c>), for the width-generic kernels. A loop over a coefficient table rather than unrolled
/// constants: its fused multiply-adds take each coefficient as a broadcast memory operand, so a long polynomial does not
/// hold one vector register per coefficient (in GELU's kernel the hoisted constants had outnumbered the 32 registers and
/// the JIT spilled the loop's temporaries to the stack).
/// </summary>
internal static class Polynomial
{
    /// <summary>One value, by fused multiply-adds in the same order as the lane overloads (the scalar paths).</summary>
    public static T Evaluate<T>(ReadOnlySpan<T> c, T v)
        where T : IFloatingPointIeee754<T>
    {
        T p = c[^1];
        for (int i = c.Length - 2; i >= 0; i--)
        {
            p = T.FusedMultiplyAdd(p, v, c[i]);
        }

        return p;
    }

    /// <summary>Float lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Evaluate<TV, L>(ReadOnlySpan<float> c, TV v)
        where TV : struct
        where L : IFloatLanes<TV>
    {
        TV p = L.Create(c[^1]);
        for (int i = c.Length - 2; i >= 0; i--)
        {
            p = L.Fma(p, v, L.Create(c[i]));
        }

        return p;
    }

    /// <summary>Double lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Evaluate<TV, L>(ReadOnlySpan<double> c, TV v)
        where TV : struct
        where L : IDoubleLanes<TV>
    {
        TV p = L.Create(c[^1]);
        for (int i = c.Length - 2; i >= 0; i--)
        {
            p = L.Fma(p, v, L.Create(c[i]));
        }

        return p;
    }
}

using System.Numerics;

namespace MiniNet.Samples.Validation;

/// <summary>How far two correct implementations may drift apart through rounding alone.</summary>
internal static class RoundOff
{
    /// <summary>Rounding errors allowed per training step, in units of the unit round-off.</summary>
    /// <remarks>
    /// Why 5: in one step each weight gets the rounding of its own update <c>w - lr * g</c> (half an ulp of |w|), and
    /// the gradient <c>g</c> itself differs between the two sides only by summation order (784-term dot products in
    /// the first layer, 30-term in the second, 10-term batch sums; MiniNet and libtorch group them differently) and by
    /// exp/log being correctly rounded to within an ulp or two on each side. Scaled by <c>lr * |g| / |w|</c>, which is
    /// at most of order one, that is a few ulps of <c>|w|</c> per step. Added up with no cancellation at all (the
    /// worst case; in practice the signs are random and the drift grows like <c>sqrt(steps)</c>) that is
    /// <c>steps * 5 * u</c>. Measured on the earlier 10,000-digit MNIST subset (since replaced by the full MNIST; not re-measured), seed 1 (in ulps of the largest weight): SGD ~7
    /// after 300 steps (4.3e-7 in float32, 8e-16 in float64) and ~26 after 3000; Adam ~49 after 300 in float32
    /// (2.9e-6; Adam divides by <c>sqrt(v)</c>, so a gradient's relative rounding becomes the same relative error of a
    /// full lr-sized step even where the gradient is tiny) and ~16 after 3000. The bound is 1500 ulps at 300 steps and
    /// 15000 at 3000. A real bug (PyTorch's mean instead of the batch mean, a gradient off by a factor, a misplaced
    /// eps) is off by 1e-3 or more at once; the mean-for-batch-mean mix-up gives 2.1 relative after 300 steps.
    /// </remarks>
    public const double UlpsPerStep = 5;

    /// <summary>
    /// The bound on <c>max|w_mini - w_torch| / max|w_torch|</c> after <paramref name="steps"/> steps:
    /// <c>steps * UlpsPerStep * u</c>, with <c>u = 2^-24</c> for float32 (8.9e-5 after 300 steps) and
    /// <c>u = 2^-53</c> for float64 (1.7e-13 after 300 steps).
    /// </summary>
    public static double WeightBound<T>(int steps)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        steps * UlpsPerStep * UnitRoundOff<T>();

    /// <summary>The unit round-off, the gap between 1 and the next number below it: <c>2^-24</c> (float) or <c>2^-53</c> (double).</summary>
    public static double UnitRoundOff<T>()
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        double.CreateTruncating(T.One - T.BitDecrement(T.One));
}

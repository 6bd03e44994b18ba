using System;
using System.Linq;
using FluentAssertions;
using MiniNet.Tests.Infrastructure;
using TorchSharp;
using TT = TorchSharp.torch.Tensor;

namespace MiniNet.Tests.Ops;

/// <summary>
/// Per-element relative comparison with TorchSharp without <see cref="Tolerances.RelativeFloor"/>, for ops whose point
/// is accuracy at tiny arguments (log1p, expm1, erf): every element is judged against itself, so a result that loses
/// all digits at 1e-20 (as <c>log(1 + x)</c> does) fails even next to O(1) elements.
/// </summary>
public static class NearZeroAccuracy
{
    /// <summary>Tiny, subnormal and small arguments of both signs.</summary>
    public static readonly double[] Tiny = [1e-300, -1e-300, 4e-320, -4e-320, 1e-20, -1e-20, 1e-12, -1e-12, 3e-8, -3e-8, 1e-4, -1e-4];

    /// <summary>Asserts <paramref name="mini"/> equals <paramref name="oracle"/> at every value of <see cref="Tiny"/> to the TorchSharp tolerance of its type, relative to itself, in double and in float.</summary>
    public static void MatchesTorch(Func<Tensor<double>, Tensor<double>> mini, Func<Tensor<float>, Tensor<float>> miniFloat, Func<TT, TT> oracle)
    {
        using var scope = torch.NewDisposeScope();
        double[] expected = TorchOracle.Values(oracle(torch.tensor(Tiny, dtype: torch.float64)));
        double[] actual = mini(Tensor.FromArray(Tiny, Tiny.Length)).ToArray();
        float[] tinyFloat = Tiny.Select(v => (float)v).ToArray();
        double[] expectedFloat = TorchOracle.Values(oracle(torch.tensor(tinyFloat, dtype: torch.float32)));
        double[] actualFloat = miniFloat(Tensor.FromArray(tinyFloat, tinyFloat.Length)).ToArray().Select(v => (double)v).ToArray();
        for (int i = 0; i < Tiny.Length; i++)
        {
            RelativeError(actual[i], expected[i], 2.2250738585072014e-308).Should().BeLessThanOrEqualTo(Tolerances.TorchDouble, $"double at {Tiny[i]:G3}: MiniNet {actual[i]:G17}, TorchSharp {expected[i]:G17}");
            RelativeError(actualFloat[i], expectedFloat[i], 1.17549435e-38).Should().BeLessThanOrEqualTo(Tolerances.TorchFloat, $"float at {tinyFloat[i]:G3}: MiniNet {actualFloat[i]:G9}, TorchSharp {expectedFloat[i]:G9}");
        }
    }

    // Subnormal results carry fewer significant bits: below the type's smallest normal number the error is judged
    // against that number, so one subnormal step of rounding passes and a lost result (0 for 4e-320) does not.
    private static double RelativeError(double actual, double expected, double minNormal) =>
        actual == expected ? 0 : Math.Abs(actual - expected) / Math.Max(Math.Abs(expected), minNormal);
}

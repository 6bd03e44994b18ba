using System;
using System.Linq;
using FluentAssertions;
using MiniNet.Tests.Infrastructure;
using TorchSharp;
using Xunit;
using TT = TorchSharp.torch.Tensor;

namespace MiniNet.Tests.Ops;

public class ErfTests : UnaryOpTests
{
    protected override Tensor<T> Apply<T>(Tensor<T> x) => x.Erf();

    protected override TT Oracle(TT x) => torch.erf(x);

    /// <summary>
    /// Bound of the dense sweep, in double ulps of each value. Measured: 3 ulp at worst (erf(-1.497), the Taylor part
    /// just below 1.5, where its alternating terms add up to ~4.7x the result), 1 ulp over the continued fraction;
    /// libtorch's own erf is within ~1 ulp, hence 4.
    /// </summary>
    private const double MaxUlps = 4;

    // Around both method boundaries (1.5 and 6) and where erf is 1 in float and double.
    protected override double[] SpecialValues => [.. base.SpecialValues, 1.4999999, 1.5, 1.5000001, 5.9999, 6, 6.0001, -3.3, 4, 27, -30];

    [Fact]
    public void TinyArguments_KeepTheirDigits_AsTorch() =>
        NearZeroAccuracy.MatchesTorch(x => x.Erf(), x => x.Erf(), torch.erf);

    // A dense sweep of [-7, 7] against libtorch's erf: every element to MaxUlps double ulps of itself (no relative
    // floor), across both methods (Taylor below 1.5, continued fraction for erfc up to 6).
    [Fact]
    public void DenseSweep_WithinMaxUlps_OfTorch()
    {
        double[] values = Enumerable.Range(0, 14001).Select(i => -7 + (i * 0.001)).ToArray();
        double[] actual = Tensor.FromArray(values, values.Length).Erf().ToArray();
        using var scope = torch.NewDisposeScope();
        double[] expected = TorchOracle.Values(torch.erf(torch.tensor(values, dtype: torch.float64)));
        int worst = 0;
        double worstUlps = 0;
        for (int i = 0; i < values.Length; i++)
        {
            double ulps = Math.Abs(actual[i] - expected[i]) / Math.Max(double.Epsilon, Math.BitIncrement(Math.Abs(expected[i])) - Math.Abs(expected[i]));
            (worst, worstUlps) = ulps > worstUlps ? (i, ulps) : (worst, worstUlps);
        }

        worstUlps.Should().BeLessThanOrEqualTo(MaxUlps, $"the worst is erf({values[worst]}) = {actual[worst]:G17}, libtorch {expected[worst]:G17}");
    }

    [Fact]
    public void IsOdd_AndSaturates()
    {
        Tensor.FromArray([-0.0], 1).Erf().Item().Should().Be(-0.0).And.Match(v => double.IsNegative(v), "erf(-0) = -0");
        Tensor.FromArray([6.0, -6.0, 100.0], 3).Erf().ToArray().Should().Equal(1, -1, 1);
    }
}

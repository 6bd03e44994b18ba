using System;
using FluentAssertions;
using Xunit;
using Xunit.Abstractions;

namespace MiniNet.Tests.Kernels;

/// <summary>
/// VectorMath.ExpForFloat (double lanes rounded to float later, e.g. GELU's Phi) against <c>Math.Exp</c> through each
/// of the 128-, 256- and 512-bit overloads (called directly, so every width runs whatever the hardware). Its documented
/// bound is 1e-12 relative, four decades below a float ulp (6e-8), so the float results keep their ulp bounds.
/// </summary>
public class VectorMathExpForFloatTests
{
    private readonly ITestOutputHelper _output;

    public VectorMathExpForFloatTests(ITestOutputHelper output) => _output = output;

    [Theory]
    [InlineData(128)]
    [InlineData(256)]
    [InlineData(512)]
    public void ExpForFloat_Within1e12Relative_On_Minus708To709_AndSpecialValues(int width)
    {
        var rng = new Random(17);
        var x = new double[100_000];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = (rng.NextDouble() * 1417) - 708;
        }

        double[] edges = [double.NegativeInfinity, double.PositiveInfinity, -709, -1000, 710, 0, -0.0, 1e-300, -1e-300, -708, 709, Math.Log(2) / 2, -Math.Log(2) / 2, 0.5, -0.5, -103.97, -87.33, 88.72, double.NaN];
        edges.CopyTo(x, 0);
        double[] y = Map(width, x);
        y[..5].Should().Equal([0, double.PositiveInfinity, 0, 0, double.PositiveInfinity], $"outside [-708, 709] (width {width})");
        double worst = 0, worstAt = 0;
        for (int i = 0; i < x.Length; i++)
        {
            if (double.IsNaN(x[i]))
            {
                double.IsNaN(y[i]).Should().BeTrue($"exp(NaN) must be NaN (width {width})");
                continue;
            }

            if (x[i] < -708 || x[i] > 709)
            {
                continue; // checked above
            }

            double expected = Math.Exp(x[i]), error = Math.Abs(y[i] - expected) / expected;
            if (!(error <= worst))
            {
                (worst, worstAt) = (error, x[i]);
            }
        }

        _output.WriteLine($"width {width}: max relative error {worst:E2} at x = {worstAt:R}");
        worst.Should().BeLessThan(1e-12, $"width {width}, worst at x = {worstAt:R}");
    }

    private static double[] Map(int width, double[] x) =>
        VectorLanesTestKit.Map<double>(width, x, VectorMath.ExpForFloat, VectorMath.ExpForFloat, VectorMath.ExpForFloat);
}

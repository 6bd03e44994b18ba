using System;
using System.Runtime.Intrinsics;
using FluentAssertions;
using Xunit;
using Xunit.Abstractions;

namespace MiniNet.Tests.Kernels;

/// <summary>
/// GeluFloatLanes (exact GELU of float and its derivative in float lanes) against the double-precision definition
/// (GeluKernel, a few double ulps) through each of the 128-, 256- and 512-bit overloads, called directly so every width
/// runs whatever the hardware. Inputs: 200,000 uniform in [-16, 16] (the whole left tail down to the subnormals) plus edges.
/// </summary>
public class GeluFloatLanesTests
{
    private readonly ITestOutputHelper _output;

    public GeluFloatLanesTests(ITestOutputHelper output) => _output = output;

    [Theory]
    [InlineData(128)]
    [InlineData(256)]
    [InlineData(512)]
    public void ForwardWithin4Ulp_DerivativeWithin4UlpPlusCancellation(int width)
    {
        float[] x = Inputs();
        float[] y = Map(width, x, derivative: false), dy = Map(width, x, derivative: true);
        double worstForward = 0, worstDerivative = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double v = x[i], cdf = GeluKernel.Cdf(v), pdf = GeluKernel.InvSqrt2Pi * Math.Exp(-0.5 * v * v);
            double forward = Math.Abs(y[i] - (v * cdf)) / Ulp(v * cdf);
            forward.Should().BeLessThanOrEqualTo(4, $"gelu({x[i]:R}) = {y[i]:R}, expected {v * cdf:R} (width {width})");

            // Phi + x phi has a zero near x = -0.75, where its two terms cancel: each carries its own rounding, so the
            // bound adds 4 float ulps (2^-24 relative each) of the terms' magnitudes to the 4 ulp of the result.
            double exact = cdf + (v * pdf), allowed = 4 + (4 * Math.Pow(2, -24) * (cdf + Math.Abs(v * pdf)) / Ulp(exact));
            double derivative = Math.Abs(dy[i] - exact) / Ulp(exact);
            derivative.Should().BeLessThanOrEqualTo(allowed, $"gelu'({x[i]:R}) = {dy[i]:R}, expected {exact:R} (width {width})");
            worstForward = Math.Max(worstForward, forward);
            worstDerivative = Math.Max(worstDerivative, derivative / allowed * 4);
        }

        _output.WriteLine($"width {width}: forward {worstForward:F2} ulp, derivative {worstDerivative:F2} (scaled to the bound 4)");
    }

    [Theory]
    [InlineData(128)]
    [InlineData(256)]
    [InlineData(512)]
    public void SpecialValues_AsTheDoubleDefinition(int width)
    {
        float[] x = [float.PositiveInfinity, float.NegativeInfinity, float.NaN, 0f, -0f, -15f, -14.5f, 15f, 1e-45f, -1e-45f, -20f, 20f, 1e10f, -1e10f, 3e38f, -3e38f]; // one 512-bit vector
        float[] y = Map(width, x, derivative: false), dy = Map(width, x, derivative: true);
        for (int i = 0; i < x.Length; i++)
        {
            float expected = (float)(x[i] * GeluKernel.Cdf(x[i])), expectedDerivative = (float)GeluKernel.Derivative(x[i]);
            y[i].Should().Be(expected, $"gelu({x[i]:R}) (width {width})");
            dy[i].Should().Be(expectedDerivative, $"gelu'({x[i]:R}) (width {width})");
        }
    }

    [Fact]
    public void RecordedForward_SavesTheDerivative_BitForBitTheSeparateKernels()
    {
        // A recorded float GELU computes y and gelu'(x) in one pass (GeluFloatForward) and backward multiplies by g; both
        // must equal the unrecorded forward and the backward kernel exactly, at every length (each width and scalar tail).
        var rng = new Random(37);
        for (int n = 0; n <= 70; n++)
        {
            float[] xs = new float[n], gs = new float[n];
            for (int i = 0; i < n; i++)
            {
                xs[i] = (float)((rng.NextDouble() * 36) - 18);
                gs[i] = (float)((rng.NextDouble() * 4) - 2);
            }

            float[] plain, expectedGrad = new float[n];
            using (MiniNet.Autograd.NoGrad())
            {
                plain = Tensor.FromArray(xs, n).Gelu().ToArray();
            }

            Vectorized.Map(default(GeluFloatGradOperator), xs, gs, expectedGrad);
            Tensor<float> x = Tensor.FromArray(xs, n);
            x.RequiresGrad = true;
            Tensor<float> y = x.Gelu();
            y.Backward(Tensor.FromArray(gs, n));
            float[] recorded = y.ToArray(), grad = x.Grad!.ToArray();
            for (int i = 0; i < n; i++)
            {
                BitConverter.SingleToInt32Bits(recorded[i]).Should().Be(BitConverter.SingleToInt32Bits(plain[i]), $"gelu({xs[i]:R}), n = {n}");
                BitConverter.SingleToInt32Bits(grad[i]).Should().Be(BitConverter.SingleToInt32Bits(expectedGrad[i]), $"grad at {xs[i]:R}, n = {n}");
            }
        }
    }

    private static float[] Inputs()
    {
        var rng = new Random(23);
        var x = new float[200_000];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = (float)((rng.NextDouble() * 32) - 16);
        }

        // Edges: where 1 + |x|/2 stops rounding to 1 (t = 1, S's exact 1/2), both sides of the TailLimit 15, the last
        // nonzero left-tail results, GELU's minimum near -0.75, tiny and subnormal inputs, and the former central limit 0.6.
        float[] edges = [0.6f, -0.6f, MathF.BitIncrement(0.6f), MathF.BitDecrement(-0.6f), 14.2f, -14.2f, -13.9f, -0.75f, 1e-30f, -1e-30f, 5e-39f,
            MathF.ScaleB(1f, -23), -MathF.ScaleB(1f, -23), MathF.ScaleB(1f, -22), -MathF.ScaleB(1.5f, -22), MathF.BitDecrement(15f), -MathF.BitDecrement(15f),
            -14.5f, -14.6f, -14.55f];
        edges.CopyTo(x, 0);
        return x;
    }

    private static double Ulp(double exact) => VectorLanesTestKit.FloatUlp(exact);

    private static float[] Map(int width, float[] x, bool derivative) => derivative
        ? VectorLanesTestKit.Map(width, x, GeluFloatLanes.Derivative<Vector128<float>, FloatLanes128>, GeluFloatLanes.Derivative<Vector256<float>, FloatLanes256>, GeluFloatLanes.Derivative<Vector512<float>, FloatLanes512>)
        : VectorLanesTestKit.Map(width, x, GeluFloatLanes.Gelu<Vector128<float>, FloatLanes128>, GeluFloatLanes.Gelu<Vector256<float>, FloatLanes256>, GeluFloatLanes.Gelu<Vector512<float>, FloatLanes512>);
}

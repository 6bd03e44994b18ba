using System;
using System.Runtime.Intrinsics;
using FluentAssertions;
using Xunit;
using Xunit.Abstractions;

namespace MiniNet.Tests.Kernels;

/// <summary>
/// SigmoidFloatLanes (sigma and SiLU of float lanes) against their definitions in double (a few double ulps, far below a
/// float ulp) through each of the 128-, 256- and 512-bit lane types, called directly so every width runs whatever the
/// hardware; and FloatLanes' ScaleB (vscalefps on AVX-512, the two-factor form elsewhere) against <c>x 2^n</c> rounded once.
/// Inputs: 200,000 uniform in [-110, 30] (down through the subnormal results to 0) plus edges.
/// </summary>
public class SigmoidFloatLanesTests
{
    private readonly ITestOutputHelper _output;

    public SigmoidFloatLanesTests(ITestOutputHelper output) => _output = output;

    [Theory]
    [InlineData(128)]
    [InlineData(256)]
    [InlineData(512)]
    public void SigmoidAndSilu_Within4Ulp(int width)
    {
        float[] x = Inputs();
        float[] s = Map(width, x, silu: false), y = Map(width, x, silu: true);
        double worstSigmoid = 0, worstSilu = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double v = x[i], sigma = Sigma(v);
            double e = Math.Abs(s[i] - sigma) / Ulp(sigma);
            e.Should().BeLessThanOrEqualTo(4, $"sigmoid({x[i]:R}) = {s[i]:R}, expected {sigma:R} (width {width})");

            // Below x = -87.3 sigma is subnormal: its rounding to a step of 2^-149 is multiplied by |x| (AccuracyTests' slack).
            double allowed = 4 + (v < -87.3 ? Math.Abs(v) / 2 : 0);
            double f = Math.Abs(y[i] - (v * sigma)) / Ulp(v * sigma);
            f.Should().BeLessThanOrEqualTo(allowed, $"silu({x[i]:R}) = {y[i]:R}, expected {v * sigma:R} (width {width})");
            worstSigmoid = Math.Max(worstSigmoid, e);
            worstSilu = Math.Max(worstSilu, v < -87.3 ? 0 : f);
        }

        _output.WriteLine($"width {width}: sigmoid {worstSigmoid:F2} ulp, silu {worstSilu:F2} ulp (normal results)");
    }

    [Theory]
    [InlineData(128)]
    [InlineData(256)]
    [InlineData(512)]
    public void SpecialValues_AsPyTorch(int width)
    {
        // torch.sigmoid: NaN -> NaN, +inf -> 1, -inf -> 0; F.silu(-inf) = -inf * 0 = NaN, silu(-0) = -0; results that are
        // exact (0, 1/2, 1, x) whatever the rounding, and half a subnormal step rounding to (signed) 0.
        float[] x = [float.NaN, float.PositiveInfinity, float.NegativeInfinity, 0f, -0f, 1e-45f, -1e-45f, 88f, -3e38f, 3e38f, 100f, 50f, 30f, 1e30f, -1e30f, -1e10f];
        float[] sigma = [float.NaN, 1, 0, 0.5f, 0.5f, 0.5f, 0.5f, 1, 0, 1, 1, 1, 1, 1, 0, 0];
        float[] silu = [float.NaN, float.PositiveInfinity, float.NaN, 0f, -0f, 0f, -0f, 88f, -0f, 3e38f, 100f, 50f, 30f, 1e30f, -0f, -0f];
        float[] s = Map(width, x, silu: false), y = Map(width, x, silu: true);
        for (int i = 0; i < x.Length; i++)
        {
            Bits(s[i]).Should().Be(Bits(sigma[i]), $"sigmoid({x[i]:R}) = {s[i]:R} (width {width})");
            Bits(y[i]).Should().Be(Bits(silu[i]), $"silu({x[i]:R}) = {y[i]:R} (width {width})");
        }

        // Every NaN compares as one value; otherwise the bits, so the sign of a zero counts.
        static int Bits(float v) => float.IsNaN(v) ? int.MinValue : BitConverter.SingleToInt32Bits(v);
    }

    [Theory]
    [InlineData(128)]
    [InlineData(256)]
    [InlineData(512)]
    public void ScaleB_IsTheProductRoundedOnce(int width)
    {
        var rng = new Random(31);
        int lanes = width / 32;
        for (int i = 0; i < 20_000; i++)
        {
            var x = new float[lanes];
            var n = new float[lanes];
            for (int j = 0; j < lanes; j++)
            {
                x[j] = (float)(0.5 + (1.5 * rng.NextDouble())) * (rng.Next(2) == 0 ? 1 : -1);
                n[j] = rng.Next(-190, 64);
            }

            float[] got = ScaleB(width, x, n);
            for (int j = 0; j < lanes; j++)
            {
                float expected = (float)Math.ScaleB(x[j], (int)n[j]); // exact in double, then one rounding
                BitConverter.SingleToInt32Bits(got[j]).Should().Be(BitConverter.SingleToInt32Bits(expected), $"{x[j]:R} * 2^{n[j]} (width {width})");
            }
        }

        float.IsNaN(ScaleB(width, [.. new float[lanes - 1], float.NaN], new float[lanes])[lanes - 1]).Should().BeTrue("NaN x gives NaN");
    }

    private static double Sigma(double z) => z >= 0 ? 1 / (1 + Math.Exp(-z)) : Math.Exp(z) / (1 + Math.Exp(z));

    private static float[] Inputs()
    {
        var rng = new Random(29);
        var x = new float[200_000];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = (float)((rng.NextDouble() * 140) - 110);
        }

        float[] edges = [-87.3f, -87.4f, -103.9f, -103.97f, -104f, 1e-30f, -1e-30f, 5e-39f, -5e-39f, 16.6f, 17.4f, -0.5f];
        edges.CopyTo(x, 0);
        return x;
    }

    private static double Ulp(double exact) => VectorLanesTestKit.FloatUlp(exact);

    private static float[] Map(int width, float[] x, bool silu) => silu
        ? VectorLanesTestKit.Map(width, x, SigmoidFloatLanes.Silu<Vector128<float>, FloatLanes128>, SigmoidFloatLanes.Silu<Vector256<float>, FloatLanes256>, SigmoidFloatLanes.Silu<Vector512<float>, FloatLanes512>)
        : VectorLanesTestKit.Map(width, x, SigmoidFloatLanes.Sigmoid<Vector128<float>, FloatLanes128>, SigmoidFloatLanes.Sigmoid<Vector256<float>, FloatLanes256>, SigmoidFloatLanes.Sigmoid<Vector512<float>, FloatLanes512>);

    // ScaleB(x, n) of one vector (x and n hold exactly the lanes of the width).
    private static float[] ScaleB(int width, float[] x, float[] n)
    {
        var y = new float[x.Length];
        switch (width)
        {
            case 128:
                FloatLanes128.ScaleB(Vector128.Create(x), Vector128.Create(n)).CopyTo(y);
                break;
            case 256:
                FloatLanes256.ScaleB(Vector256.Create(x), Vector256.Create(n)).CopyTo(y);
                break;
            default:
                FloatLanes512.ScaleB(Vector512.Create(x), Vector512.Create(n)).CopyTo(y);
                break;
        }

        return y;
    }
}

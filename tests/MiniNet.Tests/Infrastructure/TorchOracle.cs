using System;
using System.Linq;
using FluentAssertions;
using TorchSharp;
using TT = TorchSharp.torch.Tensor;

namespace MiniNet.Tests.Infrastructure;

/// <summary>Conversions between MiniNet and TorchSharp tensors, and the comparison used by every oracle test.</summary>
public static class TorchOracle
{
    /// <summary>A float64 TorchSharp tensor with the same shape and values.</summary>
    public static TT ToTorch(Tensor<double> t, bool requiresGrad = false) =>
        torch.tensor(t.ToArray(), t.Shape.ToArray().Select(d => (long)d).ToArray(), dtype: torch.float64, requires_grad: requiresGrad);

    /// <summary>A float32 TorchSharp tensor with the same shape and values.</summary>
    public static TT ToTorch(Tensor<float> t, bool requiresGrad = false) =>
        torch.tensor(t.ToArray(), t.Shape.ToArray().Select(d => (long)d).ToArray(), dtype: torch.float32, requires_grad: requiresGrad);

    /// <summary>The values of a TorchSharp tensor, as double (empty for an empty tensor, which TorchSharp's accessor cannot read).</summary>
    public static double[] Values(TT t) =>
        t.numel() == 0 ? Array.Empty<double>() :
        t.dtype == torch.float32 ? t.detach().contiguous().data<float>().ToArray().Select(v => (double)v).ToArray() : t.detach().contiguous().data<double>().ToArray();

    /// <summary>The shape of a TorchSharp tensor.</summary>
    public static int[] ShapeOf(TT t) => t.shape.Select(d => (int)d).ToArray();

    /// <summary>
    /// Asserts that <paramref name="actual"/> equals <paramref name="expected"/> element by element within
    /// <paramref name="relative"/> of <c>max(|expected_i|, RelativeFloor * max|expected|)</c>, naming the first bad index.
    /// NaN must meet NaN and infinities must match exactly.
    /// </summary>
    public static void AssertClose(ReadOnlySpan<double> actual, ReadOnlySpan<double> expected, double relative, string what)
    {
        actual.Length.Should().Be(expected.Length, $"{what}: element counts must match");
        double scale = 0;
        foreach (double e in expected)
        {
            if (double.IsFinite(e))
            {
                scale = Math.Max(scale, Math.Abs(e));
            }
        }

        double floor = Math.Max(scale * Tolerances.RelativeFloor, 1e-300);
        for (int i = 0; i < actual.Length; i++)
        {
            double a = actual[i], e = expected[i];
            if (double.IsNaN(e) || double.IsInfinity(e))
            {
                a.Should().Be(e, $"{what}[{i}]: non-finite values must match exactly");
                continue;
            }

            double err = Math.Abs(a - e) / Math.Max(Math.Abs(e), floor);
            if (!(err <= relative))
            {
                throw new Xunit.Sdk.XunitException(
                    $"{what}[{i}]: MiniNet {a:G17} vs TorchSharp {e:G17}, relative error {err:G3} > {relative:G3}");
            }
        }
    }
}

using System;
using System.Linq;
using FluentAssertions;
using MiniNet.Tests.Infrastructure;
using TorchSharp;
using Xunit;
using F = TorchSharp.torch.nn.functional;

namespace MiniNet.Tests.Reliability;

/// <summary>
/// BCE-with-logits at <c>z = +-inf</c>. Measured with TorchSharp (libtorch), per element: loss NaN, +inf, +inf at
/// <c>z = +inf</c> for y = 1, 0, 0.25, and NaN for every y at <c>z = -inf</c>; gradients <c>dz = sigma(z) - y</c> (0, 1,
/// 0.75 / 0, -1, -0.25) and <c>dy = -z</c>. MiniNet matches every number PyTorch returns and every gradient, and where
/// PyTorch says NaN it returns the limit of the loss: 0 when the target matches the sign, +inf otherwise.
/// </summary>
public class BceWithLogitsInfinityTests
{
    private static readonly double Inf = double.PositiveInfinity;

    // 37 elements (odd, so every vector width also runs its scalar tail), the six infinite cases spread over lanes and tail.
    private static (double[] Z, double[] Y) Inputs()
    {
        var rng = new Random(11);
        double[] z = Enumerable.Range(0, 37).Select(_ => (rng.NextDouble() * 20) - 10).ToArray();
        double[] y = Enumerable.Range(0, 37).Select(i => i % 3 == 0 ? 1.0 : i % 3 == 1 ? 0.0 : rng.NextDouble()).ToArray();
        (int At, double Z, double Y)[] cases = { (0, Inf, 1), (5, Inf, 0), (9, Inf, 0.25), (17, -Inf, 0), (30, -Inf, 1), (36, -Inf, 0.25) };
        foreach ((int at, double zi, double yi) in cases)
        {
            (z[at], y[at]) = (zi, yi);
        }

        return (z, y);
    }

    /// <summary>The limit MiniNet documents: 0 when y = 1 at +inf or y = 0 at -inf, else +inf.</summary>
    private static double Limit(double z, double y) => (z > 0 && y == 1) || (z < 0 && y == 0) ? 0 : Inf;

    [Fact]
    public void PerElementLoss_IsPyTorchs_OrTheLimitWherePyTorchSaysNaN_AndGradientsArePyTorchs_Double()
    {
        (double[] z, double[] y) = Inputs();
        Tensor<double> mz = Tensor.FromArray(z, z.Length), my = Tensor.FromArray(y, y.Length), upstream = Tensor.Randn<double>(new Rng(2), z.Length);
        mz.RequiresGrad = my.RequiresGrad = true;
        Tensor<double> loss = mz.BinaryCrossEntropyWithLogits(my, Reduction.None);
        loss.Backward(upstream);

        using var scope = torch.NewDisposeScope();
        var tz = torch.tensor(z, dtype: torch.float64, requires_grad: true);
        var ty = torch.tensor(y, dtype: torch.float64, requires_grad: true);
        var tloss = F.binary_cross_entropy_with_logits(tz, ty, reduction: torch.nn.Reduction.None);
        tloss.backward(new[] { TorchOracle.ToTorch(upstream) });
        double[] torchLoss = TorchOracle.Values(tloss), actual = loss.ToArray();
        for (int i = 0; i < z.Length; i++)
        {
            if (double.IsInfinity(z[i]))
            {
                actual[i].Should().Be(Limit(z[i], y[i]), $"loss at z = {z[i]}, y = {y[i]}");
                if (double.IsNaN(torchLoss[i]))
                {
                    (z[i] < 0 || y[i] == 1).Should().BeTrue($"PyTorch's NaN cases are y = 1 at +inf and all of -inf (z = {z[i]}, y = {y[i]})");
                    continue;
                }

                torchLoss[i].Should().Be(Inf, "where PyTorch gives a number at an infinite logit it is +inf");
            }
        }

        int[] numbers = Enumerable.Range(0, z.Length).Where(i => !double.IsNaN(torchLoss[i])).ToArray();
        TorchOracle.AssertClose(numbers.Select(i => actual[i]).ToArray(), numbers.Select(i => torchLoss[i]).ToArray(), Tolerances.TorchDouble, "loss where PyTorch is not NaN");
        TorchOracle.AssertClose(mz.Grad!.ToArray(), TorchOracle.Values(tz.grad!), Tolerances.TorchDouble, "dz = (sigma(z) - y) g");
        TorchOracle.AssertClose(my.Grad!.ToArray(), TorchOracle.Values(ty.grad!), Tolerances.TorchDouble, "dy = -z g");
    }

    [Fact]
    public void Float_MatchesDouble_AtEveryWidthsLanesAndTail()
    {
        (double[] z, double[] y) = Inputs();
        Tensor<float> fz = Tensor.FromArray(z.Select(v => (float)v).ToArray(), z.Length), fy = Tensor.FromArray(y.Select(v => (float)v).ToArray(), y.Length);
        fz.RequiresGrad = true;
        Tensor<float> loss = fz.BinaryCrossEntropyWithLogits(fy, Reduction.None);
        loss.Backward(Tensor.Ones<float>(z.Length));
        float[] values = loss.ToArray(), grad = fz.Grad!.ToArray();
        for (int i = 0; i < z.Length; i++)
        {
            if (double.IsInfinity(z[i]))
            {
                ((double)values[i]).Should().Be(Limit(z[i], y[i]), $"float loss at z = {z[i]}, y = {y[i]}");
                ((double)grad[i]).Should().BeApproximately((z[i] > 0 ? 1 : 0) - y[i], 1e-7, $"float dz at z = {z[i]}, y = {y[i]}");
            }
            else
            {
                float.IsFinite(values[i]).Should().BeTrue();
            }
        }
    }

    [Theory]
    [InlineData(Reduction.Sum)]
    [InlineData(Reduction.Mean)]
    [InlineData(Reduction.BatchMean)]
    public void ReducedLoss_IsInfinite_WhenAnyElementIs_AndFinite_WhenEveryInfiniteLogitIsRight(Reduction reduction)
    {
        (double[] z, double[] y) = Inputs();
        double.IsPositiveInfinity(Tensor.FromArray(z, 37).BinaryCrossEntropyWithLogits(Tensor.FromArray(y, 37), reduction).Item()).Should().BeTrue();

        // Only the right answers at +-inf (y = 1 at +inf, y = 0 at -inf): a finite loss (PyTorch: NaN), finite gradient.
        double[] zRight = { Inf, -Inf, 0.5, -2, Inf, 3 }, yRight = { 1, 0, 1, 0, 1, 0.5 };
        Tensor<double> mz = Tensor.FromArray(zRight, 2, 3);
        mz.RequiresGrad = true;
        Tensor<double> loss = mz.BinaryCrossEntropyWithLogits(Tensor.FromArray(yRight, 2, 3), reduction);
        double expected = new[] { 0.5, -2, 3 }.Zip(new[] { 1.0, 0, 0.5 }, (zi, yi) => Math.Max(zi, 0) - (zi * yi) + Math.Log(1 + Math.Exp(-Math.Abs(zi)))).Sum()
            / (reduction == Reduction.Mean ? 6 : reduction == Reduction.BatchMean ? 2 : 1);
        loss.Item().Should().BeApproximately(expected, 1e-14);
        loss.Backward();
        mz.Grad!.ToArray().Should().OnlyContain(g => double.IsFinite(g));
    }

    [Fact]
    public void SecondOrderPath_AtInfiniteLogits_AgreesWithTheFastOne()
    {
        (double[] z, double[] y) = Inputs();
        Tensor<double> mz = Tensor.FromArray(z, z.Length), my = Tensor.FromArray(y, y.Length);
        mz.RequiresGrad = true;
        Tensor<double>? fast = MiniNet.Autograd.Grad([mz.BinaryCrossEntropyWithLogits(my, Reduction.Sum)], [mz])[0];
        Tensor<double>? graph = MiniNet.Autograd.Grad([mz.BinaryCrossEntropyWithLogits(my, Reduction.Sum)], [mz], createGraph: true)[0];
        graph!.ToArray().Should().Equal(fast!.ToArray());

        // d2/dz2 = sigma(z)(1 - sigma(z)) = 0 at +-inf (PyTorch's too), finite elsewhere.
        double[] second = MiniNet.Autograd.Grad([graph.Sum()], [mz])[0]!.ToArray();
        for (int i = 0; i < z.Length; i++)
        {
            double.IsFinite(second[i]).Should().BeTrue($"d2/dz2 at z = {z[i]}");
            if (double.IsInfinity(z[i]))
            {
                second[i].Should().Be(0, $"d2/dz2 at z = {z[i]}");
            }
        }
    }
}

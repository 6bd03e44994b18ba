using System;
using FluentAssertions;
using MiniNet.Tests.Infrastructure;
using TorchSharp;
using Xunit;
using F = TorchSharp.torch.nn.functional;

namespace MiniNet.Tests.Ops;

public class MseLossTests
{
    public static TheoryData<int[]> Shapes => new()
    {
        Array.Empty<int>(), new[] { 1 }, new[] { 7 }, new[] { 4, 3 }, new[] { 1, 5 }, new[] { 2, 3, 4 }, new[] { 37 }, new[] { 0 }, new[] { 2, 0 },
    };

    private static readonly (Reduction Mini, torch.nn.Reduction Torch)[] Reductions =
    {
        (Reduction.Mean, torch.nn.Reduction.Mean), (Reduction.Sum, torch.nn.Reduction.Sum), (Reduction.None, torch.nn.Reduction.None),
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void ForwardAndBackward_MatchTorch_Double(int[] shape)
    {
        foreach (var (mini, oracle) in Reductions)
        {
            OpCheck<double>.AgainstTorch(
                new[] { shape, shape }, xs => xs[0].MseLoss(xs[1], mini), ts => F.mse_loss(ts[0], ts[1], reduction: oracle));
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void ForwardAndBackward_MatchTorch_Float(int[] shape)
    {
        foreach (var (mini, oracle) in Reductions)
        {
            OpCheck<float>.AgainstTorch(new[] { shape, shape }, xs => xs[0].MseLoss(xs[1], mini), ts => F.mse_loss(ts[0], ts[1], reduction: oracle));
        }
    }

    [Fact]
    public void TargetWithoutGrad_GetsNone_InputStillMatchesTorch()
    {
        OpCheck<double>.AgainstTorch(
            new[] { new[] { 4, 3 }, new[] { 4, 3 } },
            xs => xs[0].MseLoss(xs[1]),
            ts => F.mse_loss(ts[0], ts[1]),
            gradInputs: new[] { true, false });
    }

    [Fact]
    public void BatchMean_IsSumOverOutputsDividedByBatchSize_UnlikeMean()
    {
        var rng = new Rng(9);
        Tensor<double> a = Tensor.Randn<double>(rng, 4, 3);
        Tensor<double> y = Tensor.Randn<double>(rng, 4, 3);
        double sum = 0;
        for (int i = 0; i < 12; i++)
        {
            double diff = a.ToArray()[i] - y.ToArray()[i];
            sum += diff * diff;
        }

        a.MseLoss(y, Reduction.Sum).Item().Should().BeApproximately(sum, Tolerances.ClosedForm * sum);
        a.MseLoss(y, Reduction.BatchMean).Item().Should().BeApproximately(sum / 4, Tolerances.ClosedForm * sum, "BatchMean divides by the batch size n = 4");
        a.MseLoss(y, Reduction.Mean).Item().Should().BeApproximately(sum / 12, Tolerances.ClosedForm * sum, "Mean divides by the element count 12");
    }

    [Fact]
    public void NielsenQuadraticCost_IsHalfBatchMean_WithGradientAMinusYOverN()
    {
        // C = (1/2n) sum_x ||y - a||^2, so dC/da = (a - y) / n.
        var rng = new Rng(10);
        Tensor<double> a = Tensor.Randn<double>(rng, 5, 2);
        a.RequiresGrad = true;
        Tensor<double> y = Tensor.Randn<double>(rng, 5, 2);
        Tensor<double> cost = a.MseLoss(y, Reduction.BatchMean) * 0.5;
        cost.Backward();

        double[] av = a.ToArray(), yv = y.ToArray(), grad = a.Grad!.ToArray();
        double expected = 0;
        for (int i = 0; i < av.Length; i++)
        {
            expected += (yv[i] - av[i]) * (yv[i] - av[i]);
            grad[i].Should().BeApproximately((av[i] - yv[i]) / 5, Tolerances.ClosedForm, $"dC/da[{i}]");
        }

        cost.Item().Should().BeApproximately(expected / (2 * 5), Tolerances.ClosedForm);
    }

    [Fact]
    public void Throws_OnShapeMismatch_NamingBothShapes()
    {
        Action act = () => Tensor.Zeros(2, 3).MseLoss(Tensor.Zeros(3, 2));
        act.Should().Throw<ArgumentException>().WithMessage("*MseLoss*[2, 3]*[3, 2]*");
    }

    [Fact]
    public void NaN_Propagates()
    {
        var x = Tensor.FromArray(new[] { 1.0, double.NaN }, 2);
        var y = Tensor.FromArray(new[] { 0.0, 0.0 }, 2);
        double.IsNaN(x.MseLoss(y).Item()).Should().BeTrue("NaN inputs must not be hidden");
        double.IsNaN(y.MseLoss(x, Reduction.Sum).Item()).Should().BeTrue("a NaN target is not hidden either");
    }
}

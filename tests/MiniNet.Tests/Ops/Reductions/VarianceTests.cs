using System;
using System.Linq;
using FluentAssertions;
using MiniNet.Tests.Infrastructure;
using TorchSharp;
using Xunit;
using TT = TorchSharp.torch.Tensor;

namespace MiniNet.Tests.Ops;

public class VarianceTests
{
    public static TheoryData<int[], int[]?, double, bool> Cases => new()
    {
        { [4, 3], [1], 1, false },
        { [4, 3], [0], 0, true },
        { [2, 3, 4], [0, 2], 1, false },
        { [2, 3, 4], [-1], 2, true },
        { [2, 3, 4], null, 1, false },
        { [5], [], 0.5, false }, // a fractional correction, as PyTorch allows
        { [3, 1], [1], 0, false }, // one element per variance
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Var_MatchesTorch(int[] shape, int[]? axes, double correction, bool keepDim)
    {
        OpCheck<double>.AgainstTorch([shape], xs => xs[0].Var(axes, correction, keepDim), ts => TorchVar(ts[0], shape, axes, correction, keepDim));
        OpCheck<float>.AgainstTorch([shape], xs => xs[0].Var(axes, correction, keepDim), ts => TorchVar(ts[0], shape, axes, correction, keepDim));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Std_MatchesTorch(int[] shape, int[]? axes, double correction, bool keepDim)
    {
        if (shape.Length == 2 && shape[1] == 1)
        {
            // std = 0 everywhere: the written-out oracle's sqrt has an infinite slope there, torch.std masks it to 0 (checked below).
            OpCheck<double>.AgainstTorch([shape], xs => xs[0].Std(axes, correction, keepDim), ts => ts[0].std(1, false, keepDim));
            return;
        }

        OpCheck<double>.AgainstTorch([shape], xs => xs[0].Std(axes, correction, keepDim), ts => TorchVar(ts[0], shape, axes, correction, keepDim).sqrt());
        OpCheck<float>.AgainstTorch([shape], xs => xs[0].Std(axes, correction, keepDim), ts => TorchVar(ts[0], shape, axes, correction, keepDim).sqrt());
    }

    [Fact]
    public void DefaultIsBessel_LikeTorchVarAndStd()
    {
        OpCheck<double>.AgainstTorch([[3, 5]], xs => xs[0].Var(), ts => ts[0].var());
        OpCheck<double>.AgainstTorch([[3, 5]], xs => xs[0].Std(), ts => ts[0].std());
        OpCheck<double>.AgainstTorch([[3, 5]], xs => xs[0].Var(1), ts => ts[0].var(1));
        OpCheck<double>.AgainstTorch([[3, 5]], xs => xs[0].Std(0, keepDim: true), ts => ts[0].std(0, keepdim: true));
    }

    [Fact]
    public void SecondOrder_MatchesTorch()
    {
        SecondOrderCheck.AgainstTorch([[3, 4]], xs => xs[0].Var([1]).Mul(xs[0].Tanh().Sum(1)), ts => TorchVar(ts[0], [3, 4], [1], 1, false) * ts[0].tanh().sum(1));
        SecondOrderCheck.AgainstTorch([[3, 4]], xs => xs[0].Std([0], 0, keepDim: true).Mul(xs[0]), ts => TorchVar(ts[0], [3, 4], [0], 0, true).sqrt() * ts[0]);
    }

    [Fact]
    public void LargeOffset_NoCancellation()
    {
        // Two passes: the variance of 1e8 + {0, 1, 2, 3} is exact (5/3), where a one-pass sum of squares loses it in float64.
        var x = Tensor.FromArray(new double[] { 1e8, 1e8 + 1, 1e8 + 2, 1e8 + 3 }, 4);
        x.Var().Item().Should().Be(5.0 / 3.0);
    }

    [Fact]
    public void CorrectionAtOrAboveCount_GivesInfOrNaN_LikeTorch()
    {
        // PyTorch divides by max(0, N - correction): a spread row gives +inf, a constant one 0/0 = NaN.
        var x = Tensor.FromArray(new double[] { 1, 2, 3, 5, 5, 5 }, 2, 3);
        x.Var(1, correction: 3).ToArray().Should().Equal(double.PositiveInfinity, double.NaN);
        x.Std(1, correction: 5).ToArray().Should().Equal(double.PositiveInfinity, double.NaN);

        // One element with the default correction: TorchSharp's own var/std give NaN, and so does MiniNet.
        double[] single = { 4, -1 };
        using var scope = torch.NewDisposeScope();
        TT t = torch.tensor(single, new long[] { 2, 1 }, dtype: torch.float64);
        TorchOracle.AssertClose(Tensor.FromArray(single, 2, 1).Var(1).ToArray(), TorchOracle.Values(t.var(1)), Tolerances.TorchDouble, "var of one element");
        TorchOracle.AssertClose(Tensor.FromArray(single, 2, 1).Std(1).ToArray(), TorchOracle.Values(t.std(1)), Tolerances.TorchDouble, "std of one element");
    }

    [Fact]
    public void Std_OfConstantData_HasGradientZero_LikeTorch()
    {
        var x = Tensor.Full(2.0, 2, 3);
        x.RequiresGrad = true;
        x.Std(1).Sum().Backward();
        x.Grad!.ToArray().Should().OnlyContain(v => v == 0);
        using var scope = torch.NewDisposeScope();
        TT t = torch.full(new long[] { 2, 3 }, 2.0, dtype: torch.float64, requires_grad: true);
        t.std(1).sum().backward();
        TorchOracle.Values(t.grad!).Should().OnlyContain(v => v == 0);
    }

    // sum((x - mean)^2) / (N - correction), written out so any correction can be checked against the formula in TorchSharp.
    private static TT TorchVar(TT t, int[] shape, int[]? axes, double correction, bool keepDim)
    {
        long[] dims = axes is null || axes.Length == 0 ? Enumerable.Range(0, shape.Length).Select(d => (long)d).ToArray() : axes.Select(a => (long)a).ToArray();
        double n = dims.Aggregate(1.0, (acc, d) => acc * shape[d < 0 ? d + shape.Length : d]);
        TT deviations = t - t.mean(dims, true);
        return (deviations * deviations).sum(dims, keepDim) / Math.Max(0, n - correction);
    }
}

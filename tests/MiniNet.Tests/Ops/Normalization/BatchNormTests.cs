using System;
using FluentAssertions;
using MiniNet.Tests.Infrastructure;
using TorchSharp;
using Xunit;
using TT = TorchSharp.torch.Tensor;

namespace MiniNet.Tests.Ops.Normalization;

public class BatchNormTests
{
    public static TheoryData<int[]> Shapes => new() { new[] { 5, 3 }, new[] { 1, 2, 7 }, new[] { 3, 4, 5 }, new[] { 2, 3, 4, 5 }, new[] { 1, 2, 3, 3 } };

    // Inputs x, weight, bias; training uses the batch statistics (running stats not passed, as their update is checked separately).
    [Theory]
    [MemberData(nameof(Shapes))]
    public void Training_MatchesTorch_Double(int[] shape)
    {
        int c = shape[1];
        OpCheck<double>.AgainstTorch(
            new[] { shape, new[] { c }, new[] { c } },
            xs => xs[0].BatchNorm(null, null, xs[1], xs[2], training: true),
            ts => torch.nn.functional.batch_norm(ts[0], null, null, ts[1], ts[2], true, 0.1, 1e-5));
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Training_MatchesTorch_Float(int[] shape)
    {
        int c = shape[1];
        OpCheck<float>.AgainstTorch(
            new[] { shape, new[] { c }, new[] { c } },
            xs => xs[0].BatchNorm(null, null, xs[1], xs[2], training: true),
            ts => torch.nn.functional.batch_norm(ts[0], null, null, ts[1], ts[2], true, 0.1, 1e-5),
            tolerance: Tolerances.TorchFloatNormalization);
    }

    [Fact]
    public void Eval_UsesRunningStatistics_MatchesTorch()
    {
        var rng = new Rng(3);
        Tensor<double> mean = Tensor.Randn<double>(rng, 3);
        Tensor<double> variance = Tensor.Rand<double>(rng, 3) + 0.5;
        OpCheck<double>.AgainstTorch(
            new[] { new[] { 4, 3, 2 }, new[] { 3 }, new[] { 3 } },
            xs => xs[0].BatchNorm(mean, variance, xs[1], xs[2], training: false),
            ts => torch.nn.functional.batch_norm(ts[0], TorchOracle.ToTorch(mean), TorchOracle.ToTorch(variance), ts[1], ts[2], false, 0.1, 1e-5));
    }

    [Fact]
    public void WithoutAffine_MatchesTorch()
    {
        OpCheck<double>.AgainstTorch(
            new[] { new[] { 6, 2, 3 } },
            xs => xs[0].BatchNorm(null, null, training: true, eps: 1e-3),
            ts => torch.nn.functional.batch_norm(ts[0], null, null, null, null, true, 0.1, 1e-3));
    }

    // Constant channels (variance 0), tiny and huge scales: the two-pass double statistics stay exact.
    [Theory]
    [InlineData(0.0)]
    [InlineData(1e-150)]
    [InlineData(1e150)]
    public void ExtremeScales_MatchTorch(double scale)
    {
        Func<double, double> sample = scale == 0 ? _ => 7.0 : v => v * scale;
        OpCheck<double>.AgainstTorch(
            new[] { new[] { 4, 2, 3 }, new[] { 2 }, new[] { 2 } },
            xs => xs[0].BatchNorm(null, null, xs[1], xs[2], training: true),
            ts => torch.nn.functional.batch_norm(ts[0], null, null, ts[1], ts[2], true, 0.1, 1e-5),
            sample: sample, gradCheck: scale == 0);
    }

    [Fact]
    public void RunningStatistics_EqualTorchs_AfterSeveralSteps()
    {
        var rng = new Rng(8);
        var rm = Tensor.Zeros<double>(3);
        var rv = Tensor.Ones<double>(3);
        using var scope = torch.NewDisposeScope();
        TT trm = torch.zeros(3, dtype: torch.float64), trv = torch.ones(3, dtype: torch.float64);
        for (int step = 0; step < 4; step++)
        {
            Tensor<double> x = Tensor.Randn<double>(rng, 5, 3, 2) * (step + 1);
            x.BatchNorm(rm, rv, training: true, momentum: 0.3);
            torch.nn.functional.batch_norm(TorchOracle.ToTorch(x), trm, trv, null, null, true, 0.3, 1e-5);
        }

        TorchOracle.AssertClose(rm.ToArray(), TorchOracle.Values(trm), Tolerances.TorchDouble, "running mean");
        TorchOracle.AssertClose(rv.ToArray(), TorchOracle.Values(trv), Tolerances.TorchDouble, "running var");
    }

    [Fact]
    public void Throws_BeforeWork_NamingShapes()
    {
        var x = Tensor.Ones<double>(4, 3);
        ((Action)(() => x.BatchNorm(null, null, Tensor.Ones<double>(2), training: true))).Should().Throw<ArgumentException>().WithMessage("*[4, 3]*weight*[2]*[3]*");
        ((Action)(() => x.BatchNorm(null, null))).Should().Throw<ArgumentException>().WithMessage("*evaluation*running*");
        ((Action)(() => Tensor.Ones<double>(1, 3).BatchNorm(null, null, training: true))).Should().Throw<ArgumentException>().WithMessage("*more than 1 value per channel*");
        ((Action)(() => Tensor.Ones<double>(3).BatchNorm(null, null, training: true))).Should().Throw<ArgumentException>().WithMessage("*rank 2*[3]*");
        ((Action)(() => x.BatchNorm(Tensor.Zeros<double>(3), null, training: true))).Should().Throw<ArgumentException>().WithMessage("*both running*");
    }
}

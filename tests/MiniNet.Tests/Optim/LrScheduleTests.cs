using System;
using System.Linq;
using FluentAssertions;
using MiniNet.Optim;
using MiniNet.Tests.Infrastructure;
using TorchSharp;
using Xunit;

namespace MiniNet.Tests.Optim;

public class LrScheduleTests
{
    private const int Epochs = 25;

    // PyTorch's StepLR multiplies the current rate by gamma; ours forms the same products, so the rates are bit-identical.
    [Theory]
    [InlineData(1, 0.7)]
    [InlineData(3, 0.1)]
    public void StepLR_MatchesTorch_BitForBit(int stepSize, double gamma)
    {
        var (mini, oracle) = Rates(o => new StepLR(o, stepSize, gamma), o => torch.optim.lr_scheduler.StepLR(o, stepSize, gamma));
        mini.Should().Equal(oracle);
    }

    // TorchSharp (like PyTorch's step()) uses the recursive form; ours is the closed form, equal up to rounding.
    [Theory]
    [InlineData(10, 0.0)]
    [InlineData(7, 0.01)]
    public void CosineAnnealingLR_MatchesTorch(int tMax, double etaMin)
    {
        var (mini, oracle) = Rates(o => new CosineAnnealingLR(o, tMax, etaMin), o => torch.optim.lr_scheduler.CosineAnnealingLR(o, tMax, etaMin));
        TorchOracle.AssertClose(mini, oracle, Tolerances.ClosedForm, "cosine rates");
    }

    [Fact]
    public void CosineAnnealingLR_ReachesEtaMinAtTMax_AndSchedulesEveryGroup()
    {
        var a = Tensor.Ones(1);
        var b = Tensor.Ones(1);
        var sgd = new Sgd(new[] { new ParameterGroup<float>(new[] { a }), new ParameterGroup<float>(new[] { b }, learningRate: 0.2) }, 1.0);
        var cosine = new CosineAnnealingLR(sgd, tMax: 4, etaMin: 0.1);
        cosine.BaseLearningRates.Should().Equal(1.0, 0.2);
        for (int e = 0; e < 4; e++)
        {
            cosine.Step();
        }

        sgd.Groups.Select(g => g.LearningRate).Should().Equal(0.1, 0.1);
        cosine.RateAt(2).Should().BeApproximately(0.55, 1e-15);
        ((Action)(() => _ = new CosineAnnealingLR(sgd, 0))).Should().Throw<ArgumentOutOfRangeException>();
    }

    private static (double[] Mini, double[] Torch) Rates(Func<Optimizer, LrScheduler> mini, Func<torch.optim.Optimizer, torch.optim.lr_scheduler.LRScheduler> oracle)
    {
        using var scope = torch.NewDisposeScope();
        var sgd = new Sgd(new[] { Tensor.Ones(1) }, 0.9);
        var torchSgd = torch.optim.SGD(new[] { new TorchSharp.Modules.Parameter(torch.ones(1)) }, 0.9);
        LrScheduler schedule = mini(sgd);
        var torchSchedule = oracle(torchSgd);
        var m = new double[Epochs];
        var t = new double[Epochs];
        for (int e = 0; e < Epochs; e++)
        {
            schedule.Step();
            torchSchedule.step();
            m[e] = sgd.LearningRate;
            t[e] = torchSgd.ParamGroups.First().LearningRate;
        }

        return (m, t);
    }
}

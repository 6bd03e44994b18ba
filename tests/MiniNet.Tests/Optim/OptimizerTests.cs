using System;
using System.Linq;
using FluentAssertions;
using MiniNet.Optim;
using MiniNet.Tests.Infrastructure;
using TorchSharp;
using Xunit;

namespace MiniNet.Tests.Optim;

public class OptimizerTests
{
    public static TheoryData<string, double, double, double, bool> SgdCases => new()
    {
        { "plain", 0, 0, 0, false },
        { "momentum", 0.9, 0, 0, false },
        { "momentum+dampening", 0.8, 0.3, 0, false },
        { "nesterov", 0.9, 0, 0, true },
        { "weight decay", 0, 0, 0.05, false },
        { "everything", 0.7, 0, 0.01, true },
    };

    [Theory]
    [MemberData(nameof(SgdCases))]
    public void Sgd_MatchesTorch_StepByStep(string name, double momentum, double dampening, double weightDecay, bool nesterov)
    {
        _ = name;
        OptimizerOracle.Run(
            ps => new Sgd<double>(ps, 0.1, momentum, dampening, weightDecay, nesterov),
            ps => new[] { torch.optim.SGD(ps, 0.1, momentum, dampening, weightDecay, nesterov) });
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.1)]
    public void Adam_MatchesTorch_StepByStep(double weightDecay)
    {
        OptimizerOracle.Run(
            ps => new Adam<double>(ps, 0.01, 0.8, 0.95, 1e-6, weightDecay),
            ps => new[] { torch.optim.Adam(ps, 0.01, 0.8, 0.95, 1e-6, weightDecay) });
    }

    [Fact]
    public void NielsenL2_EqualsExplicitNielsenUpdate()
    {
        const double eta = 0.5, lambda = 5, n = 1000;
        var w = Tensor.FromArray(new[] { 1.0, -2.0, 3.0 }, 3);
        w.RequiresGrad = true;
        var g = new[] { 0.1, 0.2, -0.3 };
        w.Grad = Tensor.FromArray(g, 3);
        double[] expected = w.ToArray().Select((v, i) => ((1 - (eta * lambda / n)) * v) - (eta * g[i])).ToArray();
        new Sgd<double>(new[] { w }, eta, weightDecay: Sgd<double>.NielsenL2(lambda, (int)n)).Step();
        TorchOracle.AssertClose(w.ToArray(), expected, Tolerances.ClosedForm, "Nielsen's L2 update");
    }

    [Fact]
    public void Step_SkipsParametersWithoutGradient()
    {
        var a = Tensor.Ones<double>(2);
        var b = Tensor.Ones<double>(2);
        a.RequiresGrad = b.RequiresGrad = true;
        a.Grad = Tensor.Ones<double>(2);
        new Sgd<double>(new[] { a, b }, 0.5).Step();
        a.ToArray().Should().Equal(0.5, 0.5);
        b.ToArray().Should().Equal(1.0, 1.0);
    }

    [Fact]
    public void Step_IsNotRecordedOnTheTape()
    {
        Tape.Current.Clear();
        var a = Tensor.Ones<double>(2);
        a.RequiresGrad = true;
        a.Grad = Tensor.Ones<double>(2);
        new Adam<double>(new[] { a }).Step();
        Tape.Current.Count.Should().Be(0);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void LoadState_ResumesExactly(bool adam)
    {
        Optimizer<double> Make(Tensor<double>[] ps) => adam ? new Adam<double>(ps, 0.05) : new Sgd<double>(ps, 0.05, momentum: 0.9);
        var rng = new Rng(4);
        Tensor<double>[] original = { Tensor.Randn<double>(rng, 2, 3), Tensor.Randn<double>(rng, 3) };
        Tensor<double>[] grads = { Tensor.Randn<double>(rng, 2, 3), Tensor.Randn<double>(rng, 3) };
        Optimizer<double> first = Make(original);
        for (int s = 0; s < 3; s++)
        {
            for (int i = 0; i < 2; i++)
            {
                original[i].Grad = grads[i].Detach();
            }

            first.Step();
        }

        Tensor<double>[] copy = original.Select(p => p.Detach()).ToArray();
        Optimizer<double> resumed = Make(copy);
        resumed.LoadState(first.GetState(), first.StepCount);
        resumed.GetState().Select(s => s.Name).Should().Equal(first.GetState().Select(s => s.Name));
        for (int i = 0; i < 2; i++)
        {
            original[i].Grad = grads[i].Detach();
            copy[i].Grad = grads[i].Detach();
        }

        first.Step();
        resumed.Step();
        for (int i = 0; i < 2; i++)
        {
            copy[i].ToArray().Should().Equal(original[i].ToArray());
        }

        resumed.StepCount.Should().Be(4);
    }

    [Fact]
    public void GetState_NamesBuffersLikePyTorch()
    {
        var p = Tensor.Ones<double>(2);
        p.Grad = Tensor.Ones<double>(2);
        var adam = new Adam<double>(new[] { p });
        adam.GetState().Should().BeEmpty("no state exists before the first step");
        adam.Step();
        adam.GetState().Select(s => s.Name).Should().Equal("0.step", "0.exp_avg", "0.exp_avg_sq");
        adam.GetState()[0].Buffer.Item().Should().Be(1);
    }

    [Fact]
    public void LoadState_Throws_OnWrongShape_NamingEntry()
    {
        var sgd = new Sgd<double>(new[] { Tensor.Ones<double>(2) }, 0.1, momentum: 0.5);
        Action act = () => sgd.LoadState(new[] { ("0.momentum_buffer", Tensor.Ones<double>(3)) }, 1);
        act.Should().Throw<ArgumentException>().WithMessage("*0.momentum_buffer*[3]*[2]*");
        Action unknown = () => sgd.LoadState(new[] { ("1.momentum_buffer", Tensor.Ones<double>(2)) }, 1);
        unknown.Should().Throw<ArgumentException>().WithMessage("*1.momentum_buffer*");
    }

    [Fact]
    public void Schedules_SetTheLearningRate()
    {
        var sgd = new Sgd(new[] { Tensor.Ones(1) }, 1.0);
        var stepLr = new StepLR(sgd, stepSize: 2, gamma: 0.5);
        double[] rates = Enumerable.Range(0, 5).Select(_ => { stepLr.Step(); return sgd.LearningRate; }).ToArray();
        rates.Should().Equal(1.0, 0.5, 0.5, 0.25, 0.25);

        var adam = new Adam(new[] { Tensor.Ones(1) }, 0.1);
        var exp = new ExponentialLR(adam, 0.5);
        exp.Step();
        exp.Step();
        adam.LearningRate.Should().BeApproximately(0.025, 1e-15);

        var lambda = new LambdaLR(sgd, e => 1.0 / (e + 1));
        lambda.Step();
        sgd.LearningRate.Should().BeApproximately(lambda.BaseLearningRate / 2, 1e-15);
    }

    [Fact]
    public void Throws_OnInvalidHyperparameters()
    {
        var ps = new[] { Tensor.Ones(1) };
        ((Action)(() => _ = new Sgd(ps, -1))).Should().Throw<ArgumentOutOfRangeException>();
        ((Action)(() => _ = new Sgd(ps, 0.1, nesterov: true))).Should().Throw<ArgumentException>().WithMessage("*Nesterov*");
        ((Action)(() => _ = new Adam(ps, beta1: 1))).Should().Throw<ArgumentOutOfRangeException>();
        ((Action)(() => _ = new Sgd(new[] { ps[0], ps[0] }, 0.1))).Should().Throw<ArgumentException>().WithMessage("*same tensor*");
    }
}

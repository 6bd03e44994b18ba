using System;
using System.Linq;
using FluentAssertions;
using MiniNet.NN;
using MiniNet.Optim;
using TorchSharp;
using Xunit;

namespace MiniNet.Tests.Optim;

public class AdaptiveOptimizerTests
{
    [Theory]
    [InlineData(0.0)]
    [InlineData(0.1)]
    public void AdamW_MatchesTorch_StepByStep(double weightDecay)
    {
        OptimizerOracle.Run(
            ps => new AdamW<double>(ps, 0.05, 0.8, 0.95, 1e-6, weightDecay),
            ps => new[] { torch.optim.AdamW(ps, lr: 0.05, beta1: 0.8, beta2: 0.95, eps: 1e-6, weight_decay: weightDecay) });
    }

    public static TheoryData<double, double, bool> RMSpropCases => new()
    {
        { 0, 0, false },
        { 0.1, 0, false },
        { 0, 0.9, false },
        { 0, 0, true },
        { 0.05, 0.8, true },
    };

    [Theory]
    [MemberData(nameof(RMSpropCases))]
    public void RMSprop_MatchesTorch_StepByStep(double weightDecay, double momentum, bool centered)
    {
        OptimizerOracle.Run(
            ps => new RMSprop<double>(ps, 0.01, 0.9, 1e-6, weightDecay, momentum, centered),
            ps => new[] { torch.optim.RMSProp(ps, lr: 0.01, alpha: 0.9, eps: 1e-6, weight_decay: weightDecay, momentum: momentum, centered: centered) });
    }

    [Theory]
    [InlineData(1.0, 0.9, 1e-6, 0.0)]
    [InlineData(0.5, 0.7, 1e-3, 0.1)]
    public void Adadelta_MatchesTorch_StepByStep(double lr, double rho, double eps, double weightDecay)
    {
        OptimizerOracle.Run(
            ps => new Adadelta<double>(ps, lr, rho, eps, weightDecay),
            ps => new[] { torch.optim.Adadelta(ps, lr, rho, eps, weightDecay) },
            steps: 8);
    }

    [Fact]
    public void Adadelta_FirstStep_MatchesTheFormula()
    {
        // s = (1 - rho) g^2, delta = sqrt(eps) / sqrt(s + eps) g, w -= lr delta.
        const double rho = 0.9, eps = 1e-6, g = 0.3;
        var w = Tensor.FromArray(new[] { 1.0 }, 1);
        w.Grad = Tensor.FromArray(new[] { g }, 1);
        new Adadelta<double>(new[] { w }).Step();
        double delta = Math.Sqrt(eps) / Math.Sqrt(((1 - rho) * g * g) + eps) * g;
        w.ToArray()[0].Should().BeApproximately(1 - delta, 1e-15);
    }

    // Groups with their own rate and decay step exactly like separate TorchSharp optimizers, one per group.
    [Fact]
    public void ParameterGroups_MatchOneTorchOptimizerPerGroup()
    {
        OptimizerOracle.Run(
            ps => new AdamW<double>(
                new[] { new ParameterGroup<double>(ps[..1], weightDecay: 0.2), new ParameterGroup<double>(ps[1..], learningRate: 0.003) },
                learningRate: 0.01, weightDecay: 0.05),
            ps => new[]
            {
                torch.optim.AdamW(ps[..1], lr: 0.01, weight_decay: 0.2),
                torch.optim.AdamW(ps[1..], lr: 0.003, weight_decay: 0.05),
            });
    }

    [Fact]
    public void ParameterGroups_Sgd_WithPerGroupDecay_MatchTorch()
    {
        OptimizerOracle.Run(
            ps => new Sgd<double>(
                new[] { new ParameterGroup<double>(ps[..2], weightDecay: 0.1), new ParameterGroup<double>(ps[2..], learningRate: 0.5, weightDecay: 0) },
                learningRate: 0.1, momentum: 0.9),
            ps => new[]
            {
                torch.optim.SGD(ps[..2], 0.1, momentum: 0.9, weight_decay: 0.1),
                torch.optim.SGD(ps[2..], 0.5, momentum: 0.9),
            });
    }

    [Fact]
    public void ParameterGroups_NumberParametersAcrossGroups_AndTakeDefaults()
    {
        var a = Tensor.Ones<double>(2);
        var b = Tensor.Ones<double>(3);
        var c = Tensor.Ones<double>(1);
        var sgd = new Sgd<double>(new[] { new ParameterGroup<double>(new[] { a, b }), new ParameterGroup<double>(new[] { c }, 0.5, 0.25) }, 0.1, momentum: 0.5, weightDecay: 0.01);
        sgd.Parameters.Should().Equal(a, b, c);
        sgd.Groups.Select(g => (g.FirstParameter, g.ParameterCount, g.LearningRate, g.WeightDecay))
            .Should().Equal((0, 2, 0.1, 0.01), (2, 1, 0.5, 0.25));
        c.Grad = Tensor.Ones<double>(1);
        sgd.Step();
        sgd.GetState().Select(s => s.Name).Should().Equal("2.momentum_buffer");
        sgd.LearningRate = 0.2;
        sgd.Groups.Select(g => g.LearningRate).Should().Equal(0.2, 0.2);
    }

    [Fact]
    public void DecayWeightsOnly_PutsBiasesInTheUndecayedGroup()
    {
        var net = new Sequential(new Linear(3, 4, new Rng(1)), new Tanh(), new Linear(4, 2, new Rng(2)));
        ParameterGroup<float>[] groups = ParameterGroup.DecayWeightsOnly(net, 0.01);
        var named = net.NamedParameters().ToDictionary(p => p.Parameter, p => p.Name);
        groups[0].Parameters.Select(p => named[p]).Should().Equal("0.weight", "2.weight");
        groups[1].Parameters.Select(p => named[p]).Should().Equal("0.bias", "2.bias");
        var adamW = new AdamW(groups);
        adamW.Groups.Select(g => g.WeightDecay).Should().Equal(0.01, 0.0);
    }

    [Fact]
    public void Throws_OnBadGroupsAndHyperparameters_NamingThem()
    {
        var p = Tensor.Ones(2);
        ((Action)(() => _ = new AdamW(Array.Empty<ParameterGroup<float>>()))).Should().Throw<ArgumentException>().WithMessage("*at least one parameter group*");
        ((Action)(() => _ = new RMSprop(new[] { new ParameterGroup<float>(new[] { p }), new ParameterGroup<float>(new[] { p }) })))
            .Should().Throw<ArgumentException>().WithMessage("*Parameter 1 (group 1)*same tensor as parameter 0 (group 0)*");
        ((Action)(() => _ = new Adadelta(new[] { new ParameterGroup<float>(new[] { p }, learningRate: -1) })))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("*group 0*learning rate*");
        ((Action)(() => _ = new Adadelta(new[] { p }, rho: 1.5))).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*rho*");
        ((Action)(() => _ = new RMSprop(new[] { p }, momentum: 1))).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*momentum*");
        ((Action)(() => _ = new AdamW(new[] { p }, weightDecay: double.NaN))).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*weight decay*");
        var sgd = new Sgd(new[] { p }, 0.1);
        ((Action)(() => sgd.Groups[0].LearningRate = double.PositiveInfinity)).Should().Throw<ArgumentOutOfRangeException>();
    }
}

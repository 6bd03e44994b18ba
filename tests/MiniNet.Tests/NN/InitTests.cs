using System;
using System.Linq;
using FluentAssertions;
using MiniNet.NN;
using Xunit;

namespace MiniNet.Tests.NN;

public class InitTests
{
    // 400 x 250 = 100,000 samples: the sample std of N(0, s^2) has relative standard error 1/sqrt(2N) ~ 0.2%, so 2%
    // is ten standard errors — a wrong formula (e.g. 1/in instead of 1/sqrt(in)) is off by far more.
    private const int Out = 400, In = 250;
    private const double StatTolerance = 0.02;

    public static TheoryData<InitScheme, double, double> WeightStd => new()
    {
        { InitScheme.PyTorchDefault, 1 / Math.Sqrt(In) / Math.Sqrt(3), 1 / Math.Sqrt(In) },
        { InitScheme.Nielsen, 1 / Math.Sqrt(In), double.PositiveInfinity },
        { InitScheme.NielsenLarge, 1, double.PositiveInfinity },
        { InitScheme.XavierUniform, Math.Sqrt(6.0 / (In + Out)) / Math.Sqrt(3), Math.Sqrt(6.0 / (In + Out)) },
        { InitScheme.XavierNormal, Math.Sqrt(2.0 / (In + Out)), double.PositiveInfinity },
        { InitScheme.KaimingUniform, Math.Sqrt(6.0 / In) / Math.Sqrt(3), Math.Sqrt(6.0 / In) },
        { InitScheme.KaimingNormal, Math.Sqrt(2.0 / In), double.PositiveInfinity },
    };

    [Theory]
    [MemberData(nameof(WeightStd))]
    public void Weight_HasExpectedStdAndBound(InitScheme scheme, double std, double bound)
    {
        var layer = new Linear<double>(In, Out, new Rng(11), init: scheme);
        double[] w = layer.Weight.ToArray();
        double mean = w.Average();
        double sampleStd = Math.Sqrt(w.Select(v => (v - mean) * (v - mean)).Average());
        Math.Abs(mean).Should().BeLessThan(5 * std / Math.Sqrt(w.Length), "weights are centred at 0");
        sampleStd.Should().BeApproximately(std, StatTolerance * std);
        w.Should().OnlyContain(v => Math.Abs(v) <= bound);
    }

    [Theory]
    [InlineData(InitScheme.XavierUniform)]
    [InlineData(InitScheme.XavierNormal)]
    [InlineData(InitScheme.KaimingUniform)]
    [InlineData(InitScheme.KaimingNormal)]
    public void GlorotAndHe_ZeroTheBias(InitScheme scheme)
    {
        new Linear(3, 4, new Rng(1), init: scheme).Bias!.ToArray().Should().OnlyContain(v => v == 0);
    }

    [Fact]
    public void NielsenBias_IsStandardNormal_PyTorchBias_IsUniformInBound()
    {
        double[] nielsen = new Linear<double>(In, 20000, new Rng(2), init: InitScheme.Nielsen).Bias!.ToArray();
        Math.Sqrt(nielsen.Select(v => v * v).Average()).Should().BeApproximately(1, StatTolerance);
        double[] torchLike = new Linear<double>(In, 20000, new Rng(2)).Bias!.ToArray();
        torchLike.Should().OnlyContain(v => Math.Abs(v) <= 1 / Math.Sqrt(In));
        torchLike.Max().Should().BeGreaterThan(0.95 / Math.Sqrt(In), "the bias fills the whole interval");
    }

    [Fact]
    public void Throws_OnNon2DWeight()
    {
        Action act = () => Init.XavierUniform(Tensor.Zeros(3), new Rng(1));
        act.Should().Throw<ArgumentException>().WithMessage("*[3]*");
    }

    [Fact]
    public void Fans_OfConvolutionWeights_CountTheReceptiveField()
    {
        Init.Fans(Tensor.Zeros(64, 32, 3, 3)).Should().Be((32 * 9, 64 * 9));
        Init.Fans(Tensor.Zeros(10, 784)).Should().Be((784, 10));
        Init.Fans(Tensor.Zeros(4, 2, 5)).Should().Be((10, 20));
    }

    // PyTorch's Conv2d default: kaiming_uniform_(a = sqrt(5)) over fanIn = in * kH * kW gives U(-1/sqrt(fanIn), 1/sqrt(fanIn)).
    [Fact]
    public void PyTorchDefault_OnARank4Weight_UsesTheConvolutionFanIn()
    {
        var weight = Tensor.Zeros<double>(64, 32, 3, 3);
        var bias = Tensor.Zeros<double>(64);
        Init.Linear(InitScheme.PyTorchDefault, weight, bias, new Rng(3));
        double bound = 1 / Math.Sqrt(32 * 9);
        double[] w = weight.ToArray();
        w.Should().OnlyContain(v => Math.Abs(v) <= bound);
        Math.Sqrt(w.Select(v => v * v).Average()).Should().BeApproximately(bound / Math.Sqrt(3), StatTolerance * bound);
        bias.ToArray().Should().OnlyContain(v => Math.Abs(v) <= bound).And.Contain(v => Math.Abs(v) > 0.9 * bound);
    }
}

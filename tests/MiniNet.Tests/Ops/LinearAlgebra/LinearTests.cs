using System;
using FluentAssertions;
using MiniNet.Tests.Infrastructure;
using Xunit;
using F = TorchSharp.torch.nn.functional;

namespace MiniNet.Tests.Ops;

public class LinearTests
{
    public static TheoryData<int, int, int> Sizes => new() { { 1, 1, 1 }, { 3, 4, 5 }, { 7, 2, 1 }, { 2, 9, 6 } };

    [Theory]
    [MemberData(nameof(Sizes))]
    public void ForwardAndBackward_MatchTorch_Double(int n, int inFeatures, int outFeatures)
    {
        OpCheck<double>.AgainstTorch(
            new[] { new[] { n, inFeatures }, new[] { outFeatures, inFeatures }, new[] { outFeatures } },
            xs => xs[0].Linear(xs[1], xs[2]),
            ts => F.linear(ts[0], ts[1], ts[2]));
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void WithoutBias_MatchesTorch_Double(int n, int inFeatures, int outFeatures)
    {
        OpCheck<double>.AgainstTorch(
            new[] { new[] { n, inFeatures }, new[] { outFeatures, inFeatures } },
            xs => xs[0].Linear(xs[1]),
            ts => F.linear(ts[0], ts[1]));
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void ForwardAndBackward_MatchTorch_Float(int n, int inFeatures, int outFeatures)
    {
        OpCheck<float>.AgainstTorch(
            new[] { new[] { n, inFeatures }, new[] { outFeatures, inFeatures }, new[] { outFeatures } },
            xs => xs[0].Linear(xs[1], xs[2]),
            ts => F.linear(ts[0], ts[1], ts[2]));
    }

    [Fact]
    public void OnlyWeightNeedsGrad_MatchesTorch()
    {
        OpCheck<double>.AgainstTorch(
            new[] { new[] { 4, 3 }, new[] { 2, 3 }, new[] { 2 } },
            xs => xs[0].Linear(xs[1], xs[2]),
            ts => F.linear(ts[0], ts[1], ts[2]),
            gradInputs: new[] { false, true, false });
    }

    [Fact]
    public void IsOneTapeEntry()
    {
        Tape.Current.Clear();
        var rng = new Rng(3);
        var w = Tensor.Randn<double>(rng, 2, 3);
        w.RequiresGrad = true;
        _ = Tensor.Randn<double>(rng, 4, 3).Linear(w, Tensor.Zeros<double>(2));
        Tape.Current.Count.Should().Be(1);
        Tape.Current.Clear();
    }

    [Fact]
    public void Throws_OnFeatureMismatch_NamingBothShapes()
    {
        Action act = () => Tensor.Zeros(4, 3).Linear(Tensor.Zeros(2, 5));
        act.Should().Throw<ArgumentException>().WithMessage("*[4, 3]*[2, 5]*");
    }

    [Fact]
    public void Throws_OnBiasShape_NamingIt()
    {
        Action act = () => Tensor.Zeros(4, 3).Linear(Tensor.Zeros(2, 3), Tensor.Zeros(3));
        act.Should().Throw<ArgumentException>().WithMessage("*bias [3]*[2]*");
    }
}

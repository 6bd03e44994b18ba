using System;
using System.Linq;
using FluentAssertions;
using MiniNet.NN;
using Xunit;

namespace MiniNet.Tests.NN;

public class ConvModuleTests
{
    [Fact]
    public void Conv2d_HasPyTorchStateDictNamesShapesAndProperties()
    {
        var conv = new Conv2d(4, 6, 3, new Rng(1), stride: 2, padding: 1, dilation: 1, groups: 2);
        conv.StateDict().Select(e => e.Name).Should().Equal("weight", "bias");
        conv.Weight.Shape.ToArray().Should().Equal(6, 2, 3, 3);
        conv.Bias!.Shape.ToArray().Should().Equal(6);
        (conv.KernelSize, conv.Stride, conv.Padding, conv.Dilation, conv.Groups).Should().Be(((3, 3), (2, 2), (1, 1), (1, 1), 2));
        conv.Pads.Should().Be((1, 1, 1, 1));
        conv.PaddingMode.Should().BeNull();
        new Conv2d(1, 1, 2, new Rng(1), bias: false).StateDict().Select(e => e.Name).Should().Equal("weight");
    }

    [Fact]
    public void Conv2d_SamePadding_KeepsSize_WithAsymmetricPadsForEvenKernel()
    {
        var conv = new Conv2d<double>(2, 3, 4, new Rng(2), ConvPadding.Same);
        conv.Pads.Should().Be((1, 1, 2, 2));
        conv.PaddingMode.Should().Be(ConvPadding.Same);
        conv.Forward(Tensor.Zeros<double>(1, 2, 5, 6)).Shape.ToArray().Should().Equal(1, 3, 5, 6);
    }

    [Fact]
    public void Conv2d_DefaultInit_IsUniformWithinPyTorchBound()
    {
        // PyTorch: kaiming_uniform_(a=sqrt(5)) gives U(-1/sqrt(fanIn), 1/sqrt(fanIn)); the bias has the same bound.
        var conv = new Conv2d<double>(32, 64, 3, new Rng(3));
        double bound = 1 / Math.Sqrt(32 * 9);
        double[] w = conv.Weight.ToArray();
        w.Max().Should().BeLessThanOrEqualTo(bound).And.BeGreaterThan(0.95 * bound);
        w.Min().Should().BeGreaterThanOrEqualTo(-bound).And.BeLessThan(-0.95 * bound);
        conv.Bias!.ToArray().Max().Should().BeLessThanOrEqualTo(bound);
        double variance = w.Select(v => v * v).Average();
        variance.Should().BeApproximately(bound * bound / 3, 0.05 * bound * bound / 3);
    }

    [Fact]
    public void Conv2d_RejectsChannelsNotDivisibleByGroups()
    {
        Action act = () => _ = new Conv2d(3, 4, 3, new Rng(1), groups: 2);
        act.Should().Throw<ArgumentException>().WithMessage("*groups 2*");
    }

    [Fact]
    public void Dropout_IsIdentityInEval_AndMasksInTraining()
    {
        var dropout = new Dropout(0.5, new Rng(4));
        var x = Tensor.Ones(1000);
        dropout.Eval();
        dropout.Forward(x).Should().BeSameAs(x);
        dropout.Train();
        float[] y = dropout.Forward(x).ToArray();
        y.Should().OnlyContain(v => v == 0f || v == 2f);
        y.Count(v => v == 0f).Should().BeInRange(430, 570);
    }

    [Fact]
    public void PyTorchMnistNetwork_RunsForwardAndBackward()
    {
        var rng = new Rng(5);
        var net = new Sequential(
            new Conv2d(1, 32, 3, rng), new Relu(), new Conv2d(32, 64, 3, rng), new Relu(), new MaxPool2d(2), new Dropout(0.25, rng),
            new Flatten(), new Linear(9216, 128, rng), new Relu(), new Dropout(0.5, rng), new Linear(128, 10, rng));
        Tensor<float> logits = net.Forward(Tensor.Randn(rng, 2, 1, 28, 28));
        logits.Shape.ToArray().Should().Equal(2, 10);
        logits.CrossEntropy(new[] { 3, 7 }).Backward();
        net.Parameters().Should().OnlyContain(p => p.Grad != null && p.Grad.ToArray().Any(v => v != 0f));
    }
}

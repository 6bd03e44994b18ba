using System;
using FluentAssertions;
using TorchSharp;
using Xunit;
using TT = TorchSharp.torch.Tensor;

namespace MiniNet.Tests.Ops;

public class RsubTests : UnaryOpTests
{
    protected override Tensor<T> Apply<T>(Tensor<T> x) => x.Rsub(T.CreateTruncating(2.5));

    protected override TT Oracle(TT x) => x.neg() + 2.5;

    [Fact]
    public void IsOneOp()
    {
        var x = Tensor.FromArray([1.0, 2], 2);
        x.RequiresGrad = true;
        int before = Tape.Current.Count;
        Tensor<double> y = 2.5 - x;
        (Tape.Current.Count - before).Should().Be(1, "c - x records one node, not a negation and an add");
        y.ToArray().Should().Equal(1.5, 0.5);
    }
}

public class RdivTests : UnaryOpTests
{
    protected override Tensor<T> Apply<T>(Tensor<T> x) => x.Rdiv(T.CreateTruncating(10));

    protected override TT Oracle(TT x) => torch.reciprocal(x) * 10.0;

    // Divisors at least 0.5 away from 0: 10/x is steep near it, which finite differences resolve badly.
    protected override Func<double, double>? Sample => BroadcastCases.AwayFromZero;

    [Fact]
    public void IsOneOp()
    {
        var x = Tensor.FromArray([4f, -8f], 2);
        x.RequiresGrad = true;
        int before = Tape.Current.Count;
        Tensor<float> y = 10.0 / x;
        (Tape.Current.Count - before).Should().Be(1);
        y.ToArray().Should().Equal(2.5f, -1.25f);
    }
}

using System;
using FluentAssertions;
using TorchSharp;
using Xunit;
using TT = TorchSharp.torch.Tensor;

namespace MiniNet.Tests.Ops;

public class Log1pTests : UnaryOpTests
{
    protected override Tensor<T> Apply<T>(Tensor<T> x) => x.Log1p();

    protected override TT Oracle(TT x) => torch.log1p(x);

    // At least -0.5, where 1/(1 + x) is still gentle enough for finite differences.
    protected override Func<double, double>? Sample => v => Math.Abs(v) - 0.5;

    // The defaults include -1 (-infinity, gradient +infinity) and values below -1 (NaN).
    protected override double[] SpecialValues => [.. base.SpecialValues, -0.999999, 1e-20, -1e-20, 1e300];

    [Fact]
    public void TinyArguments_KeepTheirDigits_AsTorch() =>
        NearZeroAccuracy.MatchesTorch(x => x.Log1p(), x => x.Log1p(), torch.log1p);

    [Fact]
    public void Log1pOfTiny_IsTheArgument_WhereLogOfOnePlusIsZero()
    {
        var x = Tensor.FromArray([1e-20], 1);
        x.Log1p().Item().Should().Be(1e-20);
        x.Add(1.0).Log().Item().Should().Be(0, "the naive formula loses every digit, which is why log1p exists");
    }
}

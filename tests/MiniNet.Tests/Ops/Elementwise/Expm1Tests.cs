using FluentAssertions;
using TorchSharp;
using Xunit;
using TT = TorchSharp.torch.Tensor;

namespace MiniNet.Tests.Ops;

public class Expm1Tests : UnaryOpTests
{
    protected override Tensor<T> Apply<T>(Tensor<T> x) => x.Expm1();

    protected override TT Oracle(TT x) => torch.expm1(x);

    // Past the overflow thresholds (~88.7 float, ~709.8 double) and deep in the -1 plateau.
    protected override double[] SpecialValues => [.. base.SpecialValues, -800, -40, 1e-20, -1e-20, 88, 89, 709, 710];

    [Fact]
    public void TinyArguments_KeepTheirDigits_AsTorch() =>
        NearZeroAccuracy.MatchesTorch(x => x.Expm1(), x => x.Expm1(), torch.expm1);

    [Fact]
    public void Expm1OfTiny_IsTheArgument_WhereExpMinusOneIsZero()
    {
        var x = Tensor.FromArray([1e-20f], 1);
        x.Expm1().Item().Should().Be(1e-20f);
        x.Exp().Add(-1f).Item().Should().Be(0f);
    }
}

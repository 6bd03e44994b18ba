using FluentAssertions;
using TorchSharp;
using Xunit;
using TT = TorchSharp.torch.Tensor;

namespace MiniNet.Tests.Ops;

public class ExpTests : UnaryOpTests
{
    protected override Tensor<T> Apply<T>(Tensor<T> x) => x.Exp();

    protected override TT Oracle(TT x) => torch.exp(x);

    // Past the overflow thresholds (~88.7 float, ~709.8 double) as well as the defaults.
    protected override double[] SpecialValues => [.. base.SpecialValues, -800, -100, 88, 89, 700, 710];

    [Fact]
    public void OverflowsToInfinity_AsTorch() =>
        Tensor.FromArray([800.0], 1).Exp().ToArray()[0].Should().Be(double.PositiveInfinity, "e^800 overflows double, as in PyTorch");
}

using FluentAssertions;
using Xunit;
using TT = TorchSharp.torch.Tensor;

namespace MiniNet.Tests.Ops;

public class NegTests : UnaryOpTests
{
    protected override Tensor<T> Apply<T>(Tensor<T> x) => x.Neg();

    protected override TT Oracle(TT x) => x.neg();

    [Fact]
    public void ZeroChangesSign()
    {
        double y = Tensor.FromArray([0.0], 1).Neg().ToArray()[0];
        double.IsNegative(y).Should().BeTrue("-(+0) is -0, as in PyTorch");
    }
}

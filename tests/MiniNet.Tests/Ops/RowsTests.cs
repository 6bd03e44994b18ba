using FluentAssertions;
using MiniNet.Tests.Infrastructure;
using Xunit;

namespace MiniNet.Tests.Ops;

public class RowsTests
{
    [Fact]
    public void Rows_GradientFlowsBackIntoTheBase()
    {
        var w = Tensor.FromArray(new double[] { 1, 2, 3, 4, 5, 6, 7, 8 }, 4, 2);
        w.RequiresGrad = true;
        Tensor<double> loss = w.Sum() + w.Rows(1, 2).Sum();
        loss.Backward();
        w.Grad!.ToArray().Should().Equal(1, 1, 2, 2, 2, 2, 1, 1);
    }

    [Fact]
    public void MatchesTorch_Double() =>
        OpCheck.AgainstTorch(new[] { new[] { 5, 3 } }, xs => xs[0].Rows(1, 3), ts => ts[0].narrow(0, 1, 3));

    [Fact]
    public void MatchesTorch_Float() =>
        OpCheck.AgainstTorchFloat(new[] { new[] { 5, 3 } }, xs => xs[0].Rows(4, 1), ts => ts[0].narrow(0, 4, 1));
}

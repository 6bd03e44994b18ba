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
        OpCheck<double>.AgainstTorch(new[] { new[] { 5, 3 } }, xs => xs[0].Rows(1, 3), ts => ts[0].narrow(0, 1, 3));

    [Fact]
    public void MatchesTorch_Float() =>
        OpCheck<float>.AgainstTorch(new[] { new[] { 5, 3 } }, xs => xs[0].Rows(4, 1), ts => ts[0].narrow(0, 4, 1));

    [Theory]
    [InlineData(1.0)]
    [InlineData(1e-150)] // tiny: products near 1e-300, still normal
    [InlineData(1e100)] // huge: products near 1e200
    public void SecondOrder_MatchesTorch_AndGradGrad(double scale)
    {
        // A product of two overlapping slices has non-zero second derivatives; they flow through Rows'
        // differentiable backward (EmbedRows) and back through EmbedRows' own (Rows again).
        SecondOrderCheck.AgainstTorch(
            [[5, 2, 3]],
            xs => xs[0].Rows(1, 3).Mul(xs[0].Rows(0, 3)),
            ts => ts[0].narrow(0, 1, 3) * ts[0].narrow(0, 0, 3),
            sample: v => v * scale,
            gradGrad: scale == 1.0);
    }

    [Fact]
    public void SecondOrder_OfATransposedInput_MatchesTorch()
    {
        // MiniNet has no strided views yet (Transpose copies); TorchSharp's side slices a non-contiguous t() view.
        SecondOrderCheck.AgainstTorch(
            [[3, 6]],
            xs => xs[0].Transpose().Rows(2, 3).Tanh(),
            ts => ts[0].t().narrow(0, 2, 3).tanh());
    }

    [Fact]
    public void ThirdOrder_ThroughRowsGradient_MatchesTorch()
    {
        // The function is itself a createGraph gradient through Rows, so its second-order check differentiates
        // EmbedRows' differentiable rule.
        SecondOrderCheck.AgainstTorch(
            [[4, 3]],
            xs => MiniNet.Autograd.IsGradEnabled
                ? MiniNet.Autograd.Grad([xs[0].Rows(1, 2).Tanh().Sum()], [xs[0]], createGraph: true)[0]!.Mul(xs[0])
                : Tensor.Zeros<double>(4, 3),
            ts => TorchSharp.torch.autograd.grad([ts[0].narrow(0, 1, 2).tanh().sum()], [ts[0]], retain_graph: true, create_graph: true)[0] * ts[0],
            gradGrad: false);
    }
}

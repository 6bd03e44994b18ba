using System.Linq;
using FluentAssertions;
using MiniNet.Tests.Infrastructure;
using TorchSharp;
using Xunit;
using F = TorchSharp.torch.nn.functional;

namespace MiniNet.Tests.Ops.Convolution;

/// <summary>Second derivatives (createGraph) of the convolution, pooling and dropout ops against TorchSharp, plus GradGrad.</summary>
public class SecondOrderTests
{
    [Theory]
    [InlineData(1, 1, 0, 1, 1)]
    [InlineData(2, 2, 1, 1, 1)]
    [InlineData(2, 1, 2, 2, 2)]
    [InlineData(1, 1, 0, 1, 2)]
    public void Conv2d_SecondOrder_MatchesTorch(int n, int stride, int padding, int dilation, int groups)
    {
        // Products make the second derivatives non-zero: d2/dx dw of <conv(x, w), v> is the bilinear map itself.
        SecondOrderCheck.AgainstTorch(
            [[n, 2, 6, 5], [4, 2 / groups, 3, 2], [4]],
            xs => xs[0].Conv2d(xs[1], xs[2], stride, padding, dilation, groups).Tanh(),
            ts => F.conv2d(ts[0], ts[1], ts[2], strides: new long[] { stride, stride }, padding: new long[] { padding, padding },
                dilation: new long[] { dilation, dilation }, groups: groups).tanh());
    }

    [Fact]
    public void Conv2d_ThirdOrder_MatchesTorch()
    {
        // The second-order check of a function that is itself a createGraph gradient: this differentiates the
        // recorded input- and weight-gradient ops' own differentiable rules (third derivatives of the convolution).
        SecondOrderCheck.AgainstTorch(
            [[2, 2, 5, 4], [3, 2, 2, 2]],
            xs => Shaped(xs[0], () => MiniNet.Autograd.Grad([xs[0].Conv2d(xs[1], null, padding: 1).Tanh().Sum()], [xs[0]], createGraph: true)[0]!.Mul(xs[0])),
            ts => torch.autograd.grad([F.conv2d(ts[0], ts[1], padding: new long[] { 1, 1 }).tanh().sum()], [ts[0]], retain_graph: true, create_graph: true)[0] * ts[0],
            gradGrad: false);
        SecondOrderCheck.AgainstTorch(
            [[2, 2, 5, 4], [3, 2, 2, 2]],
            xs => Shaped(xs[1], () => MiniNet.Autograd.Grad([xs[0].Conv2d(xs[1], null, 2).Tanh().Sum()], [xs[1]], createGraph: true)[0]!.Mul(xs[1])),
            ts => torch.autograd.grad([F.conv2d(ts[0], ts[1], strides: new long[] { 2, 2 }).tanh().sum()], [ts[1]], retain_graph: true, create_graph: true)[0] * ts[1],
            gradGrad: false);
    }

    // The check first runs the function under NoGrad only to learn the output's shape (that of the input
    // differentiated); a gradient cannot be taken there, so the probe gets a tensor of that shape.
    private static Tensor<double> Shaped(Tensor<double> like, System.Func<Tensor<double>> gradient) =>
        MiniNet.Autograd.IsGradEnabled ? gradient() : Tensor.Zeros<double>(like.Shape.ToArray());

    [Fact]
    public void Conv2d_SamePadding_SecondOrder_MatchesTorch()
    {
        SecondOrderCheck.AgainstTorch(
            [[1, 2, 5, 5], [3, 2, 2, 2]],
            xs => xs[0].Conv2d(xs[1], null, ConvPadding.Same).Tanh(),
            ts => F.conv2d(F.pad(ts[0], new long[] { 0, 1, 0, 1 }), ts[1]).tanh());
    }

    [Fact]
    public void Pooling_SecondOrder_MatchesTorch()
    {
        SecondOrderCheck.AgainstTorch(
            [[2, 2, 6, 5]],
            xs => xs[0].Tanh().MaxPool2d(2, 1, 1).Tanh(),
            ts => F.max_pool2d(ts[0].tanh(), new long[] { 2, 2 }, new long[] { 1, 1 }, new long[] { 1, 1 }).tanh());
        SecondOrderCheck.AgainstTorch(
            [[2, 2, 6, 5]],
            xs => xs[0].Tanh().AvgPool2d(3, 2, 1).Tanh(),
            ts => F.avg_pool2d(ts[0].tanh(), new long[] { 3, 3 }, new long[] { 2, 2 }, new long[] { 1, 1 }).tanh());
        SecondOrderCheck.AgainstTorch(
            [[2, 2, 7, 5]],
            xs => xs[0].Tanh().AdaptiveAvgPool2d(3, 2).Tanh(),
            ts => F.adaptive_avg_pool2d(ts[0].tanh(), new long[] { 3, 2 }).tanh());
    }

    [Fact]
    public void Flatten_SecondOrder_MatchesTorch()
    {
        SecondOrderCheck.AgainstTorch(
            [[2, 3, 4]],
            xs => xs[0].Tanh().Flatten().Tanh(),
            ts => ts[0].tanh().flatten(1).tanh());
    }

    [Fact]
    public void Dropout_SecondOrder_IsTwiceTheMaskTimesU()
    {
        // f = <dropout(x) * x, 1> with a fixed mask m (scaled): df/dx = 2 m x, so d<df/dx, u>/dx = 2 m u.
        var x = Tensor.Randn<double>(new Rng(1), 3, 4, 2, 2);
        x.RequiresGrad = true;
        Tensor<double> dropped = x.Dropout2d(0.5, new Rng(2));
        Tensor<double> f = dropped.Mul(x).Sum();
        Tensor<double> first = MiniNet.Autograd.Grad([f], [x], createGraph: true)[0]!;
        var u = Tensor.Randn<double>(new Rng(3), 3, 4, 2, 2);
        Tensor<double> second = MiniNet.Autograd.Grad([first.Mul(u).Sum()], [x])[0]!;
        double[] xs = x.ToArray(), ds = dropped.ToArray(), us = u.ToArray(), s = second.ToArray();
        for (int i = 0; i < xs.Length; i++)
        {
            double m = ds[i] / xs[i];
            s[i].Should().BeApproximately(2 * m * us[i], 1e-12);
        }

        ds.Count(v => v == 0).Should().BeGreaterThan(0, "some channels are dropped, so the check sees both mask values");
    }
}

using MiniNet.Tests.Infrastructure;
using Xunit;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace MiniNet.Tests.Autograd;

/// <summary>
/// Second derivatives in float32 (<see cref="SecondOrderCheck{T}"/>: MiniNet's float result against TorchSharp's
/// float64 on the same values) of the ops whose float path has its own kernels: binary and broadcast elementwise, the
/// softmax family, reductions, the GEMM tiles behind MatMul and Linear, the losses, the normalisations, convolution and
/// pooling. The float64 checks of the same ops, with GradGrad, are in <see cref="SecondOrderTests"/>; the unary ops'
/// float32 second derivatives are in <c>UnaryOpTests</c>.
/// </summary>
public class FloatSecondOrderTests
{
    [Theory]
    [InlineData(new[] { 3, 4 }, new[] { 3, 4 })]
    [InlineData(new[] { 3, 4 }, new[] { 4 })]
    [InlineData(new[] { 1 }, new[] { 2, 1 })]
    [InlineData(new[] { 40, 3 }, new[] { 40, 1 })]
    public void Binary(int[] a, int[] b)
    {
        // A broadcast input's gradient sums signed products over the broadcast axis (and the products here add a
        // second term to each gradient), so elements cancel as in softmax: TorchFloatCancellation.
        const double tol = Tolerances.TorchFloatCancellation;
        SecondOrderCheck<float>.AgainstTorch([a, b], x => x[0].Add(x[1]).Mul(x[0]), t => (t[0] + t[1]) * t[0], secondOrderTolerance: tol);
        SecondOrderCheck<float>.AgainstTorch([a, b], x => x[0].Sub(x[1]).Mul(x[1]), t => (t[0] - t[1]) * t[1], secondOrderTolerance: tol);
        SecondOrderCheck<float>.AgainstTorch([a, b], x => x[0].Mul(x[1]), t => t[0] * t[1], secondOrderTolerance: tol);
        SecondOrderCheck<float>.AgainstTorch([a, b], x => x[0].Div(x[1]), t => t[0] / t[1], sample: SecondOrderTests.Positive, secondOrderTolerance: tol);
        SecondOrderCheck<float>.AgainstTorch([a, b], x => x[0].Maximum(x[1]).Mul(x[0]), t => t[0].maximum(t[1]) * t[0], secondOrderTolerance: tol);
    }

    [Fact]
    public void ScalarsAndPow()
    {
        SecondOrderCheck<float>.AgainstTorch([[2, 3]], x => x[0].Mul(-1.5f).Add(0.25f).Mul(x[0]), t => ((t[0] * -1.5) + 0.25) * t[0]);
        SecondOrderCheck<float>.AgainstTorch([[7, 2]], x => x[0].Pow(3f), t => t[0].pow(3.0));
        SecondOrderCheck<float>.AgainstTorch([[7, 2]], x => x[0].Pow(2.5f), t => t[0].pow(2.5), sample: SecondOrderTests.Positive);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void SoftmaxFamily(int axis)
    {
        SecondOrderCheck<float>.AgainstTorch([[3, 4]], x => x[0].Softmax(axis), t => t[0].softmax(axis),
            secondOrderTolerance: Tolerances.TorchFloatCancellation);
        SecondOrderCheck<float>.AgainstTorch([[3, 4]], x => x[0].LogSoftmax(axis), t => t[0].log_softmax(axis),
            secondOrderTolerance: Tolerances.TorchFloatCancellation);
    }

    [Fact]
    public void Reductions()
    {
        SecondOrderCheck<float>.AgainstTorch([[3, 4]], x => x[0].Mul(x[0]).Sum(), t => (t[0] * t[0]).sum());
        SecondOrderCheck<float>.AgainstTorch([[3, 4, 2]], x => x[0].Mul(x[0]).Mean(2, keepDim: true), t => (t[0] * t[0]).mean([2], keepdim: true));
        SecondOrderCheck<float>.AgainstTorch([[3, 40]], x => x[0].Mul(x[0]).Max(1), t => (t[0] * t[0]).max(1).values);
    }

    [Theory]
    [InlineData(3, 4, 5)]
    [InlineData(13, 37, 20)]
    [InlineData(6, 48, 100)]
    public void MatMulAndLinear(int m, int k, int n)
    {
        // Shapes from TilePathTests: the first runs the row loops, the others the dot and broadcast tiles.
        SecondOrderCheck<float>.AgainstTorch([[m, k], [k, n]], x => x[0].MatMul(x[1]).Tanh(), t => t[0].matmul(t[1]).tanh(),
            secondOrderTolerance: Tolerances.TorchFloatLongSums);
        SecondOrderCheck<float>.AgainstTorch([[m, k], [n, k], [n]], x => x[0].Linear(x[1], x[2]).Sigmoid(), t => F.linear(t[0], t[1], t[2]).sigmoid(),
            secondOrderTolerance: Tolerances.TorchFloatLongSums);
    }

    [Theory]
    [InlineData(Reduction.Mean)]
    [InlineData(Reduction.Sum)]
    [InlineData(Reduction.None)]
    public void Losses(Reduction reduction)
    {
        nn.Reduction r = SecondOrderTests.TorchReduction(reduction);
        // Loss gradients are differences (p - y, sigma(z) - y, x - y) of O(1) terms: TorchFloatCancellation.
        const double tol = Tolerances.TorchFloatCancellation;
        SecondOrderCheck<float>.AgainstTorch([[3, 4], [3, 4]], x => x[0].MseLoss(x[1], reduction), t => F.mse_loss(t[0], t[1], r), secondOrderTolerance: tol);
        SecondOrderCheck<float>.AgainstTorch([[3, 4], [3, 4]], x => x[0].BinaryCrossEntropy(x[1], reduction), t => F.binary_cross_entropy(t[0], t[1], reduction: r),
            sample: SecondOrderTests.Probability, secondOrderTolerance: tol);
        SecondOrderCheck<float>.AgainstTorch([[3, 4], [3, 4]], x => x[0].BinaryCrossEntropyWithLogits(x[1].Sigmoid(), reduction),
            t => F.binary_cross_entropy_with_logits(t[0], t[1].sigmoid(), reduction: r), secondOrderTolerance: tol);
        int[] labels = [2, 0, 3];
        SecondOrderCheck<float>.AgainstTorch([[3, 4]], x => x[0].CrossEntropy(labels, reduction), t => F.cross_entropy(t[0], tensor(new long[] { 2, 0, 3 }), reduction: r),
            secondOrderTolerance: tol);
    }

    [Fact]
    public void Normalizations()
    {
        SecondOrderCheck<float>.AgainstTorch([[3, 2, 4], [2, 4], [2, 4]], x => x[0].LayerNorm(new Shape(2, 4), x[1], x[2]).Tanh(),
            t => F.layer_norm(t[0], [2, 4], t[1], t[2], 1e-5).tanh(), secondOrderTolerance: Tolerances.TorchFloatNormalization);
        SecondOrderCheck<float>.AgainstTorch([[4, 3, 2], [3], [3]], x => x[0].BatchNorm(null, null, x[1], x[2], training: true).Tanh(),
            t => F.batch_norm(t[0], null, null, t[1], t[2], training: true).tanh(), secondOrderTolerance: Tolerances.TorchFloatNormalization);
    }

    [Theory]
    [InlineData(1, 1, 0, 1)]
    [InlineData(2, 2, 1, 1)]
    [InlineData(2, 1, 1, 2)]
    public void Conv2dAndPooling(int n, int stride, int padding, int groups)
    {
        // The convolution's gradients are sums of up to 60 signed products: TorchFloatLongSums.
        SecondOrderCheck<float>.AgainstTorch(
            [[n, 2, 6, 5], [4, 2 / groups, 3, 2], [4]],
            xs => xs[0].Conv2d(xs[1], xs[2], stride, padding, 1, groups).Tanh(),
            ts => F.conv2d(ts[0], ts[1], ts[2], strides: new long[] { stride, stride }, padding: new long[] { padding, padding }, groups: groups).tanh(),
            secondOrderTolerance: Tolerances.TorchFloatLongSums);
        SecondOrderCheck<float>.AgainstTorch(
            [[n, 2, 6, 5]],
            xs => xs[0].Tanh().MaxPool2d(2, 1, 1).Tanh(),
            ts => F.max_pool2d(ts[0].tanh(), new long[] { 2, 2 }, new long[] { 1, 1 }, new long[] { 1, 1 }).tanh());
        SecondOrderCheck<float>.AgainstTorch(
            [[n, 2, 6, 5]],
            xs => xs[0].Tanh().AvgPool2d(3, 2, 1).Tanh(),
            ts => F.avg_pool2d(ts[0].tanh(), new long[] { 3, 3 }, new long[] { 2, 2 }, new long[] { 1, 1 }).tanh());
    }
}

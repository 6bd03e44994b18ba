using MiniNet.Tests.Infrastructure;
using Xunit;
using F = TorchSharp.torch.nn.functional;

namespace MiniNet.Tests.Ops;

/// <summary>
/// MatMul and Linear at shapes past <c>Gemm.SmallWork</c> (16³ multiply-adds), where the products run on the unpacked
/// tile kernels (Kernels/Gemm.Paths.cs) rather than the row loops the small shapes of MatMulTests and LinearTests take:
/// x W^T as dot tiles (k = 37 leaves a masked tail after 2 float or 4 double vectors), G^T X and G W as broadcast
/// tiles with a ragged last vector (n = 20, 37, 100), and [64, 64] x [64, 70] above <c>Gemm.SplitGrain</c>, split
/// across two threads. Each against TorchSharp in float64 (with central differences), float32, and second derivatives.
/// </summary>
public class TilePathTests
{
    public static TheoryData<int, int, int> LinearSizes => new() { { 13, 37, 20 }, { 6, 48, 100 }, { 64, 64, 70 } };

    [Theory]
    [MemberData(nameof(LinearSizes))]
    public void Linear_MatchesTorch_Double(int n, int inFeatures, int outFeatures) =>
        OpCheck<double>.AgainstTorch(
            [[n, inFeatures], [outFeatures, inFeatures], [outFeatures]], xs => xs[0].Linear(xs[1], xs[2]), ts => F.linear(ts[0], ts[1], ts[2]));

    [Theory]
    [MemberData(nameof(LinearSizes))]
    public void Linear_MatchesTorch_Float(int n, int inFeatures, int outFeatures) =>
        OpCheck<float>.AgainstTorch(
            [[n, inFeatures], [outFeatures, inFeatures], [outFeatures]], xs => xs[0].Linear(xs[1], xs[2]), ts => F.linear(ts[0], ts[1], ts[2]),
            tolerance: Tolerances.TorchFloatLongSums); // dot products of 37-64 floats summed in another order: see the constant

    [Fact]
    public void Linear_SecondDerivatives_MatchTorch() =>
        SecondOrderCheck.AgainstTorch([[13, 37], [20, 37], [20]], x => x[0].Linear(x[1], x[2]).Tanh(), t => F.linear(t[0], t[1], t[2]).tanh());

    [Theory]
    [InlineData(InputLayout.Transposed)]
    [InlineData(InputLayout.Sliced)]
    public void MatMul_OfNonContiguousViews_MatchesTorch(InputLayout layout)
    {
        // A transposed A is read in place by the broadcast tiles (through its strides), a transposed B by the dot tiles.
        OpCheck<double>.AgainstTorch([[13, 37], [37, 20]], xs => xs[0].MatMul(xs[1]), ts => ts[0].matmul(ts[1]), layout: layout);
        OpCheck<float>.AgainstTorch([[13, 37], [37, 20]], xs => xs[0].MatMul(xs[1]), ts => ts[0].matmul(ts[1]), layout: layout, tolerance: Tolerances.TorchFloatLongSums);
    }

    [Fact]
    public void MatMul_SecondDerivatives_MatchTorch() =>
        SecondOrderCheck.AgainstTorch([[13, 37], [37, 20]], x => x[0].MatMul(x[1]).Tanh(), t => t[0].matmul(t[1]).tanh());

    [Theory]
    [InlineData(1e-150)]
    [InlineData(1e150)]
    public void MatMul_OfTinyAndHugeValues_MatchesTorch_Double(double scale) =>
        // Central differences step by an absolute 1e-6, which leaves an input of 1e150 unchanged (x + h == x), so they
        // run for the tiny inputs only; TorchSharp checks both.
        OpCheck<double>.AgainstTorch(
            [[13, 37], [37, 20]], xs => xs[0].MatMul(xs[1]), ts => ts[0].matmul(ts[1]), sample: v => v * scale, gradCheck: scale < 1);

    [Theory]
    [InlineData(1e-18)]
    [InlineData(1e18)]
    public void MatMul_OfTinyAndHugeValues_MatchesTorch_Float(double scale) =>
        OpCheck<float>.AgainstTorch(
            [[13, 37], [37, 20]], xs => xs[0].MatMul(xs[1]), ts => ts[0].matmul(ts[1]), sample: v => v * scale, tolerance: Tolerances.TorchFloatLongSums);
}

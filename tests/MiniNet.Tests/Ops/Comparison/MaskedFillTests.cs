using System;
using FluentAssertions;
using MiniNet.Tests.Infrastructure;
using TorchSharp;
using Xunit;

namespace MiniNet.Tests.Ops;

public class MaskedFillTests
{
    public static TheoryData<int[], int[]> Pairs => new()
    {
        { new[] { 4, 3 }, new[] { 4, 3 } },
        { new[] { 4, 3 }, new[] { 3 } },
        { new[] { 4, 3 }, new[] { 4, 1 } },
        { new[] { 2, 3, 4 }, Array.Empty<int>() },
        { new[] { 2, 3, 4 }, new[] { 1, 3, 1 } },
        { new[] { 0, 3 }, new[] { 3 } },
    };

    private static readonly bool[] InputOnly = [true, false];

    [Theory]
    [MemberData(nameof(Pairs))]
    public void ForwardAndBackward_MatchTorch(int[] shape, int[] mask)
    {
        OpCheck<double>.AgainstTorch([shape, mask], xs => xs[0].MaskedFill(xs[1].Lt(0.0), 2.5), ts => ts[0].masked_fill(ts[1] < 0, 2.5), gradInputs: InputOnly);
        OpCheck<float>.AgainstTorch([shape, mask], xs => xs[0].MaskedFill(xs[1].Lt(0f), -1f), ts => ts[0].masked_fill(ts[1] < 0, -1.0), gradInputs: InputOnly);
    }

    [Fact]
    public void SecondDerivatives_MatchTorch() =>
        SecondOrderCheck.AgainstTorch(
            [[3, 4], [4]],
            xs => xs[0].Mul(xs[0]).MaskedFill(xs[1].Gt(0.0), 1.0),
            ts => (ts[0] * ts[0]).masked_fill(ts[1] > 0, 1.0),
            gradInputs: InputOnly);

    [Fact]
    public void DoubleFillValue_FitsFloatTensors_AndMatchesTheFloatOverload()
    {
        var x = Tensor.FromArray([1f, 2f, 3f], 3);
        var mask = Tensor.FromArray([1f, 0f, 1f], 3);
        x.MaskedFill(mask, -1e9).ToArray().Should().Equal(-1e9f, 2f, -1e9f);
        x.MaskedFill(mask, 0.1).ToArray().Should().Equal(x.MaskedFill(mask, 0.1f).ToArray());
        x.MaskedFill(mask, 1e300).ToArray().Should().Equal(float.PositiveInfinity, 2f, float.PositiveInfinity);
        Tensor.FromArray([1.0, 2], 2).MaskedFill(Tensor.FromArray([0.0, 1], 2), 0.1).ToArray().Should().Equal(1, 0.1);
    }

    [Fact]
    public void MinusInfinityBeforeSoftmax_GivesZeroWeightAndGradient_AsTorch()
    {
        double[] logits = [1, 2, 3, 4];
        var x = Tensor.FromArray(logits, 1, 4);
        x.RequiresGrad = true;
        var mask = Tensor.FromArray([0.0, 1, 0, 1], 4);
        Tensor<double> p = x.MaskedFill(mask, double.NegativeInfinity).Softmax(1);
        p.Backward(Tensor.FromArray([1.0, 2, 3, 4], 1, 4));

        using var scope = torch.NewDisposeScope();
        var tx = torch.tensor(logits, dtype: torch.float64, requires_grad: true).reshape(1, 4);
        tx.retain_grad();
        var tp = torch.softmax(tx.masked_fill(torch.tensor(new[] { false, true, false, true }), double.NegativeInfinity), 1);
        tp.backward([torch.tensor(new[] { 1.0, 2, 3, 4 }, dtype: torch.float64).reshape(1, 4)]);
        TorchOracle.AssertClose(p.ToArray(), TorchOracle.Values(tp), Tolerances.TorchDouble, "masked softmax");
        TorchOracle.AssertClose(x.Grad!.ToArray(), TorchOracle.Values(tx.grad!), Tolerances.TorchDouble, "its gradient");
        x.Grad!.ToArray()[1].Should().Be(0);
    }

    [Fact]
    public void Throws_WhenTheMaskDoesNotBroadcastToTheInput_NamingOpAndShapes()
    {
        Action act = () => Tensor.Zeros<double>(3).MaskedFill(Tensor.Zeros<double>(2, 3), 0.0);
        act.Should().Throw<ArgumentException>().WithMessage("*MaskedFill*[2, 3]*[3]*");
    }
}

using System;
using FluentAssertions;
using MiniNet.Tests.Infrastructure;
using TorchSharp;
using Xunit;

namespace MiniNet.Tests.Ops;

public class WhereTests
{
    public static TheoryData<int[], int[], int[]> Triples => new()
    {
        { new[] { 4, 3 }, new[] { 4, 3 }, new[] { 4, 3 } },
        { new[] { 4, 3 }, new[] { 3 }, Array.Empty<int>() },
        { new[] { 4, 1 }, new[] { 1, 3 }, new[] { 4, 3 } },
        { new[] { 3 }, new[] { 2, 1, 3 }, new[] { 4, 1 } },
        { Array.Empty<int>(), new[] { 2, 3 }, new[] { 2, 3 } },
        { new[] { 0, 3 }, new[] { 3 }, new[] { 0, 1 } },
    };

    // The mask input (index 0) is a random tensor turned into a 0/1 mask inside the op under test; it gets no gradient.
    private static readonly bool[] ValuesOnly = [false, true, true];

    [Theory]
    [MemberData(nameof(Triples))]
    public void ForwardAndBackward_MatchTorch(int[] mask, int[] a, int[] b)
    {
        OpCheck<double>.AgainstTorch([mask, a, b], xs => MiniNet.Ops.Where(xs[0].Gt(0.0), xs[1], xs[2]), ts => torch.where(ts[0] > 0, ts[1], ts[2]), gradInputs: ValuesOnly);
        OpCheck<float>.AgainstTorch([mask, a, b], xs => MiniNet.Ops.Where(xs[0].Gt(0f), xs[1], xs[2]), ts => torch.where(ts[0] > 0, ts[1], ts[2]), gradInputs: ValuesOnly);
    }

    [Fact]
    public void SecondDerivatives_MatchTorch() =>
        SecondOrderCheck.AgainstTorch(
            [[3, 4], [3, 4], [4]],
            xs => MiniNet.Ops.Where(xs[0].Gt(0.0), xs[1].Mul(xs[1]), xs[2].Exp()),
            ts => torch.where(ts[0] > 0, ts[1] * ts[1], torch.exp(ts[2])),
            gradInputs: ValuesOnly);

    [Fact]
    public void ScalarBranch_EitherSide_BothTypes_MatchesTorch()
    {
        bool[] valuesOnly = [false, true];
        OpCheck<double>.AgainstTorch([[4, 3], [3]], xs => MiniNet.Ops.Where(xs[0].Gt(0.0), xs[1], 0.5), ts => torch.where(ts[0] > 0, ts[1], torch.full_like(ts[1], 0.5)), gradInputs: valuesOnly);
        OpCheck<double>.AgainstTorch([[4, 3], [4, 1]], xs => MiniNet.Ops.Where(xs[0].Gt(0.0), -2.0, xs[1]), ts => torch.where(ts[0] > 0, torch.full_like(ts[1], -2.0), ts[1]), gradInputs: valuesOnly);
        OpCheck<float>.AgainstTorch([[4, 3], [3]], xs => MiniNet.Ops.Where(xs[0].Gt(0.0), xs[1], 0.5), ts => torch.where(ts[0] > 0, ts[1], torch.full_like(ts[1], 0.5)), gradInputs: valuesOnly);
        OpCheck<float>.AgainstTorch([[4, 3], [4, 1]], xs => MiniNet.Ops.Where(xs[0].Gt(0.0), -2.0, xs[1]), ts => torch.where(ts[0] > 0, torch.full_like(ts[1], -2.0), ts[1]), gradInputs: valuesOnly);
        SecondOrderCheck.AgainstTorch([[4, 3], [4, 3]], xs => MiniNet.Ops.Where(xs[0].Gt(0.0), xs[1].Mul(xs[1]), 0.5), ts => torch.where(ts[0] > 0, ts[1] * ts[1], torch.full_like(ts[1], 0.5)), gradInputs: valuesOnly);
    }

    [Fact]
    public void TheBranchNotTaken_NeverLeaksIntoTheGradient()
    {
        // log(x) is -inf and its gradient 1/x is +inf at 0; where picks 0 there, so x's gradient must stay finite (as PyTorch).
        var x = Tensor.FromArray([0.0, 2], 2);
        x.RequiresGrad = true;
        MiniNet.Ops.Where(x.Gt(0.0), x.Log(), Tensor.Zeros<double>(2)).Sum().Backward();
        x.Grad!.ToArray()[1].Should().Be(0.5);
        double.IsNaN(x.Grad!.ToArray()[0]).Should().BeTrue("log's 1/x times a selected 0 is inf * 0 = NaN in PyTorch too; Where itself passes exact zeros");
    }

    [Fact]
    public void Throws_OnShapeMismatch_NamingOpAndShapes()
    {
        Action act = () => MiniNet.Ops.Where(Tensor.Zeros<double>(4, 3), Tensor.Zeros<double>(2), Tensor.Zeros<double>(3));
        act.Should().Throw<ArgumentException>().WithMessage("*Where*[4, 3]*[2]*");
    }
}

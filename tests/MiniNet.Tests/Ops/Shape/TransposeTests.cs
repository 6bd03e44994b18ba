using System;
using FluentAssertions;
using MiniNet.Tests.Infrastructure;
using Xunit;

namespace MiniNet.Tests.Ops;

public class TransposeTests
{
    public static TheoryData<int[]> Shapes => new()
    {
        new[] { 1, 1 }, new[] { 1, 5 }, new[] { 5, 1 }, new[] { 4, 3 }, new[] { 3, 4 }, new[] { 33, 70 }, new[] { 0, 3 },
        new[] { 3, 0 }, new[] { 5 }, Array.Empty<int>(),
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void MatchesTorch_Double(int[] shape) =>
        OpCheck<double>.AgainstTorch(new[] { shape }, xs => xs[0].Transpose(), ts => ts[0].t(), gradCheck: shape.Length == 0 || shape[0] < 10);

    [Theory]
    [MemberData(nameof(Shapes))]
    public void MatchesTorch_Float(int[] shape) =>
        OpCheck<float>.AgainstTorch(new[] { shape }, xs => xs[0].Transpose(), ts => ts[0].t());

    [Fact]
    public void Twice_IsIdentity()
    {
        var x = Tensor.Randn<double>(new Rng(5), 37, 41);
        x.Transpose().Transpose().ToArray().Should().Equal(x.ToArray());
    }

    [Fact]
    public void Throws_OnRankAboveTwo_NamingShape()
    {
        Action act = () => Tensor.Zeros<double>(2, 3, 4).Transpose();
        act.Should().Throw<ArgumentException>().WithMessage("*Transpose*[2, 3, 4]*");
    }
}

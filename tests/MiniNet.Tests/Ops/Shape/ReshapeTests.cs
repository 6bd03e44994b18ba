using System;
using System.Linq;
using FluentAssertions;
using MiniNet.Tests.Infrastructure;
using Xunit;

namespace MiniNet.Tests.Ops;

public class ReshapeTests
{
    public static TheoryData<int[], int[]> Cases => new()
    {
        { new[] { 2, 3 }, new[] { 3, 2 } },
        { new[] { 2, 3 }, new[] { 6 } },
        { new[] { 6 }, new[] { 1, 2, 1, 3 } },
        { new[] { 2, 3, 4 }, new[] { 4, -1 } },
        { new[] { 2, 3, 4 }, new[] { -1 } },
        { new[] { 2, 3, 4 }, new[] { 2, -1, 3 } },
        { Array.Empty<int>(), new[] { 1, 1 } },
        { new[] { 1 }, Array.Empty<int>() },
        { new[] { 1, 1 }, new[] { -1 } },
        { new[] { 0, 3 }, new[] { 3, 0 } },
        { new[] { 0, 3 }, new[] { 3, -1 } },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesTorch_Double(int[] from, int[] to) =>
        OpCheck<double>.AgainstTorch(new[] { from }, xs => xs[0].Reshape(to), ts => ts[0].reshape(to.Select(d => (long)d).ToArray()));

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesTorch_Float(int[] from, int[] to) =>
        OpCheck<float>.AgainstTorch(new[] { from }, xs => xs[0].Reshape(to), ts => ts[0].reshape(to.Select(d => (long)d).ToArray()));

    [Fact]
    public void InfersMinusOne()
    {
        Tensor.Zeros<double>(2, 3, 4).Reshape(-1, 4).Shape.ToArray().Should().Equal(6, 4);
        Tensor.Zeros<double>(2, 3, 4).Reshape(3, -1, 2).Shape.ToArray().Should().Equal(3, 4, 2);
    }

    [Fact]
    public void Output_IsAViewOfAContiguousInput_AndACopyOfATransposedOne()
    {
        var x = Tensor.FromArray(new double[] { 1, 2, 3, 4 }, 2, 2);
        Tensor<double> y = x.Reshape(4);
        y.SharesStorageWith(x).Should().BeTrue("PyTorch's reshape returns a view when the layout allows it");
        y.AsSpanForWrite()[0] = 100;
        x[0, 0].Should().Be(100);

        Tensor<double> t = x.Transpose().Reshape(4);
        t.SharesStorageWith(x).Should().BeFalse("a transposed matrix cannot be flattened without a copy");
        t.ToArray().Should().Equal(100, 3, 2, 4);
    }

    [Fact]
    public void Throws_OnCountMismatch_NamingBothShapes()
    {
        Action act = () => Tensor.Zeros<double>(2, 3).Reshape(4, 2);
        act.Should().Throw<ArgumentException>().WithMessage("*Reshape*[2, 3]*[4, 2]*");
    }

    [Theory]
    [InlineData(-1, -1)]
    [InlineData(4, -1)]
    [InlineData(-2, 3)]
    public void Throws_OnInvalidSizes_NamingBothShapes(int d0, int d1)
    {
        Action act = () => Tensor.Zeros<double>(2, 3).Reshape(d0, d1);
        act.Should().Throw<ArgumentException>().WithMessage($"*Reshape*[2, 3]*[{d0}, {d1}]*");
    }

    [Fact]
    public void Throws_WhenMinusOneIsAmbiguous()
    {
        Action act = () => Tensor.Zeros<double>(0, 3).Reshape(0, -1);
        act.Should().Throw<ArgumentException>().WithMessage("*ambiguous*");
    }
}

using System;
using FluentAssertions;
using Xunit;

namespace MiniNet.Tests.Tensors;

/// <summary>
/// Issue 15: a zero size anywhere gives an empty tensor whatever the order of the sizes, and an oversized result names
/// the op and its input shapes, not only the shape.
/// </summary>
public class ShapeLimitsTests
{
    [Theory]
    [InlineData(100000, 100000, 0)]
    [InlineData(0, 100000, 100000)]
    [InlineData(100000, 0, 100000)]
    [InlineData(int.MaxValue, int.MaxValue, int.MaxValue, 0)]
    public void AZeroAnywhere_GivesAnEmptyTensor(params int[] dims)
    {
        Tensor<float> t = Tensor.Zeros<float>(dims);
        t.Count.Should().Be(0);
        t.Shape.Dims.ToArray().Should().Equal(dims);
        new Shape(dims).ElementCount.Should().Be(0);
    }

    [Theory]
    [InlineData(100000, 100000)]
    [InlineData(1, 100000, 100000)]
    [InlineData(int.MaxValue, int.MaxValue, int.MaxValue, int.MaxValue, int.MaxValue)]
    public void Oversized_Throws_InAnyOrder(params int[] dims)
    {
        FluentActions.Invoking(() => new Shape(dims)).Should().Throw<ArgumentException>().WithMessage("*holds more elements than an array can*");
    }

    [Fact]
    public void LargestArray_IsAccepted_OneMoreIsNot()
    {
        new Shape(Array.MaxLength).ElementCount.Should().Be(Array.MaxLength);
        FluentActions.Invoking(() => new Shape(Array.MaxLength + 1, 1)).Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => new Shape(-1, 0)).Should().Throw<ArgumentException>().WithMessage("*non-negative*");
    }

    [Fact]
    public void OversizedMatMulOutput_NamesTheOpAndTheInputShapes()
    {
        // k = 0 keeps the inputs empty, so only the output is too large.
        FluentActions.Invoking(() => Tensor.Zeros<float>(50000, 0).MatMul(Tensor.Zeros<float>(0, 50000)))
            .Should().Throw<ArgumentException>()
            .WithMessage("MatMul: [50000, 0] x [0, 50000] gives shape [50000, 50000] with 2500000000 elements, more than an array can hold*");
    }

    [Fact]
    public void OversizedLinearAndBroadcastOutputs_NameTheOpAndTheInputShapes()
    {
        FluentActions.Invoking(() => Tensor.Zeros<float>(50000, 0).Linear(Tensor.Zeros<float>(50000, 0)))
            .Should().Throw<ArgumentException>().WithMessage("Linear: [50000, 0] with weight [50000, 0] gives shape [50000, 50000]*");
        FluentActions.Invoking(() => Tensor.Zeros<float>(50000, 1) + Tensor.Zeros<float>(1, 50000))
            .Should().Throw<ArgumentException>().WithMessage("Add: [50000, 1] broadcast with [1, 50000] gives shape [50000, 50000]*");
    }
}

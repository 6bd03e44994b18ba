using System;
using FluentAssertions;
using MiniNet.NN;
using Xunit;

namespace MiniNet.Onnx.Tests;

/// <summary>MaxPool2d's dilation and ceil mode and AvgPool2d's ceil mode exported and run by ONNX Runtime.</summary>
public class OnnxPoolingModesTests
{
    /// <summary>kernel, stride, padding, dilation, ceil mode, height, width.</summary>
    public static TheoryData<int, int, int, int, bool, int, int> MaxCases => new()
    {
        { 3, 2, 1, 2, false, 11, 8 },
        { 2, 2, 0, 1, true, 9, 7 },    // odd sizes: a clipped last row and column
        { 3, 2, 1, 1, true, 6, 6 },    // the last window starts on the last row
        { 2, 3, 1, 1, true, 5, 5 },    // PyTorch drops the window that would start in the right padding
        { 3, 2, 1, 2, true, 10, 9 },
    };

    [Theory]
    [MemberData(nameof(MaxCases))]
    public void MaxPool2d_DilationAndCeilMode_MatchOrt(int kernel, int stride, int padding, int dilation, bool ceil, int h, int w)
    {
        var pool = new MaxPool2d<float>(kernel, stride, padding, dilation, ceil);
        OnnxExportTests.AssertMatchesOrt(pool, OnnxConvolutionTests.Images<float>(31, 2, 3, h, w), Tolerances.Float);
    }

    [Theory]
    [InlineData(2, 2, 0, true, 9, 7)]
    [InlineData(3, 2, 1, true, 6, 6)]
    [InlineData(2, 3, 1, true, 5, 5)]
    [InlineData(3, 2, 1, false, 10, 9)]
    public void AvgPool2d_CeilMode_MatchesOrt_WithAndWithoutPadInTheCount(int kernel, int stride, int padding, bool ceil, int h, int w)
    {
        foreach (bool includePad in new[] { true, false })
        {
            var pool = new AvgPool2d<float>(kernel, stride, padding, includePad, ceil);
            OnnxExportTests.AssertMatchesOrt(pool, OnnxConvolutionTests.Images<float>(32, 2, 3, h, w) + 4f, Tolerances.Float);
        }
    }

    [Fact]
    public void AvgPool2d_WithADivisorOverride_Throws_NamingIt()
    {
        var model = new Sequential(new AvgPool2d(2, divisorOverride: 3));
        Action export = () => Onnx.ExportToBytes(model, OnnxConvolutionTests.Images<float>(33, 1, 1, 4, 4));
        export.Should().Throw<NotSupportedException>().WithMessage("*AvgPool2d*divisor override (3)*");
    }
}

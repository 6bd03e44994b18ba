using System;
using System.Globalization;
using System.Threading;
using FluentAssertions;
using Xunit;

namespace MiniNet.Tests.Tensors;

/// <summary>Expected strings follow PyTorch's printing rules (4 decimals, shared width, 80 columns, 3 edge items above 1000 elements).</summary>
public class TensorFormatTests
{
    [Fact]
    public void Small_Matrix_PrintsLikePyTorch()
    {
        Tensor.FromArray(new float[] { 0.1f, 0.2f, 0.3f, 0.4f }, 2, 2).ToString().Should().Be(
            "tensor([[0.1000, 0.2000],\n        [0.3000, 0.4000]], shape=[2, 2], dtype=float32)");
    }

    [Fact]
    public void IntegralValues_PrintWithATrailingPoint()
    {
        Tensor.FromArray(new double[] { 1, 2, 3 }).ToString().Should().Be("tensor([1., 2., 3.], shape=[3], dtype=float64)");
        Tensor.Zeros<float>(2).ToString().Should().Be("tensor([0., 0.], shape=[2], dtype=float32)");
    }

    [Fact]
    public void Columns_AreRightAligned_ToTheWidestValue()
    {
        Tensor.FromArray(new double[] { 1.5, -10.25 }).ToString().Should().Be("tensor([  1.5000, -10.2500], shape=[2], dtype=float64)");
    }

    [Fact]
    public void WideRange_UsesScientificNotation()
    {
        Tensor.FromArray(new double[] { 1e-5, 1 }).ToString().Should().Be("tensor([1.0000e-05, 1.0000e+00], shape=[2], dtype=float64)");
        Tensor.FromArray(new double[] { 2e9, 1 }).ToString().Should().Be("tensor([2.0000e+09, 1.0000e+00], shape=[2], dtype=float64)");
    }

    [Fact]
    public void NonFinite_PrintsLikePython()
    {
        Tensor.FromArray(new double[] { double.NaN, 1, double.PositiveInfinity, double.NegativeInfinity }).ToString()
            .Should().Be("tensor([nan, 1., inf, -inf], shape=[4], dtype=float64)");
    }

    [Fact]
    public void Scalar_PrintsTheValueAlone()
    {
        Tensor.Scalar(0.5).ToString().Should().Be("tensor(0.5000, shape=[], dtype=float64)");
        Tensor.Scalar(3f).ToString().Should().Be("tensor(3., shape=[], dtype=float32)");
    }

    [Fact]
    public void Empty_PrintsEmptyBrackets_WithItsShape()
    {
        Tensor.Zeros<float>(0).ToString().Should().Be("tensor([], shape=[0], dtype=float32)");
        Tensor.Zeros<double>(0, 3).ToString().Should().Be("tensor([], shape=[0, 3], dtype=float64)");
    }

    [Fact]
    public void Rank3_SeparatesMatricesWithABlankLine()
    {
        Tensor.Zeros<float>(2, 2, 2).ToString().Should().Be(
            "tensor([[[0., 0.],\n         [0., 0.]],\n\n        [[0., 0.],\n         [0., 0.]]], shape=[2, 2, 2], dtype=float32)");
    }

    [Fact]
    public void RequiresGrad_AndGradFn_AreShown()
    {
        var x = Tensor.FromArray(new double[] { 1, 2 });
        x.RequiresGrad = true;
        x.ToString().Should().EndWith(", requires_grad=True)");
        Tensor<double> y = x * 2.0;
        y.ToString().Should().Be("tensor([2., 4.], shape=[2], dtype=float64, grad_fn=<MulBackward>)");
        Tensor.Ones<double>(1).ToString().Should().NotContain("requires_grad");
        Tape.Current.Clear();
    }

    [Fact]
    public void Large_Vector_IsTruncated_AndWrapsAt80Columns()
    {
        // 2000 elements > 1000: 3 edge items; 0..1999 spans more than 1000x, so scientific; 6 entries of width 10 fit a line.
        Tensor.Arange(2000).ToString().Should().Be(
            "tensor([0.0000e+00, 1.0000e+00, 2.0000e+00,  ..., 1.9970e+03, 1.9980e+03,\n        1.9990e+03], shape=[2000], dtype=float32)");
    }

    [Fact]
    public void Large_Matrix_IsTruncated_InBothDimensions()
    {
        string text = Tensor.Zeros<float>(40, 40).ToString();
        string row = "[0., 0., 0.,  ..., 0., 0., 0.]";
        string sep = ",\n        ";
        text.Should().Be($"tensor([{row}{sep}{row}{sep}{row}{sep}...{sep}{row}{sep}{row}{sep}{row}], shape=[40, 40], dtype=float32)");
    }

    [Fact]
    public void AtThreshold_IsNotTruncated()
    {
        string text = Tensor.Zeros<float>(1000).ToString();
        text.Should().NotContain("...");
        text.Split("0.").Length.Should().Be(1001);
    }

    [Fact]
    public void LongRow_WrapsWithoutTruncation()
    {
        // 30 values of width 6 ("0.1000"): (80 - 7) / 8 = 9 per line.
        var values = new double[30];
        Array.Fill(values, 0.1);
        string[] lines = Tensor.FromArray(values).ToString().Split('\n');
        lines.Should().HaveCount(4);
        lines[0].Should().Be("tensor([" + string.Join(", ", Array.ConvertAll(new string[9], _ => "0.1000")) + ",");
        lines[1].Should().StartWith("        0.1000");
        Array.TrueForAll(lines, l => l.Length <= 80).Should().BeTrue();
    }

    [Fact]
    public void UsesInvariantCulture()
    {
        CultureInfo saved = Thread.CurrentThread.CurrentCulture;
        try
        {
            // The test host runs in globalization-invariant mode, so build a culture with a decimal comma by hand.
            var comma = (CultureInfo)CultureInfo.InvariantCulture.Clone();
            comma.NumberFormat.NumberDecimalSeparator = ",";
            comma.NumberFormat.NegativeSign = "~";
            Thread.CurrentThread.CurrentCulture = comma;
            (-1.5).ToString(CultureInfo.CurrentCulture).Should().Be("~1,5", "the culture really is in effect");
            Tensor.FromArray(new double[] { -1.5, 2.25 }).ToString().Should().Be("tensor([-1.5000,  2.2500], shape=[2], dtype=float64)");
        }
        finally
        {
            Thread.CurrentThread.CurrentCulture = saved;
        }
    }
}

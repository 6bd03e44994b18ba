using System;
using System.Numerics;
using FluentAssertions;
using MiniNet.NN;
using Xunit;

namespace MiniNet.Onnx.Tests;

public class OnnxConvolutionTests
{
    /// <summary>in, out, kernel, stride, padding, dilation, groups, bias.</summary>
    public static TheoryData<int, int, int, int, int, int, int, bool> Convolutions => new()
    {
        { 3, 4, 3, 1, 0, 1, 1, true },   // the plain case
        { 4, 6, 3, 2, 1, 1, 2, true },   // strided, padded, 2 groups
        { 2, 3, 5, 1, 2, 2, 1, false },  // dilated, wide padding, no bias
        { 4, 4, 3, 1, 1, 1, 4, true },   // depthwise
        { 3, 2, 1, 1, 0, 1, 1, true },   // 1 x 1
        { 1, 5, 4, 3, 0, 1, 1, true },   // even kernel, stride that does not divide the input
    };

    [Theory]
    [MemberData(nameof(Convolutions))]
    public void Conv2d_MatchesOrt_Float(int cin, int cout, int k, int stride, int padding, int dilation, int groups, bool bias) =>
        OnnxExportTests.AssertMatchesOrt(Conv<float>(cin, cout, k, stride, padding, dilation, groups, bias), Images<float>(1, 3, cin, 11, 9), Tolerances.Float);

    [Theory]
    [MemberData(nameof(Convolutions))]
    public void Conv2d_MatchesOrt_Float_BatchOne(int cin, int cout, int k, int stride, int padding, int dilation, int groups, bool bias) =>
        OnnxExportTests.AssertMatchesOrt(Conv<float>(cin, cout, k, stride, padding, dilation, groups, bias), Images<float>(2, 1, cin, 10, 13), Tolerances.Float);

    [Fact]
    public void Conv2d_WithSamePaddingAndAnEvenKernel_PadsOneMoreAfter_MatchesOrt()
    {
        var model = new Conv2d(2, 3, 4, new Rng(4), ConvPadding.Same, dilation: 1);
        model.Pads.Should().Be((1, 1, 2, 2));
        OnnxExportTests.AssertMatchesOrt(model, Images<float>(5, 2, 2, 7, 6), Tolerances.Float);
    }

    /// <summary>
    /// A float64 Conv/AveragePool/GlobalAveragePool is valid ONNX (the operators allow tensor(double)), but ONNX
    /// Runtime's CPU provider implements them for float32 only, so such a model does not load there. The float64
    /// graphs are the float32 ones with another element type; this test fails when ORT adds the kernels.
    /// </summary>
    [Theory]
    [InlineData("Conv")]
    [InlineData("AveragePool")]
    [InlineData("GlobalAveragePool")]
    public void Float64Convolution_AndAveragePooling_AreNotImplementedByOrtCpu(string op)
    {
        Module<double> model = op switch
        {
            "Conv" => new Conv2d<double>(2, 3, 3, new Rng(6)),
            "AveragePool" => new AvgPool2d<double>(2),
            _ => new AdaptiveAvgPool2d<double>(1),
        };
        byte[] bytes = Onnx.ExportToBytes(model, Images<double>(7, 1, 2, 6, 6));
        Action load = () => new Microsoft.ML.OnnxRuntime.InferenceSession(bytes).Dispose();
        load.Should().Throw<Microsoft.ML.OnnxRuntime.OnnxRuntimeException>().WithMessage($"*NotImplemented*{op}(*");
    }

    /// <summary>kernel, stride (0: the kernel's, PyTorch's default), padding.</summary>
    public static TheoryData<int, int, int> Pools => new() { { 2, 0, 0 }, { 3, 2, 1 }, { 3, 1, 1 }, { 2, 3, 0 }, { 5, 2, 2 } };

    [Theory]
    [MemberData(nameof(Pools))]
    public void MaxPool2d_MatchesOrt(int kernel, int stride, int padding)
    {
        OnnxExportTests.AssertMatchesOrt(new MaxPool2d<float>(kernel, stride == 0 ? null : stride, padding), Images<float>(3, 2, 3, 11, 8) - 5f, Tolerances.Float);
        OnnxExportTests.AssertMatchesOrt(new MaxPool2d<double>(kernel, stride == 0 ? null : stride, padding), Images<double>(4, 1, 2, 9, 12) - 5.0, Tolerances.Double);
    }

    [Theory]
    [MemberData(nameof(Pools))]
    public void AvgPool2d_MatchesOrt_IncludingPadInTheCountAsMiniNetDoes(int kernel, int stride, int padding)
    {
        OnnxExportTests.AssertMatchesOrt(new AvgPool2d<float>(kernel, stride == 0 ? null : stride, padding), Images<float>(5, 2, 3, 11, 8) + 4f, Tolerances.Float);
        OnnxExportTests.AssertMatchesOrt(new AvgPool2d<float>(kernel, stride == 0 ? null : stride, padding), Images<float>(6, 1, 2, 9, 12) + 4f, Tolerances.Float);
    }

    [Theory]
    [MemberData(nameof(Pools))]
    public void AvgPool2d_WithoutPadInTheCount_MatchesOrt(int kernel, int stride, int padding)
    {
        var model = new AvgPool2d<float>(kernel, stride == 0 ? null : stride, padding, countIncludePad: false);
        OnnxExportTests.AssertMatchesOrt(model, Images<float>(8, 2, 3, 11, 8) + 4f, Tolerances.Float);
    }

    [Theory]
    [InlineData(1, 7, 5)]
    [InlineData(2, 8, 6)]
    [InlineData(3, 9, 3)]
    public void AdaptiveAvgPool2d_ToASizeThatDividesTheInput_MatchesOrt(int output, int h, int w)
    {
        OnnxExportTests.AssertMatchesOrt(new AdaptiveAvgPool2d<float>(output), Images<float>(7, 2, 3, h, w), Tolerances.Float);
        OnnxExportTests.AssertMatchesOrt(new AdaptiveAvgPool2d<float>(output), Images<float>(8, 1, 3, h, w), Tolerances.Float);
    }

    [Fact]
    public void AdaptiveAvgPool2d_WithUnevenWindows_Throws_NamingTheSizes()
    {
        var model = new Sequential(new Conv2d(1, 2, 3, new Rng(1)), new AdaptiveAvgPool2d(3));
        Action export = () => Onnx.ExportToBytes(model, Images<float>(9, 1, 1, 9, 9));
        export.Should().Throw<NotSupportedException>().WithMessage("*'1'*AdaptiveAvgPool2d*3 x 3*7 x 7*");
    }

    [Theory]
    [InlineData(1, -1)]
    [InlineData(2, -1)]
    [InlineData(1, 2)]
    [InlineData(2, 3)]
    public void Flatten_MatchesOrt_ForEachDimensionRange(int start, int end)
    {
        var model = new Sequential<double>(new Flatten<double>(start, end), new Tanh<double>());
        Tensor<double> x = Images<double>(10, 3, 2, 3, 4);
        OnnxExportTests.AssertMatchesOrt(model, x, Tolerances.Double);
        var (_, shape) = OrtRunner.Run(Onnx.ExportToBytes(model, x), x);
        using (Autograd.NoGrad())
        {
            shape.Should().Equal(Array.ConvertAll(model.Forward(x).Shape.ToArray(), d => (long)d));
        }
    }

    [Fact]
    public void Flatten_OfTheBatchDimension_Throws()
    {
        Action export = () => Onnx.ExportToBytes(new Flatten<float>(0), Images<float>(11, 2, 1, 2, 2));
        export.Should().Throw<NotSupportedException>().WithMessage("*Flatten*batch*");
    }

    [Fact]
    public void Dropout_AndDropout2d_AreIdentity_InTheExportedModel_WhileTheModuleStaysInTraining()
    {
        var rng = new Rng(12);
        var model = new Sequential(new Conv2d(2, 4, 3, rng, padding: 1), new Dropout2d(0.5, rng), new Relu(), new Flatten(), new Dropout(0.9, rng), new Linear(4 * 5 * 5, 3, rng));
        Tensor<float> x = Images<float>(13, 4, 2, 5, 5);
        OnnxExportTests.AssertMatchesOrt(model, x, Tolerances.Float);
        model.IsTraining.Should().BeTrue();
        System.Text.Encoding.UTF8.GetString(Onnx.ExportToBytes(model, x)).Should().NotContain("Dropout");
    }

    [Fact]
    public void SmallCnn_ExportedWithBatch2_RunsWithBatch1And17()
    {
        var rng = new Rng(14);
        var model = new Sequential(
            new Conv2d(3, 8, 3, rng, padding: 1), new BatchNorm2d(8), new Relu(), new MaxPool2d(2),
            new Conv2d(8, 8, 3, rng, stride: 2, groups: 2), new Relu(), new AdaptiveAvgPool2d(1), new Flatten(), new Linear(8, 4, rng), new LogSoftmax());
        using (Autograd.NoGrad())
        {
            model.Forward(Images<float>(15, 8, 3, 12, 12)); // moves the BatchNorm's running statistics
        }

        byte[] bytes = Onnx.ExportToBytes(model, Images<float>(16, 2, 3, 12, 12));
        foreach (int batch in new[] { 1, 17 })
        {
            Tensor<float> x = Images<float>((ulong)(20 + batch), batch, 3, 12, 12);
            var (values, shape) = OrtRunner.Run(bytes, x);
            shape.Should().Equal(batch, 4);
            OutputAssert.Close<float>(values, OnnxExportTests.Forward(model, x), Tolerances.Float, $"batch {batch}");
        }
    }

    internal static Tensor<T> Images<T>(ulong seed, params int[] shape)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> => Tensor.Randn<T>(new Rng(seed), shape);

    private static Conv2d<T> Conv<T>(int cin, int cout, int k, int stride, int padding, int dilation, int groups, bool bias)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        new(cin, cout, k, new Rng(3), stride, padding, dilation, groups, bias);
}

using System;
using System.Numerics;

namespace MiniNet;

public static partial class Ops
{
    /// <summary>
    /// The input gradient of a convolution as a recorded op, <c>dX = conv_transpose(G, W)</c> (bilinear in G and W), so
    /// that gradients through <see cref="Conv2d{T}(Tensor{T}, Tensor{T}, Tensor{T}?, int, int, int, int)"/> can be
    /// differentiated again (<c>createGraph: true</c>).
    /// </summary>
    internal static Tensor<T> Conv2dInputGrad<T>(Tensor<T> gradOutput, Tensor<T> weight, ConvGeometry g, int groups)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var output = new Tensor<T>(new Shape(g.Batch, g.Channels, g.Height, g.Width));
        ConvKernel.Backward(g, groups, weight.Shape[0], default, weight.KernelReadSpan, gradOutput.KernelReadSpan, output.KernelWriteSpan, default, true);
        if (Tape.ShouldRecord(gradOutput, weight))
        {
            Tape.Record(new Conv2dInputGradBackward<T>(output, g, groups, gradOutput, weight));
        }

        return output;
    }

    /// <summary>The weight gradient of a convolution as a recorded op, <c>dW = G col(X)^T</c> (bilinear in G and X).</summary>
    internal static Tensor<T> Conv2dWeightGrad<T>(Tensor<T> gradOutput, Tensor<T> x, Shape weightShape, ConvGeometry g, int groups)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var output = Tensor<T>.Uninitialized(weightShape);
        ConvKernel.Backward(g, groups, weightShape[0], x.KernelReadSpan, default, gradOutput.KernelReadSpan, default, output.KernelWriteSpan, false);
        if (Tape.ShouldRecord(gradOutput, x))
        {
            Tape.Record(new Conv2dWeightGradBackward<T>(output, g, groups, gradOutput, x));
        }

        return output;
    }

    /// <summary><c>target += conv(x, w)</c> without a bias, through a pooled scratch tensor.</summary>
    internal static void AddConv2d<T>(ConvGeometry g, int groups, ReadOnlySpan<T> x, ReadOnlySpan<T> w, int outChannels, Span<T> target)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        T[] scratch = BufferPool<T>.Rent(target.Length);
        ConvKernel.Forward(g, groups, x, w, default, outChannels, scratch.AsSpan(0, target.Length));
        InPlace.Add(target, scratch.AsSpan(0, target.Length));
        BufferPool<T>.Return(scratch);
    }
}

/// <summary>Backward of <see cref="Ops.Conv2dInputGrad{T}"/>, inputs (G, W).</summary>
file sealed class Conv2dInputGradBackward<T> : TapeEntry<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly ConvGeometry _g;
    private readonly int _groups;

    public Conv2dInputGradBackward(Tensor<T> output, ConvGeometry g, int groups, Tensor<T> gradOutput, Tensor<T> weight)
        : base(output, gradOutput, weight)
    {
        (_g, _groups) = (g, groups);
        SaveForBackward(false, 0, 1);
    }

    public override string OpName => "Conv2dBackward";

    // dX = A_W^T G, with A_W the convolution by W; <U, A_W^T G> = <conv(U, W), G>  =>  dG = conv(U, W), dW = weightGrad(G, U).
    public override void Backward()
    {
        ReadOnlySpan<T> u = GradOutput;
        int outChannels = Inputs[1].Shape[0];
        if (NeedsGrad(0))
        {
            Ops.AddConv2d(_g, _groups, u, Inputs[1].KernelReadSpan, outChannels, GradFor(0));
        }

        if (NeedsGrad(1))
        {
            Span<T> gradW = GradFor(1, out bool accumulate);
            ConvKernel.Backward(_g, _groups, outChannels, u, default, Inputs[0].KernelReadSpan, default, gradW, accumulate);
        }
    }

    protected override Tensor<T>?[] DifferentiableBackward(Tensor<T> gradOutput) =>
    [
        NeedsGrad(0) ? Ops.Conv2dApply(gradOutput, Inputs[1], null, _g, _groups) : null,
        NeedsGrad(1) ? Ops.Conv2dWeightGrad(Inputs[0], gradOutput, Inputs[1].Shape, _g, _groups) : null,
    ];
}

/// <summary>Backward of <see cref="Ops.Conv2dWeightGrad{T}"/>, inputs (G, X).</summary>
file sealed class Conv2dWeightGradBackward<T> : TapeEntry<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly ConvGeometry _g;
    private readonly int _groups;

    public Conv2dWeightGradBackward(Tensor<T> output, ConvGeometry g, int groups, Tensor<T> gradOutput, Tensor<T> x)
        : base(output, gradOutput, x)
    {
        (_g, _groups) = (g, groups);
        SaveForBackward(false, 0, 1);
    }

    public override string OpName => "Conv2dBackward";

    // dW = B_X^T G, with B_X: W -> conv(X, W); <V, B_X^T G> = <conv(X, V), G>  =>  dG = conv(X, V), dX = inputGrad(G, V).
    public override void Backward()
    {
        ReadOnlySpan<T> v = GradOutput;
        int outChannels = Output.Shape[0];
        if (NeedsGrad(0))
        {
            Ops.AddConv2d(_g, _groups, Inputs[1].KernelReadSpan, v, outChannels, GradFor(0));
        }

        if (NeedsGrad(1))
        {
            ConvKernel.Backward(_g, _groups, outChannels, default, v, Inputs[0].KernelReadSpan, GradFor(1), default, true);
        }
    }

    protected override Tensor<T>?[] DifferentiableBackward(Tensor<T> gradOutput) =>
    [
        NeedsGrad(0) ? Ops.Conv2dApply(Inputs[1], gradOutput, null, _g, _groups) : null,
        NeedsGrad(1) ? Ops.Conv2dInputGrad(Inputs[0], gradOutput, _g, _groups) : null,
    ];
}

using System;
using System.Numerics;

namespace MiniNet;

public static partial class Ops
{
    /// <summary>
    /// 2-D convolution (cross-correlation) of a batch of images:
    /// <c>y[n, o, i, j] = b[o] + sum_{c, p, q} w[o, c, p, q] x[n, g(o) C/groups + c, i s - pad + p d, j s - pad + q d]</c>,
    /// with zeros outside the input.
    /// </summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="x">The input, <c>[N, C, H, W]</c>.</param>
    /// <param name="weight">The weight, <c>[O, C / groups, kH, kW]</c>.</param>
    /// <param name="bias">The bias, <c>[O]</c>, or null for none.</param>
    /// <param name="stride">The step of the window along both axes, at least 1.</param>
    /// <param name="padding">Zeros added on every side, at least 0.</param>
    /// <param name="dilation">The spacing between kernel taps, at least 1.</param>
    /// <param name="groups">Splits input and output channels into this many independent groups (<c>groups = C</c>: depthwise).</param>
    /// <returns>The output, <c>[N, O, outH, outW]</c> with <c>outH = (H + 2 pad - d (kH - 1) - 1) / s + 1</c>.</returns>
    /// <remarks>
    /// PyTorch: <c>torch.nn.functional.conv2d(x, weight, bias, stride, padding, dilation, groups)</c>. One tape
    /// entry. Each sample and group runs as im2col into a pooled scratch matrix and one packed GEMM; backward computes
    /// <c>dW += G col^T</c> (recomputing col rather than keeping it), <c>dcol = W^T G</c> scattered back by col2im, and
    /// <c>db = sum of G</c> over batch and positions.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="x"/> or <paramref name="weight"/> is null.</exception>
    /// <exception cref="ArgumentException">Ranks, channel counts, groups or the bias do not fit; the message names the shapes.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A stride, dilation or groups below 1, or a negative padding.</exception>
    public static Tensor<T> Conv2d<T>(this Tensor<T> x, Tensor<T> weight, Tensor<T>? bias = null, int stride = 1, int padding = 0, int dilation = 1, int groups = 1)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        Conv2d(x, weight, bias, (stride, stride), (padding, padding), (dilation, dilation), groups);

    /// <summary>2-D convolution with separate sizes for height and width; see <see cref="Conv2d{T}(Tensor{T}, Tensor{T}, Tensor{T}?, int, int, int, int)"/>.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="x">The input, <c>[N, C, H, W]</c>.</param>
    /// <param name="weight">The weight, <c>[O, C / groups, kH, kW]</c>.</param>
    /// <param name="bias">The bias, <c>[O]</c>, or null.</param>
    /// <param name="stride">The strides (height, width).</param>
    /// <param name="padding">The zero padding on each side (height, width).</param>
    /// <param name="dilation">The dilations (height, width); null for 1.</param>
    /// <param name="groups">The number of groups.</param>
    /// <returns>The output, <c>[N, O, outH, outW]</c>.</returns>
    /// <remarks>PyTorch: <c>conv2d</c> with tuple arguments.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="x"/> or <paramref name="weight"/> is null.</exception>
    /// <exception cref="ArgumentException">Ranks, channel counts, groups or the bias do not fit.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A stride, dilation or groups below 1, or a negative padding.</exception>
    public static Tensor<T> Conv2d<T>(this Tensor<T> x, Tensor<T> weight, Tensor<T>? bias, (int Height, int Width) stride, (int Height, int Width) padding, (int Height, int Width)? dilation = null, int groups = 1)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentOutOfRangeException.ThrowIfNegative(padding.Height, nameof(padding));
        ArgumentOutOfRangeException.ThrowIfNegative(padding.Width, nameof(padding));
        return Conv2dCore(x, weight, bias, stride, (padding.Height, padding.Width, padding.Height, padding.Width), dilation ?? (1, 1), groups);
    }

    /// <summary>2-D convolution with a named padding (<see cref="ConvPadding.Same"/> keeps the height and width); see <see cref="Conv2d{T}(Tensor{T}, Tensor{T}, Tensor{T}?, int, int, int, int)"/>.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="x">The input, <c>[N, C, H, W]</c>.</param>
    /// <param name="weight">The weight, <c>[O, C / groups, kH, kW]</c>.</param>
    /// <param name="bias">The bias, <c>[O]</c>, or null.</param>
    /// <param name="padding"><see cref="ConvPadding.Valid"/> (none) or <see cref="ConvPadding.Same"/>.</param>
    /// <param name="stride">The stride; must be 1 with <see cref="ConvPadding.Same"/>.</param>
    /// <param name="dilation">The dilation.</param>
    /// <param name="groups">The number of groups.</param>
    /// <returns>The output, <c>[N, O, H, W]</c> for <see cref="ConvPadding.Same"/>.</returns>
    /// <remarks>PyTorch: <c>conv2d(x, weight, bias, stride, padding='same' or 'valid', dilation, groups)</c>.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="x"/> or <paramref name="weight"/> is null.</exception>
    /// <exception cref="ArgumentException">Shapes do not fit, or <see cref="ConvPadding.Same"/> with a stride other than 1.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A stride, dilation or groups below 1.</exception>
    public static Tensor<T> Conv2d<T>(this Tensor<T> x, Tensor<T> weight, Tensor<T>? bias, ConvPadding padding, int stride = 1, int dilation = 1, int groups = 1)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(weight);
        if (padding == ConvPadding.Valid)
        {
            return Conv2dCore(x, weight, bias, (stride, stride), (0, 0, 0, 0), (dilation, dilation), groups);
        }

        if (stride != 1)
        {
            throw new ArgumentException($"Conv2d: padding 'same' needs stride 1 (as in PyTorch), got stride {stride}.", nameof(stride));
        }

        if (weight.Rank != 4)
        {
            throw new ArgumentException($"Conv2d needs weight [O, C/groups, kH, kW]; got weight {weight.Shape}.", nameof(weight));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(dilation, 1);
        return Conv2dCore(x, weight, bias, (1, 1), SamePadding(weight.Shape[2], weight.Shape[3], dilation, dilation), (dilation, dilation), groups);
    }

    /// <summary>PyTorch's 'same' split: <c>d (k - 1)</c> zeros, the smaller half before (top, left), the rest after.</summary>
    internal static (int Top, int Left, int Bottom, int Right) SamePadding(int kernelH, int kernelW, int dilationH, int dilationW)
    {
        int totalH = dilationH * (kernelH - 1), totalW = dilationW * (kernelW - 1);
        return (totalH / 2, totalW / 2, totalH - (totalH / 2), totalW - (totalW / 2));
    }

    internal static Tensor<T> Conv2dCore<T>(
        Tensor<T> x, Tensor<T> weight, Tensor<T>? bias, (int H, int W) stride, (int Top, int Left, int Bottom, int Right) pad, (int H, int W) dilation, int groups)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(weight);
        ArgumentOutOfRangeException.ThrowIfLessThan(stride.H, 1, nameof(stride));
        ArgumentOutOfRangeException.ThrowIfLessThan(stride.W, 1, nameof(stride));
        ArgumentOutOfRangeException.ThrowIfLessThan(dilation.H, 1, nameof(dilation));
        ArgumentOutOfRangeException.ThrowIfLessThan(dilation.W, 1, nameof(dilation));
        ArgumentOutOfRangeException.ThrowIfLessThan(groups, 1);
        if (x.Rank != 4 || weight.Rank != 4)
        {
            throw new ArgumentException($"Conv2d needs x [N, C, H, W] and weight [O, C/groups, kH, kW]; got x {x.Shape} and weight {weight.Shape}.");
        }

        int outChannels = weight.Shape[0], channels = x.Shape[1];
        if (channels % groups != 0 || outChannels % groups != 0 || weight.Shape[1] * groups != channels)
        {
            throw new ArgumentException(
                $"Conv2d: x {x.Shape} has {channels} channels and weight {weight.Shape} expects {weight.Shape[1]} per group with groups = {groups}; " +
                "the channels and the weight's first dimension must both divide by groups, and C must be weight.shape[1] * groups.");
        }

        if (bias is not null && (bias.Rank != 1 || bias.Shape[0] != outChannels))
        {
            throw new ArgumentException($"Conv2d: bias {bias.Shape} must be [{outChannels}] for weight {weight.Shape}.");
        }

        var g = new ConvGeometry(x.Shape[0], channels, x.Shape[2], x.Shape[3], weight.Shape[2], weight.Shape[3], stride.H, stride.W,
            pad.Top, pad.Left, pad.Bottom, pad.Right, dilation.H, dilation.W);
        g.ThrowIfEmpty("Conv2d");
        return Conv2dApply(x, weight, bias, g, groups);
    }

    /// <summary>The convolution over already checked shapes (also the differentiable backward's building block).</summary>
    internal static Tensor<T> Conv2dApply<T>(Tensor<T> x, Tensor<T> weight, Tensor<T>? bias, ConvGeometry g, int groups)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int outChannels = weight.Shape[0];
        var output = Tensor<T>.Uninitialized(new Shape(g.Batch, outChannels, g.OutH, g.OutW));
        ConvKernel.Forward(g, groups, x.KernelReadSpan, weight.KernelReadSpan, bias is null ? default : bias.KernelReadSpan, outChannels, output.KernelWriteSpan);
        bool record = Tape.ShouldRecord(x, weight) || (bias is not null && Tape.ShouldRecord(bias));
        if (record)
        {
            Tape.Record(bias is null
                ? new Conv2dBackward<T>(output, g, groups, outChannels, x, weight)
                : new Conv2dBackward<T>(output, g, groups, outChannels, x, weight, bias));
        }

        return output;
    }
}

/// <summary>Backward of <see cref="Ops.Conv2d{T}(Tensor{T}, Tensor{T}, Tensor{T}?, int, int, int, int)"/>.</summary>
file sealed class Conv2dBackward<T> : TapeEntry<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly ConvGeometry _g;
    private readonly int _groups, _outChannels;

    public Conv2dBackward(Tensor<T> output, ConvGeometry g, int groups, int outChannels, params ReadOnlySpan<Tensor<T>> inputs)
        : base(output, inputs)
    {
        (_g, _groups, _outChannels) = (g, groups, outChannels);
        SaveForBackward(false, 0, 1);
    }

    public override string OpName => "Conv2d";

    // The same rule with ops (recorded, so differentiable again): dX and dW are the bilinear ops of Conv2dGradients.cs.
    protected override Tensor<T>?[] DifferentiableBackward(Tensor<T> gradOutput)
    {
        var grads = new Tensor<T>?[Inputs.Length];
        grads[0] = NeedsGrad(0) ? Ops.Conv2dInputGrad(gradOutput, Inputs[1], _g, _groups) : null;
        grads[1] = NeedsGrad(1) ? Ops.Conv2dWeightGrad(gradOutput, Inputs[0], Inputs[1].Shape, _g, _groups) : null;
        if (grads.Length == 3)
        {
            grads[2] = NeedsGrad(2) ? gradOutput.Sum(0).Sum(1).Sum(1) : null;
        }

        return grads;
    }

    // Per sample and group Y = W col(X) + b 1^T  =>  dW += G col(X)^T,  col(dX) = W^T G (scattered by col2im),  db = G 1.
    public override void Backward()
    {
        ReadOnlySpan<T> g = GradOutput;
        Span<T> gradX = NeedsGrad(0) ? GradFor(0) : default;
        Span<T> gradW = default;
        bool accumulateW = true;
        if (NeedsGrad(1))
        {
            gradW = GradFor(1, out accumulateW);
        }

        ConvKernel.Backward(_g, _groups, _outChannels, Inputs[0].KernelReadSpan, Inputs[1].KernelReadSpan, g, gradX, gradW, accumulateW);
        if (Inputs.Length == 3 && NeedsGrad(2))
        {
            Span<T> gradB = GradFor(2, out bool accumulate);
            ConvKernel.BiasGradient(g, _g.Batch, _outChannels, _g.OutPlane, gradB, accumulate);
        }
    }
}

using System;
using System.Numerics;

namespace MiniNet.NN;

/// <summary>2-D max pooling as a layer; no parameters.</summary>
/// <typeparam name="T">float or double.</typeparam>
/// <remarks>PyTorch: <c>torch.nn.MaxPool2d(kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False)</c>. Wraps <see cref="Ops.MaxPool2d{T}(Tensor{T}, int, int?, int, int, bool)"/>.</remarks>
public class MaxPool2d<T> : Module<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <summary>Creates the layer.</summary>
    /// <param name="kernelSize">The window size, at least 1.</param>
    /// <param name="stride">The step; null for <paramref name="kernelSize"/>.</param>
    /// <param name="padding">The -inf padding on every side, at most half the kernel.</param>
    /// <param name="dilation">The step between the window's taps, at least 1.</param>
    /// <param name="ceilMode">Round the output size up instead of down (PyTorch's <c>ceil_mode</c>).</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is out of range.</exception>
    public MaxPool2d(int kernelSize, int? stride = null, int padding = 0, int dilation = 1, bool ceilMode = false)
    {
        (KernelSize, Stride, Padding) = PoolingArguments.Check(kernelSize, stride, padding);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dilation);
        (Dilation, CeilMode) = (dilation, ceilMode);
    }

    /// <summary>The window size (PyTorch: <c>kernel_size</c>).</summary>
    public int KernelSize { get; }

    /// <summary>The step (the kernel size unless given).</summary>
    public int Stride { get; }

    /// <summary>The padding on every side.</summary>
    public int Padding { get; }

    /// <summary>The step between the window's taps (PyTorch: <c>dilation</c>).</summary>
    public int Dilation { get; }

    /// <summary>Whether the output size is rounded up (PyTorch: <c>ceil_mode</c>).</summary>
    public bool CeilMode { get; }

    /// <summary>Pools the batch.</summary>
    /// <param name="input"><c>[N, C, H, W]</c> or <c>[C, H, W]</c>.</param>
    /// <returns>The pooled tensor.</returns>
    public override Tensor<T> Forward(Tensor<T> input) => input.MaxPool2d(KernelSize, Stride, Padding, Dilation, CeilMode);
}

/// <summary>A float <see cref="MaxPool2d{T}"/>.</summary>
/// <remarks>PyTorch: <c>torch.nn.MaxPool2d</c>.</remarks>
public sealed class MaxPool2d : MaxPool2d<float>
{
    /// <inheritdoc cref="MaxPool2d{T}(int, int?, int, int, bool)"/>
    public MaxPool2d(int kernelSize, int? stride = null, int padding = 0, int dilation = 1, bool ceilMode = false)
        : base(kernelSize, stride, padding, dilation, ceilMode)
    {
    }
}

/// <summary>2-D average pooling as a layer; no parameters.</summary>
/// <typeparam name="T">float or double.</typeparam>
/// <remarks>
/// PyTorch: <c>torch.nn.AvgPool2d(kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True,
/// divisor_override=None)</c>. Wraps <see cref="Ops.AvgPool2d{T}(Tensor{T}, int, int?, int, bool, bool, int?)"/>.
/// </remarks>
public class AvgPool2d<T> : Module<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <summary>Creates the layer.</summary>
    /// <param name="kernelSize">The window size, at least 1.</param>
    /// <param name="stride">The step; null for <paramref name="kernelSize"/>.</param>
    /// <param name="padding">The zero padding on every side, at most half the kernel.</param>
    /// <param name="countIncludePad">Whether the padding counts in the divisor (PyTorch's default, true).</param>
    /// <param name="ceilMode">Round the output size up instead of down (PyTorch's <c>ceil_mode</c>).</param>
    /// <param name="divisorOverride">A fixed divisor for every window (at least 1), or null.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is out of range.</exception>
    public AvgPool2d(int kernelSize, int? stride = null, int padding = 0, bool countIncludePad = true, bool ceilMode = false, int? divisorOverride = null)
    {
        (KernelSize, Stride, Padding) = PoolingArguments.Check(kernelSize, stride, padding);
        if (divisorOverride is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(divisorOverride), divisorOverride, "The divisor override must be at least 1 (or null).");
        }

        (CountIncludePad, CeilMode, DivisorOverride) = (countIncludePad, ceilMode, divisorOverride);
    }

    /// <summary>The window size (PyTorch: <c>kernel_size</c>).</summary>
    public int KernelSize { get; }

    /// <summary>The step (the kernel size unless given).</summary>
    public int Stride { get; }

    /// <summary>The padding on every side.</summary>
    public int Padding { get; }

    /// <summary>Whether padded zeros count in the divisor (PyTorch: <c>count_include_pad</c>).</summary>
    public bool CountIncludePad { get; }

    /// <summary>Whether the output size is rounded up (PyTorch: <c>ceil_mode</c>).</summary>
    public bool CeilMode { get; }

    /// <summary>The fixed divisor, or null for the window's (PyTorch: <c>divisor_override</c>).</summary>
    public int? DivisorOverride { get; }

    /// <summary>Pools the batch.</summary>
    /// <param name="input"><c>[N, C, H, W]</c> or <c>[C, H, W]</c>.</param>
    /// <returns>The pooled tensor.</returns>
    public override Tensor<T> Forward(Tensor<T> input) => input.AvgPool2d(KernelSize, Stride, Padding, CountIncludePad, CeilMode, DivisorOverride);
}

/// <summary>A float <see cref="AvgPool2d{T}"/>.</summary>
/// <remarks>PyTorch: <c>torch.nn.AvgPool2d</c>.</remarks>
public sealed class AvgPool2d : AvgPool2d<float>
{
    /// <inheritdoc cref="AvgPool2d{T}(int, int?, int, bool, bool, int?)"/>
    public AvgPool2d(int kernelSize, int? stride = null, int padding = 0, bool countIncludePad = true, bool ceilMode = false, int? divisorOverride = null)
        : base(kernelSize, stride, padding, countIncludePad, ceilMode, divisorOverride)
    {
    }
}

/// <summary>2-D adaptive average pooling to a fixed output size as a layer; no parameters.</summary>
/// <typeparam name="T">float or double.</typeparam>
/// <remarks>PyTorch: <c>torch.nn.AdaptiveAvgPool2d(output_size)</c>. Wraps <see cref="Ops.AdaptiveAvgPool2d{T}"/>; output size 1 is global average pooling.</remarks>
public class AdaptiveAvgPool2d<T> : Module<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <summary>Creates the layer with a square output.</summary>
    /// <param name="outputSize">The output height and width, at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException">The size is below 1.</exception>
    public AdaptiveAvgPool2d(int outputSize)
        : this(outputSize, outputSize)
    {
    }

    /// <summary>Creates the layer.</summary>
    /// <param name="outputHeight">The output height, at least 1.</param>
    /// <param name="outputWidth">The output width, at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is below 1.</exception>
    public AdaptiveAvgPool2d(int outputHeight, int outputWidth)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outputHeight);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outputWidth);
        OutputSize = (outputHeight, outputWidth);
    }

    /// <summary>The output size (height, width) (PyTorch: <c>output_size</c>).</summary>
    public (int Height, int Width) OutputSize { get; }

    /// <summary>Pools the batch.</summary>
    /// <param name="input"><c>[N, C, H, W]</c> or <c>[C, H, W]</c>.</param>
    /// <returns>The pooled tensor, <c>[N, C, outH, outW]</c>.</returns>
    public override Tensor<T> Forward(Tensor<T> input) => input.AdaptiveAvgPool2d(OutputSize.Height, OutputSize.Width);
}

/// <summary>A float <see cref="AdaptiveAvgPool2d{T}"/>.</summary>
/// <remarks>PyTorch: <c>torch.nn.AdaptiveAvgPool2d</c>.</remarks>
public sealed class AdaptiveAvgPool2d : AdaptiveAvgPool2d<float>
{
    /// <inheritdoc cref="AdaptiveAvgPool2d{T}(int)"/>
    public AdaptiveAvgPool2d(int outputSize)
        : base(outputSize)
    {
    }

    /// <inheritdoc cref="AdaptiveAvgPool2d{T}(int, int)"/>
    public AdaptiveAvgPool2d(int outputHeight, int outputWidth)
        : base(outputHeight, outputWidth)
    {
    }
}

/// <summary>Checks shared by the pooling layers' constructors.</summary>
file static class PoolingArguments
{
    public static (int Kernel, int Stride, int Padding) Check(int kernelSize, int? stride, int padding)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(kernelSize);
        int s = stride ?? kernelSize;
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(s, nameof(stride));
        if (padding < 0 || padding > kernelSize / 2)
        {
            throw new ArgumentOutOfRangeException(nameof(padding), padding, $"The padding must be between 0 and half the kernel size {kernelSize}, as in PyTorch.");
        }

        return (kernelSize, s, padding);
    }
}

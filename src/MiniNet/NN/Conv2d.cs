using System;
using System.Numerics;

namespace MiniNet.NN;

/// <summary>
/// A 2-D convolution layer over <c>[N, C, H, W]</c> batches: <c>y = conv2d(x, W, b)</c> with a weight
/// <c>[out, in / groups, k, k]</c> and a bias <c>[out]</c>.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
/// <remarks>
/// PyTorch: <c>torch.nn.Conv2d(in_channels, out_channels, kernel_size, stride, padding, dilation, groups, bias)</c>
/// (<c>padding_mode='zeros'</c>). The state-dict names (<c>weight</c>, <c>bias</c>) and shapes are PyTorch's, so
/// checkpoints line up. The forward pass is the fused op
/// <see cref="Ops.Conv2d{T}(Tensor{T}, Tensor{T}, Tensor{T}?, int, int, int, int)"/> (one tape entry).
/// </remarks>
public class Conv2d<T> : Module<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <summary>Creates the layer with numeric padding and initialises its parameters from <paramref name="rng"/>.</summary>
    /// <param name="inChannels">Input channels, positive and divisible by <paramref name="groups"/>.</param>
    /// <param name="outChannels">Output channels, positive and divisible by <paramref name="groups"/>.</param>
    /// <param name="kernelSize">The square kernel's size, positive.</param>
    /// <param name="rng">The generator the initial values are drawn from (weight first, then bias).</param>
    /// <param name="stride">The stride, at least 1.</param>
    /// <param name="padding">Zeros added on every side, at least 0.</param>
    /// <param name="dilation">The spacing between kernel taps, at least 1.</param>
    /// <param name="groups">The number of channel groups, at least 1.</param>
    /// <param name="bias">Whether to add a learned bias.</param>
    /// <param name="init">The initialisation; by default PyTorch's (<see cref="InitScheme.PyTorchDefault"/>: Kaiming-uniform with
    /// <c>a = sqrt(5)</c>, i.e. <c>U(-1/sqrt(fanIn), 1/sqrt(fanIn))</c>, fanIn = <c>in / groups k k</c>, for weight and bias).</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is out of range.</exception>
    /// <exception cref="ArgumentException">The channels do not divide by <paramref name="groups"/>.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="rng"/> is null.</exception>
    public Conv2d(int inChannels, int outChannels, int kernelSize, Rng rng, int stride = 1, int padding = 0, int dilation = 1, int groups = 1, bool bias = true, InitScheme init = InitScheme.PyTorchDefault)
        : this(inChannels, outChannels, kernelSize, rng, stride, padding, null, dilation, groups, bias, init)
    {
    }

    /// <summary>Creates the layer with a named padding (<see cref="ConvPadding.Same"/> keeps height and width; stride 1).</summary>
    /// <param name="inChannels">Input channels.</param>
    /// <param name="outChannels">Output channels.</param>
    /// <param name="kernelSize">The square kernel's size.</param>
    /// <param name="rng">The generator for the initial values.</param>
    /// <param name="padding"><see cref="ConvPadding.Valid"/> or <see cref="ConvPadding.Same"/> (PyTorch: <c>padding='same'</c>).</param>
    /// <param name="dilation">The dilation.</param>
    /// <param name="groups">The number of channel groups.</param>
    /// <param name="bias">Whether to add a learned bias.</param>
    /// <param name="init">The initialisation.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is out of range.</exception>
    /// <exception cref="ArgumentException">The channels do not divide by <paramref name="groups"/>.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="rng"/> is null.</exception>
    public Conv2d(int inChannels, int outChannels, int kernelSize, Rng rng, ConvPadding padding, int dilation = 1, int groups = 1, bool bias = true, InitScheme init = InitScheme.PyTorchDefault)
        : this(inChannels, outChannels, kernelSize, rng, 1, 0, padding, dilation, groups, bias, init)
    {
    }

    private Conv2d(int inChannels, int outChannels, int kernelSize, Rng rng, int stride, int padding, ConvPadding? mode, int dilation, int groups, bool bias, InitScheme init)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inChannels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outChannels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(kernelSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(stride);
        ArgumentOutOfRangeException.ThrowIfNegative(padding);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dilation);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(groups);
        ArgumentNullException.ThrowIfNull(rng);
        if (inChannels % groups != 0 || outChannels % groups != 0)
        {
            throw new ArgumentException($"Conv2d: in_channels {inChannels} and out_channels {outChannels} must both divide by groups {groups}.", nameof(groups));
        }

        InChannels = inChannels;
        OutChannels = outChannels;
        KernelSize = (kernelSize, kernelSize);
        Stride = (stride, stride);
        Dilation = (dilation, dilation);
        Groups = groups;
        PaddingMode = mode;
        Pads = mode == ConvPadding.Same ? Ops.SamePadding(kernelSize, kernelSize, dilation, dilation) : (padding, padding, padding, padding);
        Weight = RegisterParameter("weight", Tensor.Zeros<T>(outChannels, inChannels / groups, kernelSize, kernelSize));
        Bias = bias ? RegisterParameter("bias", Tensor.Zeros<T>(outChannels)) : null;
        Init.Linear(init, Weight, Bias, rng);
    }

    /// <summary>Input channels (PyTorch: <c>in_channels</c>).</summary>
    public int InChannels { get; }

    /// <summary>Output channels (PyTorch: <c>out_channels</c>).</summary>
    public int OutChannels { get; }

    /// <summary>The kernel size (height, width) (PyTorch: <c>kernel_size</c>).</summary>
    public (int Height, int Width) KernelSize { get; }

    /// <summary>The stride (height, width).</summary>
    public (int Height, int Width) Stride { get; }

    /// <summary>The padding before the input (top, left); see <see cref="Pads"/> for all four sides.</summary>
    public (int Height, int Width) Padding => (Pads.Top, Pads.Left);

    /// <summary>The zero padding on each side; only <see cref="ConvPadding.Same"/> with an even kernel makes it asymmetric (one more after).</summary>
    /// <remarks>ONNX: the <c>pads</c> attribute is <c>[Top, Left, Bottom, Right]</c>.</remarks>
    public (int Top, int Left, int Bottom, int Right) Pads { get; }

    /// <summary>The named padding the layer was created with, or null for numeric padding.</summary>
    public ConvPadding? PaddingMode { get; }

    /// <summary>The dilation (height, width).</summary>
    public (int Height, int Width) Dilation { get; }

    /// <summary>The number of channel groups.</summary>
    public int Groups { get; }

    /// <summary>The weight, <c>[out, in / groups, kH, kW]</c> (PyTorch: <c>weight</c>).</summary>
    public Tensor<T> Weight { get; }

    /// <summary>The bias, <c>[out]</c>, or null when created without one (PyTorch: <c>bias</c>).</summary>
    public Tensor<T>? Bias { get; }

    /// <summary>Convolves the batch.</summary>
    /// <param name="input">A batch <c>[N, in, H, W]</c>.</param>
    /// <returns>The output <c>[N, out, outH, outW]</c>.</returns>
    /// <exception cref="ArgumentException">The input is not <c>[N, in, H, W]</c> or is smaller than the kernel; the message names the shapes.</exception>
    public override Tensor<T> Forward(Tensor<T> input) =>
        Ops.Conv2dCore(input, Weight, Bias, Stride, Pads, Dilation, Groups);
}

/// <summary>A float <see cref="Conv2d{T}"/>.</summary>
/// <remarks>PyTorch: <c>torch.nn.Conv2d</c>.</remarks>
public sealed class Conv2d : Conv2d<float>
{
    /// <inheritdoc cref="Conv2d{T}(int, int, int, Rng, int, int, int, int, bool, InitScheme)"/>
    public Conv2d(int inChannels, int outChannels, int kernelSize, Rng rng, int stride = 1, int padding = 0, int dilation = 1, int groups = 1, bool bias = true, InitScheme init = InitScheme.PyTorchDefault)
        : base(inChannels, outChannels, kernelSize, rng, stride, padding, dilation, groups, bias, init)
    {
    }

    /// <inheritdoc cref="Conv2d{T}(int, int, int, Rng, ConvPadding, int, int, bool, InitScheme)"/>
    public Conv2d(int inChannels, int outChannels, int kernelSize, Rng rng, ConvPadding padding, int dilation = 1, int groups = 1, bool bias = true, InitScheme init = InitScheme.PyTorchDefault)
        : base(inChannels, outChannels, kernelSize, rng, padding, dilation, groups, bias, init)
    {
    }
}

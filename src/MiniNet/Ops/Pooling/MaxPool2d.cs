using System;
using System.Numerics;

namespace MiniNet;

public static partial class Ops
{
    /// <summary>
    /// 2-D max pooling: <c>y[n, c, i, j] = max_{p, q} x[n, c, i s - pad + p d, j s - pad + q d]</c> over a
    /// <c>kernelSize x kernelSize</c> window with dilation d; padding never wins (it counts as -inf), a NaN in the window does.
    /// </summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="x">The input, <c>[N, C, H, W]</c> or <c>[C, H, W]</c>.</param>
    /// <param name="kernelSize">The window size, at least 1.</param>
    /// <param name="stride">The window step; null (the default) for <paramref name="kernelSize"/>, as in PyTorch.</param>
    /// <param name="padding">Implicit -inf padding on every side, at most half the kernel size.</param>
    /// <param name="dilation">The step between the window's taps, at least 1 (default 1: a dense window).</param>
    /// <param name="ceilMode">
    /// Round the output size up instead of down, so windows may run past the bottom/right edge (clipped to the input);
    /// as in PyTorch a window is dropped if it would start in the bottom/right padding or beyond.
    /// </param>
    /// <returns>
    /// The output, <c>[N, C, outH, outW]</c> with <c>outH = (H + 2 pad - d (k - 1) - 1) / s + 1</c> rounded down (or up
    /// with <paramref name="ceilMode"/>).
    /// </returns>
    /// <remarks>
    /// PyTorch: <c>torch.nn.functional.max_pool2d(x, kernel_size, stride, padding, dilation, ceil_mode)</c>.
    /// Forward saves the argmax of every window (first in row-major order on ties, as PyTorch), backward adds each
    /// output gradient to that one input.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="x"/> is null.</exception>
    /// <exception cref="ArgumentException">
    /// The rank is not 3 or 4, the padded input is smaller than the dilated window, or (with dilation) a window's taps
    /// all fall in the padding.
    /// </exception>
    /// <exception cref="ArgumentOutOfRangeException">A size or dilation below 1, or a padding above half the kernel.</exception>
    public static Tensor<T> MaxPool2d<T>(this Tensor<T> x, int kernelSize, int? stride = null, int padding = 0, int dilation = 1, bool ceilMode = false)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        MaxPool2d(x, (kernelSize, kernelSize), stride is { } s ? (s, s) : null, (padding, padding), (dilation, dilation), ceilMode);

    /// <summary>2-D max pooling with separate sizes for height and width; see <see cref="MaxPool2d{T}(Tensor{T}, int, int?, int, int, bool)"/>.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="x">The input, <c>[N, C, H, W]</c> or <c>[C, H, W]</c>.</param>
    /// <param name="kernelSize">The window (height, width).</param>
    /// <param name="stride">The steps (height, width); null for the kernel size.</param>
    /// <param name="padding">The -inf padding (height, width).</param>
    /// <param name="dilation">The tap steps (height, width); null for (1, 1).</param>
    /// <param name="ceilMode">Round the output size up (PyTorch's <c>ceil_mode</c>).</param>
    /// <returns>The output, <c>[N, C, outH, outW]</c>.</returns>
    /// <remarks>PyTorch: <c>max_pool2d</c> with tuple arguments.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="x"/> is null.</exception>
    /// <exception cref="ArgumentException">The rank is not 3 or 4, the padded input is smaller than the window, or a window holds no input element.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A size or dilation below 1, or a padding above half the kernel.</exception>
    public static Tensor<T> MaxPool2d<T>(
        this Tensor<T> x, (int Height, int Width) kernelSize, (int Height, int Width)? stride, (int Height, int Width) padding,
        (int Height, int Width)? dilation = null, bool ceilMode = false)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ConvGeometry g = PoolGeometry("MaxPool2d", x, kernelSize, stride ?? kernelSize, padding, dilation ?? (1, 1), ceilMode);
        var output = Tensor<T>.Uninitialized(PooledShape(x, g.OutH, g.OutW));
        bool record = Tape.ShouldRecord(x);
        // The argmax of every window, as large as the output (2.4 MB a step in the MNIST convnet at B = 64).
        var indices = new RecyclableBuffer<int>(record ? output.Count : 0);
        Pool.MaxForward(g, x.KernelReadSpan, output.KernelWriteSpan, indices.Array);
        GC.KeepAlive(x); // kernel spans do not keep x's storage from the pool (see StoragePool)
        if (record)
        {
            Tape.Record(new MaxPool2dBackward<T>(output, g, indices, x));
        }

        return output;
    }
}

/// <summary>Backward of <see cref="Ops.MaxPool2d{T}(Tensor{T}, int, int?, int, int, bool)"/>.</summary>
file sealed class MaxPool2dBackward<T> : TapeEntry<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly ConvGeometry _g;
    private RecyclableBuffer<int> _indices;

    public MaxPool2dBackward(Tensor<T> output, ConvGeometry g, RecyclableBuffer<int> indices, Tensor<T> x)
        : base(output, x)
    {
        (_g, _indices) = (g, indices);
        SaveForBackward(false);
    }

    public override string OpName => "MaxPool2d";

    // y = x[argmax]  =>  dx[argmax] += g (a subgradient at ties: all of it to the first maximum, like PyTorch).
    public override void Backward() => Pool.MaxBackward(_g, GradOutput, _indices.Array, GradFor(0));

    protected override Tensor<T>?[] DifferentiableBackward(Tensor<T> gradOutput) =>
        [Ops.ApplyLinearMap(gradOutput, new MaxPoolMap<T>(_g, _indices.Share(), Inputs[0].Shape, Output.Shape), adjoint: true)];

    protected override void ReleaseSaved() => _indices.Recycle();
}

/// <summary>The selection <c>y[o] = x[argmax(o)]</c> fixed by a forward pass; its adjoint scatters back.</summary>
file sealed class MaxPoolMap<T>(ConvGeometry g, int[] indices, Shape inputShape, Shape outputShape)
    : LinearMap<T>("MaxPool2d", inputShape, outputShape)
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    public override void Apply(ReadOnlySpan<T> x, Span<T> y)
    {
        int outPlane = g.OutPlane;
        for (int o = 0; o < y.Length; o++)
        {
            y[o] = x[((o / outPlane) * g.InPlane) + indices[o]];
        }
    }

    public override void AddAdjoint(ReadOnlySpan<T> y, Span<T> x) => Pool.MaxBackward(g, y, indices, x);
}

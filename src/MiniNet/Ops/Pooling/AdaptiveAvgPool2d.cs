using System;
using System.Numerics;

namespace MiniNet;

public static partial class Ops
{
    /// <summary>
    /// 2-D adaptive average pooling to a fixed <c>outH x outW</c>: output row <c>i</c> averages input rows
    /// <c>[floor(i H / outH), ceil((i + 1) H / outH))</c>, likewise for columns (windows may overlap or differ in size).
    /// </summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="x">The input, <c>[N, C, H, W]</c> or <c>[C, H, W]</c>.</param>
    /// <param name="outH">The output height, at least 1.</param>
    /// <param name="outW">The output width, at least 1.</param>
    /// <returns>The output, <c>[N, C, outH, outW]</c>. <c>(1, 1)</c> is global average pooling.</returns>
    /// <remarks>PyTorch: <c>torch.nn.functional.adaptive_avg_pool2d(x, (outH, outW))</c>. Backward spreads each gradient evenly over its window.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="x"/> is null.</exception>
    /// <exception cref="ArgumentException">The rank is not 3 or 4, or the height or width is 0.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An output size below 1.</exception>
    public static Tensor<T> AdaptiveAvgPool2d<T>(this Tensor<T> x, int outH, int outW)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentOutOfRangeException.ThrowIfLessThan(outH, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outW, 1);
        if (x.Rank is not (3 or 4))
        {
            throw new ArgumentException($"AdaptiveAvgPool2d needs x [N, C, H, W] or [C, H, W]; got {x.Shape}.", nameof(x));
        }

        int height = x.Shape[-2], width = x.Shape[-1], planes = x.Rank == 4 ? x.Shape[0] * x.Shape[1] : x.Shape[0];
        if (height == 0 || width == 0)
        {
            throw new ArgumentException($"AdaptiveAvgPool2d needs a non-empty height and width; got {x.Shape}.", nameof(x));
        }

        var output = Tensor<T>.Uninitialized(PooledShape(x, outH, outW));
        Pool.AdaptiveAverage(planes, height, width, outH, outW, x.KernelReadSpan, output.KernelWriteSpan, adjoint: false);
        if (Tape.ShouldRecord(x))
        {
            Tape.Record(new AdaptiveAvgPool2dBackward<T>(output, planes, height, width, outH, outW, x));
        }

        return output;
    }
}

/// <summary>Backward of <see cref="Ops.AdaptiveAvgPool2d{T}"/>.</summary>
file sealed class AdaptiveAvgPool2dBackward<T> : TapeEntry<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly int _planes, _height, _width, _outH, _outW;

    public AdaptiveAvgPool2dBackward(Tensor<T> output, int planes, int height, int width, int outH, int outW, Tensor<T> x)
        : base(output, x)
    {
        (_planes, _height, _width, _outH, _outW) = (planes, height, width, outH, outW);
        SaveForBackward(false);
    }

    public override string OpName => "AdaptiveAvgPool2d";

    // y = mean(window)  =>  dx[window] += g / |window|.
    public override void Backward() => Pool.AdaptiveAverage(_planes, _height, _width, _outH, _outW, GradOutput, GradFor(0), adjoint: true);

    protected override Tensor<T>?[] DifferentiableBackward(Tensor<T> gradOutput) =>
        [Ops.ApplyLinearMap(gradOutput, new AdaptiveAvgPoolMap<T>(_planes, _height, _width, _outH, _outW, Inputs[0].Shape, Output.Shape), adjoint: true)];
}

/// <summary>Adaptive average pooling as a linear map; its adjoint spreads each value over its window.</summary>
file sealed class AdaptiveAvgPoolMap<T>(int planes, int height, int width, int outH, int outW, Shape inputShape, Shape outputShape)
    : LinearMap<T>("AdaptiveAvgPool2d", inputShape, outputShape)
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    public override void Apply(ReadOnlySpan<T> x, Span<T> y) => Pool.AdaptiveAverage(planes, height, width, outH, outW, x, y, adjoint: false);

    public override void AddAdjoint(ReadOnlySpan<T> y, Span<T> x) => Pool.AdaptiveAverage(planes, height, width, outH, outW, y, x, adjoint: true);
}

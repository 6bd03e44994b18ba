using System;
using System.Numerics;

namespace MiniNet;

public static partial class Ops
{
    /// <summary>
    /// The smallest value along one axis: <c>out[..., i, ...] = min_j x[..., j, i, ...]</c>. Values only; the gradient
    /// of each output goes entirely to the first position (lowest index along the axis) holding the minimum.
    /// </summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="x">The input.</param>
    /// <param name="axis">The axis to reduce; negative counts from the end (<c>-1</c> is the last).</param>
    /// <param name="keepDim">Keep the reduced axis with size 1, so the result broadcasts against <paramref name="x"/>.</param>
    /// <returns>The minima.</returns>
    /// <remarks>
    /// PyTorch: <c>torch.min(x, dim, keepdim).values</c>. Its backward routes the whole gradient to the returned index,
    /// which on CPU is the first minimal one; MiniNet does the same. This differs from <c>torch.amin</c> and from the
    /// whole-tensor <see cref="Min{T}(Tensor{T})"/>, which split the gradient evenly between tied minima. NaN propagates:
    /// a row holding NaN has minimum NaN, and its gradient goes to the first NaN. <c>-0</c> and <c>+0</c> tie (the first
    /// wins). A scalar accepts axis 0 or -1.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="axis"/> is outside <c>[-Rank, Rank)</c>.</exception>
    /// <exception cref="ArgumentException">The reduced axis has size 0, so there is no minimum.</exception>
    public static Tensor<T> Min<T>(this Tensor<T> x, int axis, bool keepDim = false)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> => ExtremumAlongAxis(x, axis, keepDim, max: false, nameof(Min));

    /// <summary>The smallest element, as a scalar: <c>out = min_i x[i]</c>; tied minima share the gradient evenly.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="x">The input, not empty.</param>
    /// <returns>A rank-0 tensor.</returns>
    /// <remarks>
    /// PyTorch: <c>torch.min(x)</c> / <c>x.min()</c>, whose backward (<c>evenly_distribute_backward</c>) gives each of the
    /// <c>c</c> elements equal to the minimum <c>g / c</c>; when the minimum is NaN, the NaN elements share it.
    /// </remarks>
    /// <exception cref="ArgumentException"><paramref name="x"/> is empty.</exception>
    public static Tensor<T> Min<T>(this Tensor<T> x)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> => ExtremumOfAll(x, max: false, nameof(Min));

    /// <summary>The index of the smallest value along one axis (the first on ties; the first NaN if any), as whole numbers.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="x">The input.</param>
    /// <param name="axis">The axis to search; negative counts from the end.</param>
    /// <param name="keepDim">Keep the reduced axis with size 1 (then the result can index <see cref="Gather{T}(Tensor{T}, int, Tensor{T})"/>).</param>
    /// <returns>
    /// A tensor of <typeparamref name="T"/> holding the indices (PyTorch returns int64; MiniNet keeps one element type,
    /// exact below 2^24 in float). It never requires a gradient: compare it with <c>Eq</c> or feed it to Gather.
    /// </returns>
    /// <remarks>PyTorch: <c>torch.argmin(x, dim, keepdim)</c>.</remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="axis"/> is outside <c>[-Rank, Rank)</c>.</exception>
    /// <exception cref="ArgumentException">The axis has size 0.</exception>
    public static Tensor<T> ArgMin<T>(this Tensor<T> x, int axis, bool keepDim = false)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> => ArgExtremumAlongAxis(x, axis, keepDim, max: false, nameof(ArgMin));

    /// <summary>The flat (row-major) index of the smallest element, the first on ties, as a scalar tensor of whole numbers.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="x">The input, not empty.</param>
    /// <returns>A rank-0 tensor that never requires a gradient.</returns>
    /// <remarks>PyTorch: <c>torch.argmin(x)</c>.</remarks>
    /// <exception cref="ArgumentException"><paramref name="x"/> is empty.</exception>
    public static Tensor<T> ArgMin<T>(this Tensor<T> x)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> => ArgExtremumOfAll(x, max: false, nameof(ArgMin));
}

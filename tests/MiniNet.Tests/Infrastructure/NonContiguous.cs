using System;
using System.Numerics;

namespace MiniNet.Tests.Infrastructure;

/// <summary>How <see cref="OpCheck{T}"/> hands its inputs to the op under test.</summary>
public enum InputLayout
{
    /// <summary>The sampled leaves themselves (contiguous).</summary>
    Contiguous,

    /// <summary>A transposed view with the leaf's values and shape (<see cref="NonContiguous.Transposed{T}"/>).</summary>
    Transposed,

    /// <summary>A strided slice of a bigger tensor with the leaf's values and shape (<see cref="NonContiguous.Sliced{T}"/>).</summary>
    Sliced,

    /// <summary>
    /// A stride-0 expand of a smaller leaf (its first dimension above 1 sampled as 1) to the requested shape
    /// (<see cref="NonContiguous.Expanded{T}"/>); the oracle expands the same leaf, so both compare gradients of the leaf.
    /// </summary>
    Expanded,
}

/// <summary>
/// Non-contiguous views for feeding ops strided inputs: each keeps gradients flowing back to the tensor it was made
/// from, so an op's check can compare the leaf's gradient with TorchSharp's unchanged.
/// </summary>
public static class NonContiguous
{
    /// <summary>
    /// The same values and shape as <paramref name="x"/>, as a transpose of a contiguous transposed copy: strides of
    /// the last two dimensions swapped. A tensor with fewer than two dimensions above 1 gets <see cref="Sliced{T}"/>.
    /// </summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="x">The values.</param>
    /// <returns>A non-contiguous view (unless <paramref name="x"/> has at most one element).</returns>
    public static Tensor<T> Transposed<T>(Tensor<T> x)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank < 2 || x.Shape[-1] < 2 || x.Shape[-2] < 2)
        {
            return Sliced(x);
        }

        return x.Transpose(-1, -2).Contiguous().Transpose(-1, -2);
    }

    /// <summary>
    /// The same values and shape as <paramref name="x"/>, as the middle of three interleaved copies: a view with
    /// offset 1 and every stride three times the row-major one (PyTorch: <c>x.unsqueeze(-1).expand(..., 3).contiguous()[..., 1]</c>).
    /// </summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="x">The values.</param>
    /// <returns>A non-contiguous view (unless <paramref name="x"/> has at most one element).</returns>
    public static Tensor<T> Sliced<T>(Tensor<T> x)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(x);
        int[] wide = [.. x.Shape.ToArray(), 3];
        return x.Unsqueeze(-1).Expand(wide).Contiguous().Select(-1, 1);
    }

    /// <summary><paramref name="small"/> expanded to <paramref name="shape"/>: stride 0 along the dimensions it repeats.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="small">A tensor of <see cref="ExpandableShape"/>(<paramref name="shape"/>).</param>
    /// <param name="shape">The shape the op sees.</param>
    /// <returns>An expanded view.</returns>
    public static Tensor<T> Expanded<T>(Tensor<T> small, int[] shape)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(small);
        return small.Expand(shape);
    }

    /// <summary>The shape of the leaf <see cref="Expanded{T}"/> starts from: the first dimension above 1 set to 1.</summary>
    /// <param name="shape">The shape the op sees.</param>
    /// <returns>The leaf's shape (equal to <paramref name="shape"/> when no dimension is above 1).</returns>
    public static int[] ExpandableShape(int[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        int[] small = (int[])shape.Clone();
        int d = Array.FindIndex(small, s => s > 1);
        if (d >= 0)
        {
            small[d] = 1;
        }

        return small;
    }

    /// <summary>The view <paramref name="layout"/> asks for, of a leaf sampled with <see cref="LeafShape"/>.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="layout">The layout.</param>
    /// <param name="leaf">The leaf.</param>
    /// <param name="shape">The shape the op sees.</param>
    /// <returns>The tensor to pass to the op.</returns>
    public static Tensor<T> Apply<T>(InputLayout layout, Tensor<T> leaf, int[] shape)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> => layout switch
        {
            InputLayout.Transposed => Transposed(leaf),
            InputLayout.Sliced => Sliced(leaf),
            InputLayout.Expanded => Expanded(leaf, shape),
            _ => leaf,
        };

    /// <summary>The shape of the leaf to sample for <paramref name="layout"/>.</summary>
    /// <param name="layout">The layout.</param>
    /// <param name="shape">The shape the op sees.</param>
    /// <returns>The leaf's shape.</returns>
    public static int[] LeafShape(InputLayout layout, int[] shape) => layout == InputLayout.Expanded ? ExpandableShape(shape) : shape;

    /// <summary>The TorchSharp side of <see cref="Apply{T}"/>: the leaf itself, or its expand for <see cref="InputLayout.Expanded"/>.</summary>
    /// <param name="layout">The layout.</param>
    /// <param name="leaf">The TorchSharp leaf.</param>
    /// <param name="shape">The shape the op sees.</param>
    /// <returns>The tensor to pass to the oracle.</returns>
    public static TorchSharp.torch.Tensor ApplyTorch(InputLayout layout, TorchSharp.torch.Tensor leaf, int[] shape)
    {
        ArgumentNullException.ThrowIfNull(leaf);
        return layout == InputLayout.Expanded ? leaf.expand(Array.ConvertAll(shape, d => (long)d)) : leaf;
    }
}

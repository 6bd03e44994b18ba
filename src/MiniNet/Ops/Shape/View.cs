using System;
using System.Numerics;

namespace MiniNet;

/// <summary>
/// Where a view's elements sit in its base's row-major index space: element <c>i</c> of the view (a row-major index of
/// <see cref="Shape"/>) is element <c>Offset + Σ i[d] · Strides[d]</c> of the base. This is the view's layout relative
/// to a contiguous base, so backward can scatter a view's (contiguous) gradient into its base's gradient.
/// </summary>
internal readonly record struct ViewLayout(Shape Shape, int[] Strides, int Offset)
{
    /// <summary>True when the view is one unbroken row-major run of the base (a reshape, a narrow of the first dimension).</summary>
    public bool IsRun
    {
        get
        {
            ReadOnlySpan<int> expected = Shape.ContiguousStrides;
            for (int d = 0; d < Strides.Length; d++)
            {
                if (Shape.Dims[d] != 1 && Strides[d] != expected[d])
                {
                    return false;
                }
            }

            return true;
        }
    }
}

public static partial class Ops
{
    /// <summary>
    /// Creates a view of <paramref name="x"/> with the given storage layout and records it: <paramref name="logical"/> is
    /// the same view described in <paramref name="x"/>'s own row-major index space (what backward scatters into).
    /// </summary>
    internal static Tensor<T> MakeView<T>(Tensor<T> x, Shape shape, int[] strides, int offset, ViewLayout logical, string opName)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        Tensor<T> output = x.ViewAs(shape, strides, offset);
        if (Tape.ShouldRecord(x))
        {
            Tape.Record(new ViewBackward<T>(output, x, logical, opName));
        }

        return output;
    }

    /// <summary>A view of a contiguous tensor with a layout given in its row-major index space.</summary>
    internal static Tensor<T> ViewOfLayout<T>(Tensor<T> contiguous, ViewLayout layout, string opName)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        MakeView(contiguous, layout.Shape, layout.Strides, contiguous.Offset + layout.Offset, layout, opName);

    /// <summary>A view with the same shape and layout (PyTorch: <c>x[...]</c> / <c>x.view_as(x)</c>); gradients pass through.</summary>
    internal static Tensor<T> Alias<T>(Tensor<T> x)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        MakeView(x, x.Shape, x.Strides.ToArray(), x.Offset, new ViewLayout(x.Shape, x.Shape.ContiguousStrides, 0), "Alias");

    /// <summary>
    /// The adjoint of a view: a tensor of <paramref name="baseShape"/>, zero except where the view's elements sit, which
    /// receive <paramref name="g"/> (summed where an expanded view repeats an element). The differentiable backward of
    /// every view; its own backward reads the view back out of the gradient.
    /// </summary>
    /// <remarks>PyTorch: e.g. <c>narrow</c>'s backward <c>zeros(base).narrow(...).copy_(g)</c>, <c>expand</c>'s <c>sum_to_size</c>.</remarks>
    internal static Tensor<T> ViewAdjoint<T>(Tensor<T> g, Shape baseShape, ViewLayout layout, string opName)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var output = new Tensor<T>(baseShape);
        Strided.ScatterAdd(g.KernelReadSpan, output.KernelWriteSpan, layout.Offset, layout.Shape.Dims, layout.Strides);
        if (Tape.ShouldRecord(g))
        {
            Tape.Record(new ViewAdjointBackward<T>(output, g, layout, opName));
        }

        return output;
    }
}

/// <summary>Backward of every view op (Narrow, Select, Transpose, Permute, Expand, View, Squeeze, Unsqueeze, indexers).</summary>
file sealed class ViewBackward<T> : TapeEntry<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly ViewLayout _layout;
    private readonly string _opName;

    public ViewBackward(Tensor<T> output, Tensor<T> x, ViewLayout layout, string opName)
        : base(output, x)
    {
        (_layout, _opName) = (layout, opName);
        SaveForBackward(output: false);
    }

    public override string OpName => _opName;

    // out[i] = x.flat[offset + Σ i[d] stride[d]], so dL/dx.flat[offset + Σ i[d] stride[d]] += g[i] (summed where stride 0 repeats).
    public override void Backward()
    {
        Span<T> grad = GradFor(0);
        ReadOnlySpan<T> g = GradOutput;
        if (_layout.IsRun)
        {
            InPlace.Add(grad.Slice(_layout.Offset, g.Length), g);
        }
        else
        {
            Strided.ScatterAdd(g, grad, _layout.Offset, _layout.Shape.Dims, _layout.Strides);
        }
    }

    protected override Tensor<T>?[] DifferentiableBackward(Tensor<T> gradOutput) => [Ops.ViewAdjoint(gradOutput, Inputs[0].Shape, _layout, _opName)];
}

/// <summary>Backward of <see cref="Ops.ViewAdjoint{T}"/>: the view read back out of the gradient.</summary>
file sealed class ViewAdjointBackward<T> : TapeEntry<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly ViewLayout _layout;
    private readonly string _opName;

    public ViewAdjointBackward(Tensor<T> output, Tensor<T> g, ViewLayout layout, string opName)
        : base(output, g)
    {
        (_layout, _opName) = (layout, opName);
        SaveForBackward(output: false);
    }

    public override string OpName => _opName + "Backward";

    // out.flat[offset + Σ i[d] stride[d]] += g[i]: dL/dg[i] += gradOutput.flat[offset + Σ i[d] stride[d]].
    public override void Backward() => Strided.GatherAdd(GradOutput, _layout.Offset, _layout.Shape.Dims, _layout.Strides, GradFor(0));

    protected override Tensor<T>?[] DifferentiableBackward(Tensor<T> gradOutput) => [Ops.ViewOfLayout(gradOutput.Contiguous(), _layout, _opName)];
}

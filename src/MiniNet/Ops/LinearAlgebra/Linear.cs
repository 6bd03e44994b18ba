using System;
using System.Numerics;

namespace MiniNet;

public static partial class Ops
{
    /// <summary>
    /// Affine map of a batch of rows: <c>[n, in] -> [n, out]</c>, effectively
    /// <c>y[i, j] = sum_p x[i, p] * weight[j, p] + bias[j]</c>, i.e. <c>y = x W^T + b</c>.
    /// </summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="x">The input, <c>[n, in]</c>.</param>
    /// <param name="weight">The weight, stored <c>[out, in]</c> as in PyTorch (one row per output feature).</param>
    /// <param name="bias">The bias, <c>[out]</c>, or null for none.</param>
    /// <returns>The output, <c>[n, out]</c>.</returns>
    /// <remarks>
    /// PyTorch: <c>torch.nn.functional.linear(x, weight, bias)</c>. One tape entry; the transpose of the weight is
    /// read in place, never materialised. Backward: <c>dX = G W</c>, <c>dW = G^T X</c>, <c>db = sum over rows of G</c>.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="x"/> or <paramref name="weight"/> is null.</exception>
    /// <exception cref="ArgumentException">A rank is not 2 (1 for the bias) or the feature sizes disagree; the message names the shapes.</exception>
    public static Tensor<T> Linear<T>(this Tensor<T> x, Tensor<T> weight, Tensor<T>? bias = null)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(weight);
        if (x.Rank != 2 || weight.Rank != 2)
        {
            throw new ArgumentException($"Linear needs x [n, in] and weight [out, in]; got x {x.Shape} and weight {weight.Shape}.");
        }

        int n = x.Shape.Dims[0], inFeatures = x.Shape.Dims[1], outFeatures = weight.Shape.Dims[0];
        if (weight.Shape.Dims[1] != inFeatures)
        {
            throw new ArgumentException($"Linear: x {x.Shape} has {inFeatures} features but weight {weight.Shape} expects {weight.Shape.Dims[1]}.");
        }

        if (bias is not null && (bias.Rank != 1 || bias.Shape.Dims[0] != outFeatures))
        {
            throw new ArgumentException($"Linear: bias {bias.Shape} must be [{outFeatures}] for weight {weight.Shape}.");
        }

        var output = Tensor<T>.Uninitialized(LinearShapes.Output(x.Shape, weight.Shape, n, outFeatures));
        LinearForward.Run(x, weight, bias, output);
        bool record = bias is null ? Tape.ShouldRecord(x, weight) : Tape.ShouldRecord(x, weight) || Tape.ShouldRecord(bias);
        if (record)
        {
            Tape.Record(bias is null
                ? new LinearBackward<T>(output, n, inFeatures, outFeatures, x, weight)
                : new LinearBackward<T>(output, n, inFeatures, outFeatures, x, weight, bias));
        }

        return output;
    }
}

/// <summary>Backward of <c>x W^T + b</c>.</summary>
file sealed class LinearBackward<T> : TapeEntry<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly int _n, _in, _out;

    public LinearBackward(Tensor<T> output, int n, int inFeatures, int outFeatures, params ReadOnlySpan<Tensor<T>> inputs)
        : base(output, inputs)
    {
        (_n, _in, _out) = (n, inFeatures, outFeatures);
        SaveForBackward(output: false, 0, 1);
    }

    public override string OpName => "Linear";

    public override bool CanReplayForward => true;

    public override void ReplayForward() => LinearForward.Run(Inputs[0], Inputs[1], Inputs.Length == 3 ? Inputs[2] : null, Output);

    // Y = X W^T + 1 b^T  =>  dX = G W ([n,out] x [out,in]),  dW = G^T X ([out,n] x [n,in]),  db[j] = sum_i G[i, j].
    public override void Backward()
    {
        // Buffers released by an optimizer's ZeroGrad hold stale values: write into them (accumulate off) instead
        // of clearing and adding, which saves a pass over the weight gradient every step.
        ReadOnlySpan<T> g = GradOutput;
        if (NeedsGrad(0))
        {
            Span<T> gradX = GradFor(0, out bool accumulate);
            Gemm.Multiply<T>(g, false, Inputs[1].KernelReadSpan, false, gradX, _n, _in, _out, accumulate);
        }

        if (NeedsGrad(1) && InBackward<T>.TryTakePlainStep(Inputs[1], out T lr))
        {
            // Optimizer in backward, plain SGD, sole user of W (dX above already read it): W += (-lr G)^T X in the
            // GEMM, so the gradient is never written nor re-read by a separate update pass.
            T[] scaled = BufferPool<T>.Rent(g.Length);
            System.Numerics.Tensors.TensorPrimitives.Multiply(g, -lr, scaled.AsSpan(0, g.Length));
            Gemm.Multiply<T>(scaled.AsSpan(0, g.Length), true, Inputs[0].KernelReadSpan, false, Inputs[1].AsSpanForWrite(), _out, _in, _n, accumulate: true);
            BufferPool<T>.Return(scaled);
        }
        else if (NeedsGrad(1))
        {
            Span<T> gradW = GradFor(1, out bool accumulate);
            Gemm.Multiply<T>(g, true, Inputs[0].KernelReadSpan, false, gradW, _out, _in, _n, accumulate);
        }

        if (Inputs.Length == 3 && NeedsGrad(2))
        {
            BiasBackward(g);
        }
    }

    // db = sum over rows of G, or with a fusable optimizer step, b -= lr * db (the same rounding as Step()).
    private void BiasBackward(ReadOnlySpan<T> g)
    {
        bool step = InBackward<T>.TryTakePlainStep(Inputs[2], out T lr);
        T[]? sum = step ? BufferPool<T>.Rent(_out) : null;
        bool accumulate = false;
        Span<T> grad = step ? sum.AsSpan(0, _out) : GradFor(2, out accumulate);
        if (!accumulate)
        {
            grad.Clear();
        }

        for (int i = 0; i < _n; i++)
        {
            InPlace.Add(grad, g.Slice(i * _out, _out));
        }

        if (sum is not null)
        {
            InPlace.Axpy(Inputs[2].AsSpanForWrite(), -lr, grad);
            BufferPool<T>.Return(sum);
        }
    }

    protected override Tensor<T>?[] DifferentiableBackward(Tensor<T> gradOutput)
    {
        var grads = new Tensor<T>?[Inputs.Length];
        grads[0] = NeedsGrad(0) ? gradOutput.MatMul(Inputs[1]) : null;
        grads[1] = NeedsGrad(1) ? gradOutput.Transpose().MatMul(Inputs[0]) : null;
        if (grads.Length == 3)
        {
            grads[2] = NeedsGrad(2) ? gradOutput.Sum(0) : null;
        }

        return grads;
    }
}

/// <summary>The forward kernel, shared by the op and a captured step's replay.</summary>
file static class LinearForward
{
    // Every element is written: bias rows first (then accumulated into), or the GEMM overwrites.
    public static void Run<T>(Tensor<T> x, Tensor<T> weight, Tensor<T>? bias, Tensor<T> output)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int n = output.Shape.Dims[0], outFeatures = output.Shape.Dims[1], inFeatures = x.Shape.Dims[1];
        Span<T> y = output.KernelWriteSpan;
        if (bias is not null)
        {
            ReadOnlySpan<T> b = bias.KernelReadSpan;
            for (int i = 0; i < n; i++)
            {
                b.CopyTo(y.Slice(i * outFeatures, outFeatures));
            }
        }

        Gemm.Multiply<T>(x.KernelReadSpan, false, weight.KernelReadSpan, true, y, n, outFeatures, inFeatures, accumulate: bias is not null);
        GC.KeepAlive(x); // kernel spans do not keep storage from the pool (see StoragePool)
        GC.KeepAlive(weight);
    }
}

/// <summary>
/// Reuses the output shapes of recent Linear calls on this thread: a training loop asks for the same few
/// <c>[n, out]</c> every step, and a fresh <see cref="Shape"/> (and its dims array) was 2 of the step's allocations
/// per layer. Shapes are immutable, so tensors may share one.
/// </summary>
file static class LinearShapes
{
    private const int Size = 4;

    [ThreadStatic]
    private static Shape?[]? t_recent;

    [ThreadStatic]
    private static int t_next;

    public static Shape Output(Shape x, Shape weight, int n, int outFeatures)
    {
        Shape?[] recent = t_recent ??= new Shape?[Size];
        foreach (Shape? shape in recent)
        {
            if (shape is not null && shape.Dims[0] == n && shape.Dims[1] == outFeatures)
            {
                return shape;
            }
        }

        Shape created = Shape.OfResult("Linear", x, " with weight ", weight, n, outFeatures);
        recent[t_next] = created;
        t_next = (t_next + 1) % Size;
        return created;
    }
}

using System;
using System.Numerics;
using System.Numerics.Tensors;

namespace MiniNet;

public static partial class Ops
{
    /// <summary>
    /// The vector p-norm over <paramref name="axes"/>: <c>(sum |x|^p)^(1/p)</c>; <c>p = 2</c> (default) is the Euclidean
    /// norm, <c>p = 1</c> the sum of magnitudes, <c>p = +inf</c> the largest magnitude.
    /// </summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="x">The input.</param>
    /// <param name="p">The order: any finite <c>p &gt;= 1</c>, or <see cref="double.PositiveInfinity"/>.</param>
    /// <param name="axes">The axes to reduce, each at most once; null or empty reduces every axis (the whole tensor as one vector).</param>
    /// <param name="keepDim">Keep the reduced axes with size 1.</param>
    /// <returns>The norms; 0 over empty axes for finite p.</returns>
    /// <remarks>
    /// PyTorch: <c>torch.linalg.vector_norm(x, ord=p, dim, keepdim)</c> (also <c>torch.norm(x, p, dim)</c>). Gradients follow
    /// PyTorch's subgradient choices: at a zero vector the 2-norm (and every <c>p &gt; 1</c>) has gradient 0; the 1-norm's is
    /// <c>sign(x)</c>, 0 at x = 0; the inf-norm's is <c>sign(x)</c> split evenly between the elements of largest magnitude.
    /// The 2-norm sums plain squares, so it overflows to inf above ~1.8e19 (float) as PyTorch's does.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="p"/> is below 1 or NaN, or an axis is outside <c>[-Rank, Rank)</c>.</exception>
    /// <exception cref="ArgumentException">An axis appears twice, or the inf-norm of an empty reduction is asked.</exception>
    public static Tensor<T> Norm<T>(this Tensor<T> x, double p = 2, int[]? axes = null, bool keepDim = false)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(x);
        if (!(p >= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(p), p, $"Norm: order p = {p} is not supported (shape {x.Shape}); use a finite p >= 1 or double.PositiveInfinity.");
        }

        var reduced = ReducedAxes.Of(x.Shape, axes, keepDim, nameof(Norm));
        if (double.IsPositiveInfinity(p) && reduced.Count == 0)
        {
            throw new ArgumentException($"Norm: the inf-norm of an empty reduction (shape {x.Shape}) is undefined: max over no elements.", nameof(x));
        }

        var output = new Tensor<T>(reduced.Output);
        Span<T> y = output.KernelWriteSpan;
        int count = x.Count;
        T[] buffer = BufferPool<T>.Rent(count);
        Span<T> terms = buffer.AsSpan(0, count);
        TensorPrimitives.Abs(x.KernelReadSpan, terms); // x stays reachable: x.Shape is read below
        if (double.IsPositiveInfinity(p))
        {
            NormKernel.MaxTo(terms, x.Shape, y, reduced.Kept);
        }
        else
        {
            T order = T.CreateTruncating(p);
            if (p != 1)
            {
                TensorPrimitives.Pow(terms, order, terms);
            }

            Broadcast.AccumulateSumTo<T>(terms, x.Shape, y, reduced.Kept);
            if (p == 2)
            {
                TensorPrimitives.Sqrt(y, y);
            }
            else if (p != 1)
            {
                TensorPrimitives.Pow(y, T.One / order, y);
            }
        }

        BufferPool<T>.Return(buffer);
        if (Tape.ShouldRecord(x))
        {
            Tape.Record(new NormBackward<T>(output, x, reduced, p));
        }

        return output;
    }
}

/// <summary>Backward of the p-norm.</summary>
file sealed class NormBackward<T> : TapeEntry<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly ReducedAxes _axes;
    private readonly double _p;

    public NormBackward(Tensor<T> output, Tensor<T> x, ReducedAxes axes, double p)
        : base(output, x)
    {
        (_axes, _p) = (axes, p);
        SaveForBackward(output: true, 0);
    }

    public override string OpName => "Norm";

    // d||x||_p/dx = sign(x) |x|^(p-1) / ||x||^(p-1) (x / ||x|| for p = 2, sign(x) for p = 1), 0 where ||x|| = 0;
    // p = inf: sign(x) at the c elements with |x| = ||x||, divided by c.
    public override void Backward()
    {
        Span<T> grad = GradFor(0);
        T[] weights = Weights();
        T[] upstream = Expanded(GradOutput);
        for (int i = 0; i < grad.Length; i++)
        {
            grad[i] += upstream[i] * weights[i];
        }

        BufferPool<T>.Return(weights);
        BufferPool<T>.Return(upstream);
    }

    protected override Tensor<T>?[] DifferentiableBackward(Tensor<T> gradOutput)
    {
        Tensor<T> x = Inputs[0];
        if (_p == 1 || double.IsPositiveInfinity(_p))
        {
            T[] weights = Weights();
            Tensor<T> constant = Tensor.FromArray<T>(weights.AsSpan(0, x.Count), x.Shape);
            BufferPool<T>.Return(weights);
            return [Spread(gradOutput).Mul(constant)];
        }

        // g / ||x||^(p-1), 0 where the norm is 0: the zero mask is constant and keeps the division finite.
        Tensor<T> zero = Derivatives.Constant(Output, n => n == T.Zero ? T.One : T.Zero);
        Tensor<T> nonZero = Derivatives.Constant(Output, n => n == T.Zero ? T.Zero : T.One);
        Tensor<T> safe = Output.Add(zero);
        Tensor<T> scale = gradOutput.Mul(nonZero).Div(_p == 2 ? safe : safe.Pow(T.CreateTruncating(_p - 1)));
        Tensor<T> direction = _p == 2 ? x : x.Abs().Pow(T.CreateTruncating(_p - 1)).Mul(Derivatives.Constant(x, v => T.CreateTruncating(T.Sign(v))));
        return [Spread(scale).Mul(direction)];
    }

    private Tensor<T> Spread(Tensor<T> g) => Derivatives.ExpandTo(g.Shape == _axes.Kept ? g : g.Reshape(_axes.Kept.ToArray()), _axes.Input);

    private T[] Expanded(ReadOnlySpan<T> reduced)
    {
        T[] result = BufferPool<T>.Rent(_axes.Input.ElementCount);
        Broadcast.Expand(reduced, _axes.Kept, result.AsSpan(0, _axes.Input.ElementCount), _axes.Input);
        return result;
    }

    // dnorm/dx per element (pooled buffer of the input's size).
    private T[] Weights()
    {
        ReadOnlySpan<T> x = Inputs[0].KernelReadSpan;
        T[] norm = Expanded(Output.KernelReadSpan);
        T[] weights = BufferPool<T>.Rent(x.Length);
        T pm1 = T.CreateTruncating(_p - 1);
        bool inf = double.IsPositiveInfinity(_p);
        for (int i = 0; i < x.Length; i++)
        {
            T sign = T.CreateTruncating(T.Sign(x[i]));
            T n = norm[i];
            weights[i] = _p == 1 ? sign
                : inf ? (T.Abs(x[i]) == n ? sign : T.Zero)
                : n == T.Zero ? T.Zero
                : _p == 2 ? x[i] / n
                : sign * T.Pow(T.Abs(x[i]) / n, pm1);
        }

        if (inf)
        {
            // Divide by the number of tied maxima of each output.
            T[] ties = BufferPool<T>.Rent(x.Length);
            for (int i = 0; i < x.Length; i++)
            {
                ties[i] = T.Abs(x[i]) == norm[i] ? T.One : T.Zero;
            }

            var counts = new T[_axes.Kept.ElementCount];
            Broadcast.AccumulateSumTo<T>(ties.AsSpan(0, x.Length), _axes.Input, counts, _axes.Kept);
            Broadcast.Expand<T>(counts, _axes.Kept, ties.AsSpan(0, x.Length), _axes.Input);
            TensorPrimitives.Divide(weights.AsSpan(0, x.Length), ties.AsSpan(0, x.Length), weights.AsSpan(0, x.Length));
            BufferPool<T>.Return(ties);
        }

        BufferPool<T>.Return(norm);
        return weights;
    }
}

/// <summary>The max over broadcast-reduced axes (the inf-norm's forward), a companion to <see cref="Broadcast.AccumulateSumTo{T}"/>.</summary>
file static class NormKernel
{
    public static void MaxTo<T>(ReadOnlySpan<T> x, Shape from, Span<T> y, Shape to)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        // |x| >= 0, so 0 is a safe start; NaN propagates through the explicit check.
        y.Clear();
        var rows = new Broadcast.RowWalker(to, from);
        while (rows.MoveNext())
        {
            ReadOnlySpan<T> row = x.Slice(rows.Offset, rows.Length);
            for (int j = 0; j < row.Length; j++)
            {
                int target = rows.SourceOffset + (rows.SourceStride == 0 ? 0 : j);
                if (row[j] > y[target] || T.IsNaN(row[j]))
                {
                    y[target] = T.IsNaN(y[target]) ? y[target] : row[j];
                }
            }
        }
    }
}

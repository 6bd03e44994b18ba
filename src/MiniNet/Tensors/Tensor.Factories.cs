using System;
using System.Numerics;

namespace MiniNet;

/// <summary>
/// Factories for <see cref="Tensor{T}"/>. The non-generic overloads create <see cref="float"/> tensors; the
/// generic ones (<c>Tensor.Zeros&lt;double&gt;(2, 3)</c>) pick the element type.
/// </summary>
/// <remarks>PyTorch: <c>torch.zeros</c>, <c>torch.ones</c>, <c>torch.full</c>, <c>torch.arange</c>, <c>torch.tensor</c>, <c>torch.rand</c>, <c>torch.randn</c>.</remarks>
public static class Tensor
{
    /// <summary>A tensor of zeros.</summary>
    /// <param name="shape">The sizes.</param>
    /// <returns>The tensor.</returns>
    public static Tensor<float> Zeros(params int[] shape) => Zeros<float>(shape);

    /// <summary>A tensor of zeros.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="shape">The sizes.</param>
    /// <returns>The tensor.</returns>
    public static Tensor<T> Zeros<T>(params int[] shape)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> => new(new Shape(shape));

    /// <summary>A tensor of ones.</summary>
    /// <param name="shape">The sizes.</param>
    /// <returns>The tensor.</returns>
    public static Tensor<float> Ones(params int[] shape) => Full(1f, shape);

    /// <summary>A tensor of ones.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="shape">The sizes.</param>
    /// <returns>The tensor.</returns>
    public static Tensor<T> Ones<T>(params int[] shape)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> => Full(T.One, shape);

    /// <summary>A tensor with every element equal to <paramref name="value"/>.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="value">The fill value.</param>
    /// <param name="shape">The sizes.</param>
    /// <returns>The tensor.</returns>
    public static Tensor<T> Full<T>(T value, params int[] shape)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var t = new Tensor<T>(new Shape(shape));
        t.KernelWriteSpan.Fill(value);
        return t;
    }

    /// <summary>A rank-0 tensor holding one value.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="value">The value.</param>
    /// <returns>The scalar tensor.</returns>
    public static Tensor<T> Scalar<T>(T value)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> => Full(value);

    /// <summary>
    /// <see cref="Arange{T}(T, T, T)"/> with double arguments, so that <c>Tensor.Arange&lt;float&gt;(0, 1, 0.1)</c>
    /// compiles (as <c>torch.arange(0, 1, 0.1, dtype=torch.float32)</c>); each argument is rounded to
    /// <typeparamref name="T"/> first.
    /// </summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="start">The first value.</param>
    /// <param name="end">The exclusive end.</param>
    /// <param name="step">The step; must not be zero.</param>
    /// <returns>The tensor.</returns>
    /// <exception cref="ArgumentException"><paramref name="step"/> is zero or not finite.</exception>
    public static Tensor<T> Arange<T>(double start, double end, double step)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        Arange(T.CreateChecked(start), T.CreateChecked(end), T.CreateChecked(step));

    /// <summary>The values <c>start, start + step, ...</c> below <paramref name="end"/>, as a 1-D tensor.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="start">The first value.</param>
    /// <param name="end">The exclusive end.</param>
    /// <param name="step">The step; must not be zero.</param>
    /// <returns>The tensor.</returns>
    /// <exception cref="ArgumentException"><paramref name="step"/> is zero or not finite.</exception>
    public static Tensor<T> Arange<T>(T start, T end, T step)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (T.IsZero(step) || !T.IsFinite(step))
        {
            throw new ArgumentException($"Arange needs a finite non-zero step, got {step}.", nameof(step));
        }

        double n = Math.Ceiling(double.CreateChecked(end - start) / double.CreateChecked(step));
        int count = n > 0 ? checked((int)n) : 0;
        var t = new Tensor<T>(new Shape(count));
        Span<T> span = t.KernelWriteSpan;
        for (int i = 0; i < count; i++)
        {
            span[i] = start + (T.CreateChecked(i) * step);
        }

        return t;
    }

    /// <summary><c>0, 1, ..., count - 1</c> as a float tensor.</summary>
    /// <param name="count">The number of elements.</param>
    /// <returns>The tensor.</returns>
    public static Tensor<float> Arange(int count) => Arange(0f, count, 1f);

    /// <summary>A tensor holding a copy of <paramref name="values"/> with the given shape.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="values">Row-major values; the count must match the shape.</param>
    /// <param name="shape">The sizes; when omitted, a 1-D tensor of <c>values.Length</c> elements.</param>
    /// <returns>The tensor.</returns>
    /// <exception cref="ArgumentException">The number of values does not match the shape.</exception>
    public static Tensor<T> FromArray<T>(ReadOnlySpan<T> values, params int[] shape)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(shape);
        return FromArray(values, shape.Length == 0 ? new Shape(values.Length) : new Shape(shape));
    }

    /// <summary>A tensor holding a copy of <paramref name="values"/> with exactly the given shape (rank 0 allowed).</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="values">Row-major values; the count must match the shape.</param>
    /// <param name="shape">The shape.</param>
    /// <returns>The tensor.</returns>
    /// <exception cref="ArgumentException">The number of values does not match the shape.</exception>
    public static Tensor<T> FromArray<T>(ReadOnlySpan<T> values, Shape shape)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(shape);
        if (shape.ElementCount != values.Length)
        {
            throw new ArgumentException($"{values.Length} values cannot fill shape {shape} ({shape.ElementCount} elements).", nameof(values));
        }

        var t = new Tensor<T>(shape);
        values.CopyTo(t.KernelWriteSpan);
        return t;
    }

    /// <summary>A tensor holding a copy of <paramref name="values"/> with the given shape.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="values">Row-major values.</param>
    /// <param name="shape">The sizes; when omitted, 1-D.</param>
    /// <returns>The tensor.</returns>
    public static Tensor<T> FromArray<T>(T[] values, params int[] shape)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> => FromArray((ReadOnlySpan<T>)values, shape);

    /// <summary>Uniform samples in <c>[0, 1)</c> from <paramref name="rng"/>.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="rng">The generator; the same seed gives the same tensor.</param>
    /// <param name="shape">The sizes.</param>
    /// <returns>The tensor.</returns>
    public static Tensor<T> Rand<T>(Rng rng, params int[] shape)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(rng);
        var t = new Tensor<T>(new Shape(shape));
        Span<T> span = t.KernelWriteSpan;
        for (int i = 0; i < span.Length; i++)
        {
            span[i] = T.CreateTruncating(rng.NextDouble());
        }

        return t;
    }

    /// <summary>Standard normal samples N(0, 1) from <paramref name="rng"/>.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="rng">The generator; the same seed gives the same tensor.</param>
    /// <param name="shape">The sizes.</param>
    /// <returns>The tensor.</returns>
    public static Tensor<T> Randn<T>(Rng rng, params int[] shape)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(rng);
        var t = new Tensor<T>(new Shape(shape));
        Span<T> span = t.KernelWriteSpan;
        for (int i = 0; i < span.Length; i++)
        {
            span[i] = T.CreateTruncating(rng.NextGaussian());
        }

        return t;
    }

    /// <summary>Uniform float samples in <c>[0, 1)</c>.</summary>
    /// <param name="rng">The generator.</param>
    /// <param name="shape">The sizes.</param>
    /// <returns>The tensor.</returns>
    public static Tensor<float> Rand(Rng rng, params int[] shape) => Rand<float>(rng, shape);

    /// <summary>Standard normal float samples.</summary>
    /// <param name="rng">The generator.</param>
    /// <param name="shape">The sizes.</param>
    /// <returns>The tensor.</returns>
    public static Tensor<float> Randn(Rng rng, params int[] shape) => Randn<float>(rng, shape);
}

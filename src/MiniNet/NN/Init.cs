using System;
using System.Numerics;

namespace MiniNet.NN;

/// <summary>How a layer (<see cref="Linear{T}"/>, a convolution) initialises its weight <c>[out, in, ...]</c> and bias <c>[out]</c>; fans as in <see cref="Init.Fans{T}"/>.</summary>
public enum InitScheme
{
    /// <summary>
    /// PyTorch's <c>nn.Linear</c> and <c>nn.Conv2d</c> default: weight and bias <c>U(-1/sqrt(fanIn), 1/sqrt(fanIn))</c>
    /// (<c>kaiming_uniform_(a=sqrt(5))</c> for the weight). The default of <see cref="Linear{T}"/>.
    /// </summary>
    PyTorchDefault,

    /// <summary>Nielsen's default (chapter 3): weight <c>N(0, 1/in)</c>, i.e. std <c>1/sqrt(in)</c>; bias <c>N(0, 1)</c>.</summary>
    Nielsen,

    /// <summary>Nielsen's "large" initialisation (chapter 1): weight and bias <c>N(0, 1)</c>.</summary>
    NielsenLarge,

    /// <summary>Glorot uniform weight <c>U(-a, a)</c>, <c>a = sqrt(6 / (in + out))</c>; zero bias.</summary>
    XavierUniform,

    /// <summary>Glorot normal weight, std <c>sqrt(2 / (in + out))</c>; zero bias.</summary>
    XavierNormal,

    /// <summary>He uniform weight for ReLU, <c>U(-a, a)</c>, <c>a = sqrt(6 / in)</c>; zero bias.</summary>
    KaimingUniform,

    /// <summary>He normal weight for ReLU, std <c>sqrt(2 / in)</c>; zero bias.</summary>
    KaimingNormal,
}

/// <summary>
/// Parameter initialisers, filling tensors in place from a seeded <see cref="Rng"/>. Weights are laid out
/// <c>[out, in, k1, ...]</c> as in PyTorch, so <c>fanIn = in * k1 * ...</c> and <c>fanOut = out * k1 * ...</c> (<see cref="Fans{T}"/>).
/// </summary>
/// <remarks>PyTorch: <c>torch.nn.init</c>. Fills are not recorded on the tape and bump the tensor's version.</remarks>
public static class Init
{
    /// <summary>Fills <paramref name="tensor"/> with samples of <c>N(mean, std^2)</c>.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="tensor">The tensor to overwrite.</param>
    /// <param name="rng">The generator.</param>
    /// <param name="mean">The mean.</param>
    /// <param name="std">The standard deviation, non-negative.</param>
    /// <remarks>PyTorch: <c>nn.init.normal_(tensor, mean, std)</c>.</remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="std"/> is negative or not finite.</exception>
    public static void Normal<T>(Tensor<T> tensor, Rng rng, double mean = 0, double std = 1)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(tensor);
        ArgumentNullException.ThrowIfNull(rng);
        if (!(std >= 0) || !double.IsFinite(std))
        {
            throw new ArgumentOutOfRangeException(nameof(std), std, "The standard deviation must be finite and non-negative.");
        }

        Span<T> span = tensor.AsSpanForWrite();
        for (int i = 0; i < span.Length; i++)
        {
            span[i] = T.CreateTruncating(mean + (std * rng.NextGaussian()));
        }
    }

    /// <summary>Fills <paramref name="tensor"/> with samples of <c>U(low, high)</c>.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="tensor">The tensor to overwrite.</param>
    /// <param name="rng">The generator.</param>
    /// <param name="low">The lower bound.</param>
    /// <param name="high">The upper bound, at least <paramref name="low"/>.</param>
    /// <remarks>PyTorch: <c>nn.init.uniform_(tensor, a, b)</c>.</remarks>
    /// <exception cref="ArgumentException">The bounds are not finite or <paramref name="high"/> &lt; <paramref name="low"/>.</exception>
    public static void Uniform<T>(Tensor<T> tensor, Rng rng, double low, double high)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(tensor);
        ArgumentNullException.ThrowIfNull(rng);
        if (!double.IsFinite(low) || !double.IsFinite(high) || high < low)
        {
            throw new ArgumentException($"Uniform needs finite bounds with low <= high, got [{low}, {high}).");
        }

        Span<T> span = tensor.AsSpanForWrite();
        for (int i = 0; i < span.Length; i++)
        {
            span[i] = T.CreateTruncating(low + ((high - low) * rng.NextDouble()));
        }
    }

    /// <summary>Glorot uniform: <c>U(-a, a)</c> with <c>a = gain * sqrt(6 / (fanIn + fanOut))</c>.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="weight">A weight <c>[out, in, ...]</c>.</param>
    /// <param name="rng">The generator.</param>
    /// <param name="gain">The scaling gain (1 for linear/sigmoid, 5/3 for tanh in PyTorch's table).</param>
    /// <remarks>PyTorch: <c>nn.init.xavier_uniform_(w, gain)</c>.</remarks>
    /// <exception cref="ArgumentException">The weight has rank below 2.</exception>
    public static void XavierUniform<T>(Tensor<T> weight, Rng rng, double gain = 1)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var (fanIn, fanOut) = Fans(weight);
        double a = gain * Math.Sqrt(6.0 / Math.Max(1, fanIn + fanOut));
        Uniform(weight, rng, -a, a);
    }

    /// <summary>Glorot normal: <c>N(0, std^2)</c> with <c>std = gain * sqrt(2 / (fanIn + fanOut))</c>.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="weight">A weight <c>[out, in, ...]</c>.</param>
    /// <param name="rng">The generator.</param>
    /// <param name="gain">The scaling gain.</param>
    /// <remarks>PyTorch: <c>nn.init.xavier_normal_(w, gain)</c>.</remarks>
    /// <exception cref="ArgumentException">The weight has rank below 2.</exception>
    public static void XavierNormal<T>(Tensor<T> weight, Rng rng, double gain = 1)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var (fanIn, fanOut) = Fans(weight);
        Normal(weight, rng, 0, gain * Math.Sqrt(2.0 / Math.Max(1, fanIn + fanOut)));
    }

    /// <summary>
    /// He uniform (fan-in mode, leaky-ReLU gain): <c>U(-b, b)</c>, <c>b = sqrt(2 / (1 + a^2)) * sqrt(3 / fanIn)</c>.
    /// With <c>a = 0</c> (ReLU) <c>b = sqrt(6 / fanIn)</c>; with <c>a = sqrt(5)</c>, <c>b = 1 / sqrt(fanIn)</c> (PyTorch's Linear default).
    /// </summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="weight">A weight <c>[out, in, ...]</c>.</param>
    /// <param name="rng">The generator.</param>
    /// <param name="a">The negative slope of the leaky ReLU that follows (0 for ReLU).</param>
    /// <remarks>PyTorch: <c>nn.init.kaiming_uniform_(w, a, mode='fan_in', nonlinearity='leaky_relu')</c>.</remarks>
    /// <exception cref="ArgumentException">The weight has rank below 2.</exception>
    public static void KaimingUniform<T>(Tensor<T> weight, Rng rng, double a = 0)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var (fanIn, _) = Fans(weight);
        double bound = Math.Sqrt(2.0 / (1 + (a * a))) * Math.Sqrt(3.0 / Math.Max(1, fanIn));
        Uniform(weight, rng, -bound, bound);
    }

    /// <summary>He normal (fan-in mode): <c>N(0, std^2)</c>, <c>std = sqrt(2 / (1 + a^2)) / sqrt(fanIn)</c>.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="weight">A weight <c>[out, in, ...]</c>.</param>
    /// <param name="rng">The generator.</param>
    /// <param name="a">The negative slope of the leaky ReLU that follows (0 for ReLU).</param>
    /// <remarks>PyTorch: <c>nn.init.kaiming_normal_(w, a, mode='fan_in', nonlinearity='leaky_relu')</c>.</remarks>
    /// <exception cref="ArgumentException">The weight has rank below 2.</exception>
    public static void KaimingNormal<T>(Tensor<T> weight, Rng rng, double a = 0)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var (fanIn, _) = Fans(weight);
        Normal(weight, rng, 0, Math.Sqrt(2.0 / (1 + (a * a))) / Math.Sqrt(Math.Max(1, fanIn)));
    }

    /// <summary>
    /// Initialises a layer's weight (<c>[out, in]</c> for a linear layer, <c>[out, in / groups, kH, kW]</c> for a
    /// convolution) and optional bias <c>[out]</c> by <paramref name="scheme"/>, with the fans of <see cref="Fans{T}"/>.
    /// </summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="scheme">The scheme; see <see cref="InitScheme"/> for each formula.</param>
    /// <param name="weight">The weight.</param>
    /// <param name="bias">The bias, or null.</param>
    /// <param name="rng">The generator; the weight is drawn first, then the bias.</param>
    /// <remarks>PyTorch: <c>nn.Linear.reset_parameters()</c> and <c>nn.Conv2d.reset_parameters()</c> for <see cref="InitScheme.PyTorchDefault"/>.</remarks>
    /// <exception cref="ArgumentException">The weight has rank below 2 or the scheme is unknown.</exception>
    public static void Linear<T>(InitScheme scheme, Tensor<T> weight, Tensor<T>? bias, Rng rng)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var (fanIn, _) = Fans(weight);
        double pyTorchBound = fanIn > 0 ? 1.0 / Math.Sqrt(fanIn) : 0;
        switch (scheme)
        {
            case InitScheme.PyTorchDefault: KaimingUniform(weight, rng, Math.Sqrt(5)); break;
            case InitScheme.Nielsen: Normal(weight, rng, 0, 1.0 / Math.Sqrt(Math.Max(1, fanIn))); break;
            case InitScheme.NielsenLarge: Normal(weight, rng); break;
            case InitScheme.XavierUniform: XavierUniform(weight, rng); break;
            case InitScheme.XavierNormal: XavierNormal(weight, rng); break;
            case InitScheme.KaimingUniform: KaimingUniform(weight, rng); break;
            case InitScheme.KaimingNormal: KaimingNormal(weight, rng); break;
            default: throw new ArgumentException($"Unknown initialisation scheme {scheme}.", nameof(scheme));
        }

        if (bias is null)
        {
            return;
        }

        switch (scheme)
        {
            case InitScheme.PyTorchDefault: Uniform(bias, rng, -pyTorchBound, pyTorchBound); break;
            case InitScheme.Nielsen or InitScheme.NielsenLarge: Normal(bias, rng); break;
            default: bias.AsSpanForWrite().Clear(); break;
        }
    }

    /// <summary>
    /// The fans of a layer weight <c>[out, in, k1, k2, ...]</c>: <c>fanIn = in * k1 * k2 * ...</c> and
    /// <c>fanOut = out * k1 * k2 * ...</c> (for a linear weight <c>[out, in]</c> simply <c>in</c> and <c>out</c>; for a
    /// convolution weight <c>[out, in / groups, kH, kW]</c>, <c>in / groups * kH * kW</c> and <c>out * kH * kW</c>).
    /// </summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="weight">A weight of rank 2 or more.</param>
    /// <returns>The fan-in and fan-out.</returns>
    /// <remarks>PyTorch: <c>torch.nn.init._calculate_fan_in_and_fan_out</c>.</remarks>
    /// <exception cref="ArgumentException">The weight has rank below 2.</exception>
    public static (int FanIn, int FanOut) Fans<T>(Tensor<T> weight)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(weight);
        if (weight.Rank < 2)
        {
            throw new ArgumentException($"Fan-based initialisers need a weight of rank 2 or more ([out, in, ...]), got {weight.Shape}.", nameof(weight));
        }

        ReadOnlySpan<int> dims = weight.Shape.Dims;
        int receptiveField = 1;
        for (int i = 2; i < dims.Length; i++)
        {
            receptiveField *= dims[i];
        }

        return (dims[1] * receptiveField, dims[0] * receptiveField);
    }
}

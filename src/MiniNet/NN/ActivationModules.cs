using System.Numerics;

namespace MiniNet.NN;

/// <summary>The logistic function as a layer: <c>Forward(x) = 1 / (1 + exp(-x))</c> elementwise; no parameters.</summary>
/// <typeparam name="T">float or double.</typeparam>
/// <remarks>
/// PyTorch: <c>torch.nn.Sigmoid</c>. Wraps <see cref="Ops.Sigmoid{T}"/>. For a sigmoid output trained with
/// cross-entropy, leave it out of the network and use <see cref="Ops.BinaryCrossEntropyWithLogits{T}"/> on the logits.
/// </remarks>
public class Sigmoid<T> : Module<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <summary>Applies the logistic function elementwise.</summary>
    /// <param name="input">Any tensor.</param>
    /// <returns>A tensor of the same shape with values in <c>[0, 1]</c>.</returns>
    public override Tensor<T> Forward(Tensor<T> input) => input.Sigmoid();
}

/// <summary>A float <see cref="Sigmoid{T}"/> layer.</summary>
/// <remarks>PyTorch: <c>torch.nn.Sigmoid</c>.</remarks>
public sealed class Sigmoid : Sigmoid<float>
{
}

/// <summary>The hyperbolic tangent as a layer: <c>Forward(x) = tanh(x)</c> elementwise; no parameters.</summary>
/// <typeparam name="T">float or double.</typeparam>
/// <remarks>PyTorch: <c>torch.nn.Tanh</c>. Wraps <see cref="Ops.Tanh{T}"/>.</remarks>
public class Tanh<T> : Module<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <summary>Applies tanh elementwise.</summary>
    /// <param name="input">Any tensor.</param>
    /// <returns>A tensor of the same shape with values in <c>[-1, 1]</c>.</returns>
    public override Tensor<T> Forward(Tensor<T> input) => input.Tanh();
}

/// <summary>A float <see cref="Tanh{T}"/> layer.</summary>
/// <remarks>PyTorch: <c>torch.nn.Tanh</c>.</remarks>
public sealed class Tanh : Tanh<float>
{
}

/// <summary>The rectifier as a layer: <c>Forward(x) = max(x, 0)</c> elementwise; no parameters.</summary>
/// <typeparam name="T">float or double.</typeparam>
/// <remarks>PyTorch: <c>torch.nn.ReLU</c>. Wraps <see cref="Ops.Relu{T}"/>.</remarks>
public class Relu<T> : Module<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <summary>Applies <c>max(x, 0)</c> elementwise.</summary>
    /// <param name="input">Any tensor.</param>
    /// <returns>A tensor of the same shape.</returns>
    public override Tensor<T> Forward(Tensor<T> input) => input.Relu();
}

/// <summary>A float <see cref="Relu{T}"/> layer.</summary>
/// <remarks>PyTorch: <c>torch.nn.ReLU</c>.</remarks>
public sealed class Relu : Relu<float>
{
}

/// <summary>Softmax over one axis as a layer: <c>Forward(x) = exp(x) / sum(exp(x), axis)</c>; no parameters.</summary>
/// <typeparam name="T">float or double.</typeparam>
/// <remarks>
/// PyTorch: <c>torch.nn.Softmax(dim)</c>. Wraps <see cref="Ops.Softmax{T}"/>. To train a classifier, leave it out and
/// give the logits to <see cref="Ops.CrossEntropy{T}(Tensor{T}, System.ReadOnlySpan{int}, Reduction)"/>.
/// </remarks>
public class Softmax<T> : Module<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <summary>Creates the layer.</summary>
    /// <param name="axis">The axis to normalise over; <c>-1</c> (the default) is the last, the class axis of <c>[N, classes]</c>.</param>
    public Softmax(int axis = -1) => Axis = axis;

    /// <summary>The axis normalised over.</summary>
    public int Axis { get; }

    /// <summary>Applies softmax along <see cref="Axis"/>.</summary>
    /// <param name="input">Any tensor with that axis.</param>
    /// <returns>A tensor of the same shape whose slices along the axis sum to 1.</returns>
    /// <exception cref="System.ArgumentOutOfRangeException">The axis is out of range for the input.</exception>
    public override Tensor<T> Forward(Tensor<T> input) => input.Softmax(Axis);
}

/// <summary>A float <see cref="Softmax{T}"/> layer.</summary>
/// <remarks>PyTorch: <c>torch.nn.Softmax(dim)</c>.</remarks>
public sealed class Softmax : Softmax<float>
{
    /// <inheritdoc cref="Softmax{T}(int)"/>
    public Softmax(int axis = -1)
        : base(axis)
    {
    }
}

/// <summary>Log-softmax over one axis as a layer: <c>Forward(x) = x - log(sum(exp(x), axis))</c>; no parameters.</summary>
/// <typeparam name="T">float or double.</typeparam>
/// <remarks>PyTorch: <c>torch.nn.LogSoftmax(dim)</c>. Wraps <see cref="Ops.LogSoftmax{T}"/>.</remarks>
public class LogSoftmax<T> : Module<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <summary>Creates the layer.</summary>
    /// <param name="axis">The axis to normalise over; <c>-1</c> (the default) is the last.</param>
    public LogSoftmax(int axis = -1) => Axis = axis;

    /// <summary>The axis normalised over.</summary>
    public int Axis { get; }

    /// <summary>Applies log-softmax along <see cref="Axis"/>.</summary>
    /// <param name="input">Any tensor with that axis.</param>
    /// <returns>A tensor of the same shape.</returns>
    /// <exception cref="System.ArgumentOutOfRangeException">The axis is out of range for the input.</exception>
    public override Tensor<T> Forward(Tensor<T> input) => input.LogSoftmax(Axis);
}

/// <summary>A float <see cref="LogSoftmax{T}"/> layer.</summary>
/// <remarks>PyTorch: <c>torch.nn.LogSoftmax(dim)</c>.</remarks>
public sealed class LogSoftmax : LogSoftmax<float>
{
    /// <inheritdoc cref="LogSoftmax{T}(int)"/>
    public LogSoftmax(int axis = -1)
        : base(axis)
    {
    }
}

/// <summary>The Gaussian error linear unit as a layer: <c>Forward(x) = x Phi(x)</c> elementwise (or its tanh form); no parameters.</summary>
/// <typeparam name="T">float or double.</typeparam>
/// <remarks>PyTorch: <c>torch.nn.GELU(approximate='none' | 'tanh')</c>. Wraps <see cref="Ops.Gelu{T}"/>.</remarks>
public class Gelu<T> : Module<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <summary>Creates the layer.</summary>
    /// <param name="approximate"><see cref="GeluApproximation.None"/> (exact, the default) or <see cref="GeluApproximation.Tanh"/>.</param>
    /// <exception cref="System.ArgumentException"><paramref name="approximate"/> is not a defined value.</exception>
    public Gelu(GeluApproximation approximate = GeluApproximation.None) =>
        Approximate = approximate is GeluApproximation.None or GeluApproximation.Tanh
            ? approximate
            : throw new System.ArgumentException($"nn.Gelu: approximate must be None or Tanh, got {(int)approximate}.", nameof(approximate));

    /// <summary>Which form is computed (PyTorch: <c>approximate</c>).</summary>
    public GeluApproximation Approximate { get; }

    /// <summary>Applies GELU elementwise.</summary>
    /// <param name="input">Any tensor.</param>
    /// <returns>A tensor of the same shape.</returns>
    public override Tensor<T> Forward(Tensor<T> input) => input.Gelu(Approximate);
}

/// <summary>A float <see cref="Gelu{T}"/> layer.</summary>
/// <remarks>PyTorch: <c>torch.nn.GELU</c>.</remarks>
public sealed class Gelu : Gelu<float>
{
    /// <inheritdoc cref="Gelu{T}(GeluApproximation)"/>
    public Gelu(GeluApproximation approximate = GeluApproximation.None)
        : base(approximate)
    {
    }
}

/// <summary>The sigmoid-weighted linear unit (swish) as a layer: <c>Forward(x) = x sigma(x)</c> elementwise; no parameters.</summary>
/// <typeparam name="T">float or double.</typeparam>
/// <remarks>PyTorch: <c>torch.nn.SiLU</c>. Wraps <see cref="Ops.Silu{T}"/>.</remarks>
public class Silu<T> : Module<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <summary>Applies <c>x sigma(x)</c> elementwise.</summary>
    /// <param name="input">Any tensor.</param>
    /// <returns>A tensor of the same shape.</returns>
    public override Tensor<T> Forward(Tensor<T> input) => input.Silu();
}

/// <summary>A float <see cref="Silu{T}"/> layer.</summary>
/// <remarks>PyTorch: <c>torch.nn.SiLU</c>.</remarks>
public sealed class Silu : Silu<float>
{
}

/// <summary>The leaky rectifier as a layer: <c>Forward(x) = x &gt; 0 ? x : negativeSlope x</c> elementwise; no parameters.</summary>
/// <typeparam name="T">float or double.</typeparam>
/// <remarks>PyTorch: <c>torch.nn.LeakyReLU(negative_slope)</c>. Wraps <see cref="Ops.LeakyRelu{T}"/>.</remarks>
public class LeakyRelu<T> : Module<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <summary>Creates the layer.</summary>
    /// <param name="negativeSlope">The slope for <c>x &lt;= 0</c> (PyTorch's default 0.01); finite.</param>
    /// <exception cref="System.ArgumentException"><paramref name="negativeSlope"/> is NaN or infinite.</exception>
    public LeakyRelu(double negativeSlope = 0.01) =>
        NegativeSlope = double.IsFinite(negativeSlope)
            ? negativeSlope
            : throw new System.ArgumentException($"nn.LeakyRelu: negativeSlope must be finite, got {negativeSlope}.", nameof(negativeSlope));

    /// <summary>The slope for <c>x &lt;= 0</c> (PyTorch: <c>negative_slope</c>).</summary>
    public double NegativeSlope { get; }

    /// <summary>Applies the leaky rectifier elementwise.</summary>
    /// <param name="input">Any tensor.</param>
    /// <returns>A tensor of the same shape.</returns>
    public override Tensor<T> Forward(Tensor<T> input) => input.LeakyRelu(NegativeSlope);
}

/// <summary>A float <see cref="LeakyRelu{T}"/> layer.</summary>
/// <remarks>PyTorch: <c>torch.nn.LeakyReLU</c>.</remarks>
public sealed class LeakyRelu : LeakyRelu<float>
{
    /// <inheritdoc cref="LeakyRelu{T}(double)"/>
    public LeakyRelu(double negativeSlope = 0.01)
        : base(negativeSlope)
    {
    }
}

/// <summary>The softplus as a layer: <c>Forward(x) = ln(1 + e^(beta x)) / beta</c>, and x where <c>beta x &gt; threshold</c>; no parameters.</summary>
/// <typeparam name="T">float or double.</typeparam>
/// <remarks>PyTorch: <c>torch.nn.Softplus(beta, threshold)</c>. Wraps <see cref="Ops.Softplus{T}"/>.</remarks>
public class Softplus<T> : Module<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <summary>Creates the layer.</summary>
    /// <param name="beta">The sharpness (default 1); positive and finite.</param>
    /// <param name="threshold">Above <c>beta x &gt; threshold</c> the layer returns x (default 20); not NaN.</param>
    /// <exception cref="System.ArgumentException"><paramref name="beta"/> is not positive and finite, or <paramref name="threshold"/> is NaN.</exception>
    public Softplus(double beta = 1, double threshold = 20)
    {
        if (!(beta > 0) || double.IsInfinity(beta) || double.IsNaN(threshold))
        {
            throw new System.ArgumentException(
                $"nn.Softplus: beta must be positive and finite and threshold not NaN, got beta = {beta}, threshold = {threshold}.",
                double.IsNaN(threshold) ? nameof(threshold) : nameof(beta));
        }

        (Beta, Threshold) = (beta, threshold);
    }

    /// <summary>The sharpness (PyTorch: <c>beta</c>).</summary>
    public double Beta { get; }

    /// <summary>Where the layer switches to the identity (PyTorch: <c>threshold</c>).</summary>
    public double Threshold { get; }

    /// <summary>Applies the softplus elementwise.</summary>
    /// <param name="input">Any tensor.</param>
    /// <returns>A tensor of the same shape.</returns>
    public override Tensor<T> Forward(Tensor<T> input) => input.Softplus(Beta, Threshold);
}

/// <summary>A float <see cref="Softplus{T}"/> layer.</summary>
/// <remarks>PyTorch: <c>torch.nn.Softplus</c>.</remarks>
public sealed class Softplus : Softplus<float>
{
    /// <inheritdoc cref="Softplus{T}(double, double)"/>
    public Softplus(double beta = 1, double threshold = 20)
        : base(beta, threshold)
    {
    }
}

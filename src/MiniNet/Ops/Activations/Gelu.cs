using System;
using System.Numerics;

namespace MiniNet;

public static partial class Ops
{
    /// <summary>
    /// The Gaussian error linear unit, elementwise: <c>out[i] = x[i] Phi(x[i])</c> with <c>Phi(x) = (1 + erf(x / sqrt 2)) / 2</c>
    /// the standard normal CDF, or its tanh approximation.
    /// </summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="x">The input.</param>
    /// <param name="approximate"><see cref="GeluApproximation.None"/> (exact, the default) or <see cref="GeluApproximation.Tanh"/>.</param>
    /// <returns>A tensor of <paramref name="x"/>'s shape.</returns>
    /// <remarks>
    /// PyTorch: <c>F.gelu(x, approximate='none' | 'tanh')</c>. The exact form takes Phi for negative x from
    /// <c>erfc(|x| / sqrt 2) / 2</c>, so the left tail keeps its relative accuracy (PyTorch's <c>1 + erf</c> is 0 below
    /// about -8.3 in double); erf and erfc are MiniNet's own (Kernels/SpecialFunctions.cs). Backward: exact
    /// <c>Phi(x) + x phi(x)</c>, <c>phi(x) = e^(-x^2/2) / sqrt(2 pi)</c>; tanh form with <c>t = tanh(u)</c>,
    /// <c>u = sqrt(2/pi)(x + 0.044715 x^3)</c>: <c>(1 + t)/2 + x (1 - t^2) sqrt(2/pi)(1 + 3 * 0.044715 x^2) / 2</c>.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="x"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="approximate"/> is not a defined value.</exception>
    public static Tensor<T> Gelu<T>(this Tensor<T> x, GeluApproximation approximate = GeluApproximation.None)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(x);
        if (approximate is not (GeluApproximation.None or GeluApproximation.Tanh))
        {
            throw new ArgumentException($"Gelu: approximate must be None or Tanh, got {(int)approximate} (input shape {x.Shape}).", nameof(approximate));
        }

        var output = Tensor<T>.Uninitialized(x.Shape);
        if (approximate == GeluApproximation.None)
        {
            Pointwise.Map<T, GeluFunction<T>>(x.AsReadOnlySpan(), output.Span);
        }
        else
        {
            Pointwise.Map<T, GeluTanhFunction<T>>(x.AsReadOnlySpan(), output.Span);
        }

        if (Tape.ShouldRecord(x))
        {
            Tape.Record(new GeluBackward<T>(output, x, approximate));
        }

        return output;
    }
}

/// <summary>Backward of <c>gelu(x)</c>.</summary>
file sealed class GeluBackward<T> : TapeEntry<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly GeluApproximation _approximate;

    public GeluBackward(Tensor<T> output, Tensor<T> x, GeluApproximation approximate)
        : base(output, x)
    {
        _approximate = approximate;
        SaveForBackward(output: false, 0);
    }

    public override string OpName => "Gelu";

    // See the remarks on Ops.Gelu for both derivatives.
    public override void Backward()
    {
        if (_approximate == GeluApproximation.None)
        {
            Pointwise.AccumulateProduct<T, GeluDerivative<T>>(GradOutput, Inputs[0].AsReadOnlySpan(), GradFor(0));
        }
        else
        {
            Pointwise.AccumulateProduct<T, GeluTanhDerivative<T>>(GradOutput, Inputs[0].AsReadOnlySpan(), GradFor(0));
        }
    }

    // Exact: g (Phi(x) + x phi(x)) with Phi through the differentiable Erf. Tanh: the gradient of the formula
    // rebuilt from primitive ops, taken with createGraph.
    protected override Tensor<T>?[] DifferentiableBackward(Tensor<T> gradOutput)
    {
        Tensor<T> x = Inputs[0];
        if (_approximate == GeluApproximation.Tanh)
        {
            return Derivatives.ByRecomputation(Inputs, gradOutput, static xs => GeluTanhFunction<T>.Primitive(xs[0]));
        }

        T half = T.CreateTruncating(0.5);
        Tensor<T> cdf = x.Mul(T.CreateTruncating(GeluFunction<T>.InvSqrt2)).Erf().Add(T.One).Mul(half);
        Tensor<T> pdf = x.Mul(x).Mul(-half).Exp().Mul(T.CreateTruncating(GeluFunction<T>.InvSqrt2Pi));
        return [gradOutput.Mul(cdf.Add(x.Mul(pdf)))];
    }
}

/// <summary><c>x Phi(x)</c>, with Phi from erfc for x &lt; 0 (see <see cref="Ops.Gelu{T}"/>).</summary>
file readonly struct GeluFunction<T> : IScalarFunction<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    public const double InvSqrt2 = 0.70710678118654752440;
    public const double InvSqrt2Pi = 0.39894228040143267794;

    public static double Cdf(double x) =>
        x < 0 ? 0.5 * SpecialFunctions.Erfc(-x * InvSqrt2) : 0.5 * (1 + SpecialFunctions.Erf(x * InvSqrt2));

    public static T Invoke(T x)
    {
        double v = double.CreateTruncating(x);
        return T.CreateTruncating(v * Cdf(v));
    }
}

/// <summary><c>Phi(x) + x phi(x)</c>.</summary>
file readonly struct GeluDerivative<T> : IScalarFunction<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    public static T Invoke(T x)
    {
        double v = double.CreateTruncating(x);
        return T.CreateTruncating(GeluFunction<T>.Cdf(v) + (v * GeluFunction<T>.InvSqrt2Pi * Math.Exp(-0.5 * v * v)));
    }
}

/// <summary><c>x (1 + tanh(sqrt(2/pi)(x + 0.044715 x^3))) / 2</c>, computed in T as PyTorch does.</summary>
file readonly struct GeluTanhFunction<T> : IScalarFunction<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    public const double Kappa = 0.044715;
    public const double SqrtTwoOverPi = 0.79788456080286535588;

    public static T Invoke(T x)
    {
        T inner = T.CreateTruncating(SqrtTwoOverPi) * (x + (T.CreateTruncating(Kappa) * x * x * x));
        return T.CreateTruncating(0.5) * x * (T.One + T.Tanh(inner));
    }

    /// <summary>The same formula with differentiable ops (for the createGraph backward).</summary>
    public static Tensor<T> Primitive(Tensor<T> x) =>
        x.Mul(T.CreateTruncating(0.5)).Mul(x.Mul(x).Mul(x).Mul(T.CreateTruncating(Kappa)).Add(x).Mul(T.CreateTruncating(SqrtTwoOverPi)).Tanh().Add(T.One));
}

/// <summary><c>(1 + t)/2 + x (1 - t^2) sqrt(2/pi)(1 + 3 kappa x^2) / 2</c>, as PyTorch's gelu_backward (tanh).</summary>
file readonly struct GeluTanhDerivative<T> : IScalarFunction<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    public static T Invoke(T x)
    {
        T beta = T.CreateTruncating(GeluTanhFunction<T>.SqrtTwoOverPi), kappa = T.CreateTruncating(GeluTanhFunction<T>.Kappa);
        T half = T.CreateTruncating(0.5), x2 = x * x;
        T t = T.Tanh(beta * (x + (kappa * x2 * x)));
        return (half * (T.One + t)) + (half * x * (T.One - (t * t)) * beta * (T.One + (T.CreateTruncating(3) * kappa * x2)));
    }
}

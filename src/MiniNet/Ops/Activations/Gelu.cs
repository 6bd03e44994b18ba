using System;
using System.Numerics;
using System.Runtime.InteropServices;

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
    /// about -8.3 in double); erf and erfc are MiniNet's own (Kernels/SpecialFunctions.cs; float runs vectorised in
    /// float lanes with a split exponent, Kernels/GeluFloatLanes.cs). The tanh form is computed as the equal <c>x sigma(2u)</c>, which does not
    /// cancel in the left tail as <c>1 + tanh(u)</c> does (Kernels/ActivationOperators.cs). Backward: exact
    /// <c>Phi(x) + x phi(x)</c>, <c>phi(x) = e^(-x^2/2) / sqrt(2 pi)</c>; tanh form with <c>t = tanh(u)</c>,
    /// <c>u = sqrt(2/pi)(x + 0.044715 x^3)</c>: <c>(1 + t)/2 + x (1 - t^2) sqrt(2/pi)(1 + 3 * 0.044715 x^2) / 2</c>.
    /// A recorded exact GELU of a float tensor writes its derivative in the forward pass (one evaluation of the shared
    /// exponential and polynomial instead of one per pass) and keeps it, one tensor of x's shape, until the node's
    /// storage is released (<see cref="Autograd.RecycleIntermediates"/>) or collected; backward is then <c>g * gelu'(x)</c>.
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
        ReadOnlySpan<T> input = x.KernelReadSpan;
        Span<T> y = output.KernelWriteSpan;
        bool record = Tape.ShouldRecord(x);
        Tensor<T>? derivative = null;
        if (record && approximate == GeluApproximation.None && typeof(T) == typeof(float))
        {
            // Recorded float: the forward pass also writes gelu'(x), which backward multiplies by g (one evaluation, not two).
            derivative = Tensor<T>.Uninitialized(x.Shape);
            GeluFloatForward.WithDerivative(MemoryMarshal.Cast<T, float>(input), MemoryMarshal.Cast<T, float>(y), MemoryMarshal.Cast<T, float>(derivative.KernelWriteSpan));
        }
        else if (approximate == GeluApproximation.Tanh && typeof(T) == typeof(float))
        {
            Vectorized.Map(default(InDoubleLanes<GeluTanhForFloat>), MemoryMarshal.Cast<T, float>(input), MemoryMarshal.Cast<T, float>(y));
        }
        else if (approximate == GeluApproximation.Tanh)
        {
            Vectorized.Map(default(GeluTanhOperator<T>), input, y);
        }
        else if (typeof(T) == typeof(float))
        {
            Vectorized.Map(default(GeluForFloat), MemoryMarshal.Cast<T, float>(input), MemoryMarshal.Cast<T, float>(y));
        }
        else
        {
            Pointwise.Map<T, GeluFunction<T>>(input, y);
        }

        GC.KeepAlive(x); // kernel spans do not keep x's storage from the pool (see StoragePool)

        if (record)
        {
            Tape.Record(new GeluBackward<T>(output, x, approximate, derivative));
        }

        return output;
    }
}

/// <summary>Backward of <c>gelu(x)</c>.</summary>
file sealed class GeluBackward<T> : TapeEntry<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly GeluApproximation _approximate;

    // gelu'(x) from the forward pass (exact float GELU), private to this node: released with the node's output.
    private readonly Tensor<T>? _derivative;

    public GeluBackward(Tensor<T> output, Tensor<T> x, GeluApproximation approximate, Tensor<T>? derivative)
        : base(output, x)
    {
        _approximate = approximate;
        _derivative = derivative;
        SaveForBackward(output: false, 0);
    }

    public override string OpName => "Gelu";

    protected override void ReleaseSaved() => _derivative?.Dispose();

    // See the remarks on Ops.Gelu for both derivatives. The node keeps x and the saved derivative reachable, so their
    // kernel spans are safe here; an exact float GELU always saved its derivative in the forward pass.
    public override void Backward()
    {
        ReadOnlySpan<T> g = GradOutput;
        if (_derivative is not null)
        {
            Span<T> grad = GradFor(0, out bool accumulate);
            Pointwise.Gradient(default(ProductOperator<T>), _derivative.KernelReadSpan, g, grad, accumulate);
        }
        else if (_approximate == GeluApproximation.Tanh)
        {
            Span<T> grad = GradFor(0, out bool accumulate);
            Pointwise.Gradient(default(GeluTanhGradOperator<T>), Inputs[0].KernelReadSpan, g, grad, accumulate);
        }
        else
        {
            Pointwise.AccumulateProduct<T, GeluDerivative<T>>(g, Inputs[0].KernelReadSpan, GradFor(0));
        }
    }

    // Exact: g (Phi(x) + x phi(x)) with Phi through the differentiable Erf. Tanh: the gradient of the formula
    // rebuilt from primitive ops, taken with createGraph.
    protected override Tensor<T>?[] DifferentiableBackward(Tensor<T> gradOutput)
    {
        Tensor<T> x = Inputs[0];
        if (_approximate == GeluApproximation.Tanh)
        {
            return Derivatives.ByRecomputation(Inputs, gradOutput, static xs => GeluTanhPrimitive<T>.Of(xs[0]));
        }

        T half = T.CreateTruncating(0.5);
        Tensor<T> cdf = x.Mul(T.CreateTruncating(GeluKernel.InvSqrt2)).Erf().Add(T.One).Mul(half);
        Tensor<T> pdf = x.Mul(x).Mul(-half).Exp().Mul(T.CreateTruncating(GeluKernel.InvSqrt2Pi));
        return [gradOutput.Mul(cdf.Add(x.Mul(pdf)))];
    }
}

/// <summary><c>x Phi(x)</c> in double, Phi from erfc for x &lt; 0 (see <see cref="Ops.Gelu{T}"/>).</summary>
file readonly struct GeluFunction<T> : IScalarFunction<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    public static T Invoke(T x)
    {
        double v = double.CreateTruncating(x);
        return T.CreateTruncating(v * GeluKernel.Cdf(v));
    }
}

/// <summary><c>Phi(x) + x phi(x)</c> in double.</summary>
file readonly struct GeluDerivative<T> : IScalarFunction<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    public static T Invoke(T x) => T.CreateTruncating(GeluKernel.Derivative(double.CreateTruncating(x)));
}

/// <summary>The tanh form rebuilt from differentiable ops (for the createGraph backward).</summary>
file static class GeluTanhPrimitive<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    public static Tensor<T> Of(Tensor<T> x) =>
        x.Mul(T.CreateTruncating(0.5)).Mul(x.Mul(x).Mul(x).Mul(T.CreateTruncating(GeluTanhOperator<T>.Kappa)).Add(x)
            .Mul(T.CreateTruncating(GeluTanhOperator<T>.SqrtTwoOverPi)).Tanh().Add(T.One));
}

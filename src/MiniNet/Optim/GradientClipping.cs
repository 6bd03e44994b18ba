using System;
using System.Collections.Generic;
using System.Numerics;
using System.Numerics.Tensors;

namespace MiniNet.Optim;

/// <summary>Rescaling of parameter gradients before an optimizer step.</summary>
public static class GradientClipping
{
    /// <summary>
    /// Scales the gradients of <paramref name="parameters"/> in place so that their total norm is at most about
    /// <paramref name="maxNorm"/>, and returns the total norm before scaling:
    /// <c>total = ||(||g_1||_p, ..., ||g_k||_p)||_p</c>, <c>g_i *= min(1, maxNorm / (total + 1e-6))</c>.
    /// Parameters without a gradient are skipped.
    /// </summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="parameters">The parameters, e.g. <c>model.Parameters()</c>.</param>
    /// <param name="maxNorm">The largest allowed total norm, non-negative.</param>
    /// <param name="normType">The <c>p</c> of the norm: positive, or <see cref="double.PositiveInfinity"/> for the largest magnitude.</param>
    /// <param name="errorIfNonfinite">Throw, leaving the gradients unchanged, when the total norm is NaN or infinite.
    /// When false (PyTorch's default), a NaN norm turns every gradient into NaN and an infinite one into zeros (NaN where a gradient was infinite), as in PyTorch.</param>
    /// <returns>The total norm of the gradients before clipping, computed in double.</returns>
    /// <remarks>
    /// PyTorch: <c>torch.nn.utils.clip_grad_norm_(parameters, max_norm, norm_type, error_if_nonfinite)</c>, which returns
    /// the norm as a tensor. Inside <c>Autograd.CaptureStep</c> the clipping is captured: each replay repeats it on the
    /// same parameters (the norm it computes then is not returned anywhere).
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxNorm"/> or <paramref name="normType"/> is out of range.</exception>
    /// <exception cref="ArithmeticException"><paramref name="errorIfNonfinite"/> is set and the total norm is not finite; the message names the first parameter whose gradient norm is not.</exception>
    public static double ClipGradNorm<T>(IEnumerable<Tensor<T>> parameters, double maxNorm, double normType = 2, bool errorIfNonfinite = false)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(parameters);
        HyperparameterCheck.NonNegative(maxNorm, nameof(maxNorm));
        if (!(normType > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(normType), normType, "normType must be positive (or +infinity).");
        }

        if (StepCapture.Current is { } capture)
        {
            Tensor<T>[] captured = [.. parameters];
            capture.Add(() => ClipGradNorm(captured, maxNorm, normType, errorIfNonfinite));
            parameters = captured;
        }

        var grads = new List<Tensor<T>>();
        double total = 0;
        int firstNonfinite = -1, index = 0;
        foreach (Tensor<T> parameter in parameters)
        {
            ArgumentNullException.ThrowIfNull(parameter, nameof(parameters));
            if (parameter.Grad is { } grad)
            {
                double norm = Norm(grad.KernelReadSpan, normType); // the parameter keeps its gradient reachable
                if (!double.IsFinite(norm) && firstNonfinite < 0)
                {
                    firstNonfinite = index;
                }

                total = double.IsPositiveInfinity(normType) ? Math.Max(total, norm) : total + Math.Pow(norm, normType);
                total = double.IsNaN(norm) ? double.NaN : total;
                grads.Add(grad);
            }

            index++;
        }

        total = double.IsPositiveInfinity(normType) ? total : Math.Pow(total, 1 / normType);
        if (errorIfNonfinite && !double.IsFinite(total))
        {
            string culprit = firstNonfinite >= 0 ? $"the gradient of parameter {firstNonfinite} has a non-finite norm" : "every gradient's norm is finite but their total overflows";
            throw new ArithmeticException($"ClipGradNorm: the total {normType}-norm of the gradients is {total} ({culprit}); " +
                "find where it came from (Autograd.DetectAnomaly()), or pass errorIfNonfinite: false to clip anyway.");
        }

        // Math.Min keeps NaN, like torch.clamp(max=1.0).
        T scale = T.CreateTruncating(Math.Min(maxNorm / (total + 1e-6), 1.0));
        foreach (Tensor<T> grad in grads)
        {
            Span<T> values = grad.KernelWriteSpan; // the parameter keeps its gradient reachable
            grad.MarkModified();
            TensorPrimitives.Multiply(values, scale, values);
        }

        return total;
    }

    private static double Norm<T>(ReadOnlySpan<T> values, double p)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (values.IsEmpty)
        {
            return 0;
        }

        if (p == 2)
        {
            return Math.Sqrt(double.CreateTruncating(TensorPrimitives.SumOfSquares(values)));
        }

        if (p == 1)
        {
            return double.CreateTruncating(TensorPrimitives.SumOfMagnitudes(values));
        }

        if (double.IsPositiveInfinity(p))
        {
            return Math.Abs(double.CreateTruncating(TensorPrimitives.MaxMagnitude(values)));
        }

        double sum = 0;
        foreach (T value in values)
        {
            sum += Math.Pow(Math.Abs(double.CreateTruncating(value)), p);
        }

        return Math.Pow(sum, 1 / p);
    }
}

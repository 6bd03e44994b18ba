using System;
using System.Collections.Generic;
using System.Numerics;

namespace MiniNet.Optim;

/// <summary>The moment estimates and bias-corrected step shared by <see cref="Adam{T}"/> and <see cref="AdamW{T}"/>.</summary>
internal static class AdamMoments
{
    public const string StepBuffer = "step", ExpAvg = "exp_avg", ExpAvgSq = "exp_avg_sq";

    public static void Validate(double beta1, double beta2, double eps)
    {
        HyperparameterCheck.Fraction(beta1, nameof(beta1));
        HyperparameterCheck.Fraction(beta2, nameof(beta2));
        HyperparameterCheck.NonNegative(eps, nameof(eps));
    }

    public static IEnumerable<(string Name, double Value)> Describe(double beta1, double beta2, double eps) =>
        new[] { ("beta1", beta1), ("beta2", beta2), ("eps", eps) };

    // PyTorch stores the step count as a scalar tensor per parameter.
    public static Shape BufferShape<T>(string name, Tensor<T> parameter)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> => name == StepBuffer ? Shape.Scalar : parameter.Shape;

    /// <summary>
    /// One Adam step at <c>t = ++step</c> with an L2 term <paramref name="l2"/> added to the gradient:
    /// <c>m = b1 m + (1 - b1) g</c>; <c>v = b2 v + (1 - b2) g^2</c>;
    /// <c>w -= (lr / (1 - b1^t)) m / (sqrt(v) / sqrt(1 - b2^t) + eps)</c>.
    /// </summary>
    public static void Step<T>(Span<T> parameter, ReadOnlySpan<T> grad, Span<T> step, Span<T> m, Span<T> v, double learningRate, double l2, double beta1, double beta2, double eps)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        step[0] += T.One;
        double t = double.CreateTruncating(step[0]);
        T b1 = T.CreateTruncating(beta1), b2 = T.CreateTruncating(beta2);
        T oneMinusB1 = T.CreateTruncating(1 - beta1), oneMinusB2 = T.CreateTruncating(1 - beta2);
        T decay = T.CreateTruncating(l2), epsilon = T.CreateTruncating(eps);
        T stepSize = T.CreateTruncating(learningRate / (1 - Math.Pow(beta1, t)));
        T sqrtCorrection2 = T.CreateTruncating(Math.Sqrt(1 - Math.Pow(beta2, t)));
        for (int i = 0; i < parameter.Length; i++)
        {
            T g = grad[i] + (decay * parameter[i]);
            m[i] = (b1 * m[i]) + (oneMinusB1 * g);
            v[i] = (b2 * v[i]) + (oneMinusB2 * g * g);
            T denominator = (T.Sqrt(v[i]) / sqrtCorrection2) + epsilon;
            parameter[i] -= stepSize * m[i] / denominator;
        }
    }
}

using System;
using System.Collections.Generic;
using System.Numerics;

namespace MiniNet.Optim;

/// <summary>
/// Adam with bias correction and optional L2 weight decay. Per parameter, at step <c>t</c>:
/// <c>g = g + weightDecay * w</c>; <c>m = b1 m + (1 - b1) g</c>; <c>v = b2 v + (1 - b2) g^2</c>;
/// <c>w = w - (lr / (1 - b1^t)) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)</c>.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
/// <remarks>
/// PyTorch: <c>torch.optim.Adam(params, lr, betas=(b1, b2), eps, weight_decay)</c> (not AdamW: the decay is added
/// to the gradient and then scaled by the adaptive step). State per parameter, named as in PyTorch:
/// <c>"{i}.step"</c> (a scalar tensor, as PyTorch stores it), <c>"{i}.exp_avg"</c> and <c>"{i}.exp_avg_sq"</c>.
/// </remarks>
public class Adam<T> : Optimizer<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private const string StepBuffer = "step", ExpAvg = "exp_avg", ExpAvgSq = "exp_avg_sq";

    /// <summary>Creates the optimizer.</summary>
    /// <param name="parameters">The parameters to update.</param>
    /// <param name="learningRate">The step size.</param>
    /// <param name="beta1">Decay of the first-moment average, in <c>[0, 1)</c>.</param>
    /// <param name="beta2">Decay of the second-moment average, in <c>[0, 1)</c>.</param>
    /// <param name="eps">Added to the denominator for stability, non-negative.</param>
    /// <param name="weightDecay">The L2 coefficient added to the gradient, non-negative.</param>
    /// <exception cref="ArgumentOutOfRangeException">A hyperparameter is out of range.</exception>
    /// <exception cref="ArgumentException">A parameter is repeated.</exception>
    public Adam(IEnumerable<Tensor<T>> parameters, double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weightDecay = 0)
        : base(parameters, learningRate)
    {
        if (!(beta1 >= 0 && beta1 < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(beta1), beta1, "beta1 must be in [0, 1).");
        }

        if (!(beta2 >= 0 && beta2 < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(beta2), beta2, "beta2 must be in [0, 1).");
        }

        if (!(eps >= 0) || !double.IsFinite(eps))
        {
            throw new ArgumentOutOfRangeException(nameof(eps), eps, "eps must be finite and non-negative.");
        }

        if (!(weightDecay >= 0) || !double.IsFinite(weightDecay))
        {
            throw new ArgumentOutOfRangeException(nameof(weightDecay), weightDecay, "Weight decay must be finite and non-negative.");
        }

        (Beta1, Beta2, Eps, WeightDecay) = (beta1, beta2, eps, weightDecay);
        DeclareBuffer(StepBuffer);
        DeclareBuffer(ExpAvg);
        DeclareBuffer(ExpAvgSq);
    }

    /// <summary>The first-moment decay <c>b1</c>.</summary>
    public double Beta1 { get; }

    /// <summary>The second-moment decay <c>b2</c>.</summary>
    public double Beta2 { get; }

    /// <summary>The denominator term <c>eps</c>.</summary>
    public double Eps { get; }

    /// <summary>The L2 coefficient added to the gradient.</summary>
    public double WeightDecay { get; }

    /// <inheritdoc/>
    protected override Shape BufferShape(string name, Tensor<T> parameter) => name == StepBuffer ? Shape.Scalar : parameter.Shape;

    /// <inheritdoc/>
    protected override void Update(int index, Span<T> parameter, ReadOnlySpan<T> grad)
    {
        Span<T> stepBuffer = Buffer(index, StepBuffer, out _);
        stepBuffer[0] += T.One;
        double t = double.CreateTruncating(stepBuffer[0]);
        Span<T> m = Buffer(index, ExpAvg, out _);
        Span<T> v = Buffer(index, ExpAvgSq, out _);

        T b1 = T.CreateTruncating(Beta1), b2 = T.CreateTruncating(Beta2);
        T oneMinusB1 = T.CreateTruncating(1 - Beta1), oneMinusB2 = T.CreateTruncating(1 - Beta2);
        T decay = T.CreateTruncating(WeightDecay), eps = T.CreateTruncating(Eps);
        T stepSize = T.CreateTruncating(LearningRate / (1 - Math.Pow(Beta1, t)));
        T sqrtCorrection2 = T.CreateTruncating(Math.Sqrt(1 - Math.Pow(Beta2, t)));
        for (int i = 0; i < parameter.Length; i++)
        {
            T g = grad[i] + (decay * parameter[i]);
            m[i] = (b1 * m[i]) + (oneMinusB1 * g);
            v[i] = (b2 * v[i]) + (oneMinusB2 * g * g);
            T denominator = (T.Sqrt(v[i]) / sqrtCorrection2) + eps;
            parameter[i] -= stepSize * m[i] / denominator;
        }
    }
}

/// <summary>A float <see cref="Adam{T}"/>.</summary>
/// <remarks>PyTorch: <c>torch.optim.Adam</c>.</remarks>
public sealed class Adam : Adam<float>
{
    /// <inheritdoc cref="Adam{T}(IEnumerable{Tensor{T}}, double, double, double, double, double)"/>
    public Adam(IEnumerable<Tensor<float>> parameters, double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weightDecay = 0)
        : base(parameters, learningRate, beta1, beta2, eps, weightDecay)
    {
    }
}

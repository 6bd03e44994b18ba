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
public class Adam<T> : AdamFamily<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <summary>Creates the optimizer over one group of parameters.</summary>
    /// <param name="parameters">The parameters to update.</param>
    /// <param name="learningRate">The step size.</param>
    /// <param name="beta1">Decay of the first-moment average, in <c>[0, 1)</c>.</param>
    /// <param name="beta2">Decay of the second-moment average, in <c>[0, 1)</c>.</param>
    /// <param name="eps">Added to the denominator for stability, non-negative.</param>
    /// <param name="weightDecay">The L2 coefficient added to the gradient, non-negative.</param>
    /// <exception cref="ArgumentOutOfRangeException">A hyperparameter is out of range.</exception>
    /// <exception cref="ArgumentException">A parameter is repeated.</exception>
    public Adam(IEnumerable<Tensor<T>> parameters, double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weightDecay = 0)
        : this(new[] { new ParameterGroup<T>(parameters) }, learningRate, beta1, beta2, eps, weightDecay)
    {
    }

    /// <summary>Creates the optimizer over parameter groups, each with its own learning rate and weight decay.</summary>
    /// <param name="groups">The groups; a group's null setting takes the default given here.</param>
    /// <param name="learningRate">The default step size.</param>
    /// <param name="beta1">Decay of the first-moment average, in <c>[0, 1)</c>.</param>
    /// <param name="beta2">Decay of the second-moment average, in <c>[0, 1)</c>.</param>
    /// <param name="eps">Added to the denominator for stability, non-negative.</param>
    /// <param name="weightDecay">The default L2 coefficient, non-negative.</param>
    /// <exception cref="ArgumentOutOfRangeException">A hyperparameter is out of range.</exception>
    /// <exception cref="ArgumentException">No group, or a parameter is repeated.</exception>
    public Adam(IEnumerable<ParameterGroup<T>> groups, double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weightDecay = 0)
        : base(groups, learningRate, beta1, beta2, eps, weightDecay)
    {
    }

    /// <inheritdoc/>
    protected override void Update(int index, Span<T> parameter, ReadOnlySpan<T> grad, OptimizerGroup group) =>
        AdamStep(index, parameter, grad, group.LearningRate, group.WeightDecay, shrink: 1);
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

    /// <inheritdoc cref="Adam{T}(IEnumerable{ParameterGroup{T}}, double, double, double, double, double)"/>
    public Adam(IEnumerable<ParameterGroup<float>> groups, double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weightDecay = 0)
        : base(groups, learningRate, beta1, beta2, eps, weightDecay)
    {
    }
}

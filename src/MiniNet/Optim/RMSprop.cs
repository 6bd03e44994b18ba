using System;
using System.Collections.Generic;
using System.Numerics;
using System.Runtime.InteropServices;

namespace MiniNet.Optim;

/// <summary>
/// RMSprop (Hinton), optionally centered and with momentum. Per parameter: <c>g = g + weightDecay * w</c>;
/// <c>s = alpha s + (1 - alpha) g^2</c>; centered: <c>a = alpha a + (1 - alpha) g</c>, <c>d = sqrt(s - a^2) + eps</c>,
/// else <c>d = sqrt(s) + eps</c>; with momentum <c>mu</c>: <c>b = mu b + g / d</c>, <c>w = w - lr b</c>; without:
/// <c>w = w - lr g / d</c>.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
/// <remarks>
/// PyTorch: <c>torch.optim.RMSprop(params, lr=0.01, alpha=0.99, eps=1e-8, weight_decay=0, momentum=0,
/// centered=False)</c>. State, named as in PyTorch: <c>"{i}.square_avg"</c>, <c>"{i}.momentum_buffer"</c> (only with
/// momentum) and <c>"{i}.grad_avg"</c> (only when centered); PyTorch's unused <c>step</c> counter is not kept.
/// </remarks>
public class RMSprop<T> : Optimizer<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private const string SquareAvg = "square_avg", MomentumBuffer = "momentum_buffer", GradAvg = "grad_avg";

    /// <summary>Creates the optimizer over one group of parameters.</summary>
    /// <param name="parameters">The parameters to update.</param>
    /// <param name="learningRate">The step size.</param>
    /// <param name="alpha">Decay of the running averages, in <c>[0, 1]</c>.</param>
    /// <param name="eps">Added to the denominator, non-negative.</param>
    /// <param name="weightDecay">The L2 coefficient added to the gradient, non-negative.</param>
    /// <param name="momentum">The momentum factor, in <c>[0, 1)</c>; 0 for none.</param>
    /// <param name="centered">Divide by the estimated standard deviation of the gradient instead of its RMS.</param>
    /// <exception cref="ArgumentOutOfRangeException">A hyperparameter is out of range.</exception>
    /// <exception cref="ArgumentException">A parameter is repeated.</exception>
    public RMSprop(IEnumerable<Tensor<T>> parameters, double learningRate = 1e-2, double alpha = 0.99, double eps = 1e-8, double weightDecay = 0, double momentum = 0, bool centered = false)
        : this(new[] { new ParameterGroup<T>(parameters) }, learningRate, alpha, eps, weightDecay, momentum, centered)
    {
    }

    /// <summary>Creates the optimizer over parameter groups, each with its own learning rate and weight decay.</summary>
    /// <param name="groups">The groups; a group's null setting takes the default given here.</param>
    /// <param name="learningRate">The default step size.</param>
    /// <param name="alpha">Decay of the running averages, in <c>[0, 1]</c>.</param>
    /// <param name="eps">Added to the denominator, non-negative.</param>
    /// <param name="weightDecay">The default L2 coefficient, non-negative.</param>
    /// <param name="momentum">The momentum factor, in <c>[0, 1)</c>; 0 for none.</param>
    /// <param name="centered">Divide by the estimated standard deviation of the gradient instead of its RMS.</param>
    /// <exception cref="ArgumentOutOfRangeException">A hyperparameter is out of range.</exception>
    /// <exception cref="ArgumentException">No group, or a parameter is repeated.</exception>
    public RMSprop(IEnumerable<ParameterGroup<T>> groups, double learningRate = 1e-2, double alpha = 0.99, double eps = 1e-8, double weightDecay = 0, double momentum = 0, bool centered = false)
        : base(groups, learningRate, weightDecay)
    {
        HyperparameterCheck.Fraction(alpha, nameof(alpha), includeOne: true);
        HyperparameterCheck.NonNegative(eps, nameof(eps));
        HyperparameterCheck.Fraction(momentum, nameof(momentum));
        (Alpha, Eps, WeightDecay, Momentum, Centered) = (alpha, eps, weightDecay, momentum, centered);
        DeclareBuffer(SquareAvg);
        DeclareBuffer(MomentumBuffer);
        DeclareBuffer(GradAvg);
    }

    /// <summary>The decay <c>alpha</c> of the running averages.</summary>
    public double Alpha { get; }

    /// <summary>The denominator term <c>eps</c>.</summary>
    public double Eps { get; }

    /// <summary>The default L2 coefficient added to the gradient (a group may override it).</summary>
    public double WeightDecay { get; }

    /// <summary>The momentum factor <c>mu</c>.</summary>
    public double Momentum { get; }

    /// <summary>Whether the denominator is the centered estimate <c>sqrt(s - a^2)</c>.</summary>
    public bool Centered { get; }

    /// <inheritdoc/>
    protected internal override IEnumerable<(string Name, double Value)> Hyperparameters() =>
        new[] { ("alpha", Alpha), ("eps", Eps), ("momentum", Momentum), ("centered", Centered ? 1.0 : 0.0) };

    /// <inheritdoc/>
    protected override void Update(int index, Span<T> parameter, ReadOnlySpan<T> grad, OptimizerGroup group)
    {
        Span<T> s = Buffer(index, SquareAvg, out _);
        Span<T> a = Centered ? Buffer(index, GradAvg, out _) : default;
        Span<T> b = Momentum > 0 ? Buffer(index, MomentumBuffer, out _) : default;
        T alpha = T.CreateTruncating(Alpha), oneMinusAlpha = T.CreateTruncating(1 - Alpha), eps = T.CreateTruncating(Eps);
        T lr = T.CreateTruncating(group.LearningRate), decay = T.CreateTruncating(group.WeightDecay), mu = T.CreateTruncating(Momentum);
        bool centered = Centered, momentum = Momentum > 0;
        int i = 0;
        if (Vector.IsHardwareAccelerated && parameter.Length >= Vector<T>.Count)
        {
            // One pass over w, g and the averages in SIMD registers (the update is memory-bound), with the same
            // operations in the same order as the scalar tail below, so every lane rounds exactly as the scalar loop
            // would. The two flags are loop-invariant, so their branches cost nothing.
            Vector<T> vAlpha = new(alpha), vOneMinusAlpha = new(oneMinusAlpha), vEps = new(eps), vLr = new(lr), vDecay = new(decay), vMu = new(mu);
            Span<Vector<T>> w = MemoryMarshal.Cast<T, Vector<T>>(parameter), vs = MemoryMarshal.Cast<T, Vector<T>>(s);
            Span<Vector<T>> va = MemoryMarshal.Cast<T, Vector<T>>(a), vb = MemoryMarshal.Cast<T, Vector<T>>(b);
            ReadOnlySpan<Vector<T>> vg = MemoryMarshal.Cast<T, Vector<T>>(grad);
            for (int k = 0; k < w.Length; k++)
            {
                Vector<T> g = vg[k] + (vDecay * w[k]);
                Vector<T> sk = (vAlpha * vs[k]) + (vOneMinusAlpha * g * g);
                vs[k] = sk;
                Vector<T> denominator;
                if (centered)
                {
                    Vector<T> ak = (vAlpha * va[k]) + (vOneMinusAlpha * g);
                    va[k] = ak;
                    denominator = Vector.SquareRoot(sk - (ak * ak)) + vEps;
                }
                else
                {
                    denominator = Vector.SquareRoot(sk) + vEps;
                }

                if (momentum)
                {
                    Vector<T> bk = (vMu * vb[k]) + (g / denominator);
                    vb[k] = bk;
                    w[k] -= vLr * bk;
                }
                else
                {
                    w[k] -= vLr * (g / denominator);
                }
            }

            i = w.Length * Vector<T>.Count;
        }

        for (; i < parameter.Length; i++)
        {
            T g = grad[i] + (decay * parameter[i]);
            s[i] = (alpha * s[i]) + (oneMinusAlpha * g * g);
            T denominator;
            if (centered)
            {
                a[i] = (alpha * a[i]) + (oneMinusAlpha * g);
                denominator = T.Sqrt(s[i] - (a[i] * a[i])) + eps;
            }
            else
            {
                denominator = T.Sqrt(s[i]) + eps;
            }

            if (momentum)
            {
                b[i] = (mu * b[i]) + (g / denominator);
                parameter[i] -= lr * b[i];
            }
            else
            {
                parameter[i] -= lr * (g / denominator);
            }
        }
    }
}

/// <summary>A float <see cref="RMSprop{T}"/>.</summary>
/// <remarks>PyTorch: <c>torch.optim.RMSprop</c>.</remarks>
public sealed class RMSprop : RMSprop<float>
{
    /// <inheritdoc cref="RMSprop{T}(IEnumerable{Tensor{T}}, double, double, double, double, double, bool)"/>
    public RMSprop(IEnumerable<Tensor<float>> parameters, double learningRate = 1e-2, double alpha = 0.99, double eps = 1e-8, double weightDecay = 0, double momentum = 0, bool centered = false)
        : base(parameters, learningRate, alpha, eps, weightDecay, momentum, centered)
    {
    }

    /// <inheritdoc cref="RMSprop{T}(IEnumerable{ParameterGroup{T}}, double, double, double, double, double, bool)"/>
    public RMSprop(IEnumerable<ParameterGroup<float>> groups, double learningRate = 1e-2, double alpha = 0.99, double eps = 1e-8, double weightDecay = 0, double momentum = 0, bool centered = false)
        : base(groups, learningRate, alpha, eps, weightDecay, momentum, centered)
    {
    }
}

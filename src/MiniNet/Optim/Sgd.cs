using System;
using System.Collections.Generic;
using System.Numerics;
using System.Numerics.Tensors;

namespace MiniNet.Optim;

/// <summary>
/// Stochastic gradient descent with optional momentum, Nesterov momentum and L2 weight decay. For each parameter
/// <c>w</c> with gradient <c>g</c>: <c>g = g + weightDecay * w</c>; with momentum <c>mu</c>,
/// <c>buf = g</c> on the first step, then <c>buf = mu * buf + (1 - dampening) * g</c>, and <c>g = buf</c>
/// (or <c>g = g + mu * buf</c> for Nesterov); finally <c>w = w - lr * g</c>.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
/// <remarks>
/// <para>PyTorch: <c>torch.optim.SGD(params, lr, momentum, dampening, weight_decay, nesterov)</c>, same update order.
/// State: <c>"{i}.momentum_buffer"</c> (created on the first step when momentum is non-zero).</para>
/// <para>Nielsen's L2 regularisation (chapter 3) writes the update as <c>w = (1 - eta * lambda / n) w - eta * g</c>,
/// where <c>n</c> is the training-set size and <c>g</c> the gradient of the unregularised mini-batch loss. That is
/// exactly PyTorch's <c>w - eta * (g + (lambda / n) w)</c>, so pass <c>weightDecay: Sgd.NielsenL2(lambda, n)</c>
/// (<c>= lambda / n</c>). Nielsen does not decay biases: put them in a <see cref="ParameterGroup{T}"/> with
/// <c>weightDecay: 0</c> (<see cref="ParameterGroup.DecayWeightsOnly{T}"/>) to match him exactly.</para>
/// </remarks>
public class Sgd<T> : Optimizer<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private const string MomentumBuffer = "momentum_buffer";

    /// <summary>Creates the optimizer over one group of parameters.</summary>
    /// <param name="parameters">The parameters to update, e.g. <c>model.Parameters()</c>.</param>
    /// <param name="learningRate">The step size <c>eta</c>.</param>
    /// <param name="momentum">The momentum factor <c>mu</c> in <c>[0, 1)</c>; 0 for plain SGD.</param>
    /// <param name="dampening">Dampening of the gradient added to the momentum buffer, in <c>[0, 1]</c>.</param>
    /// <param name="weightDecay">The L2 penalty coefficient (PyTorch's <c>weight_decay</c>), non-negative.</param>
    /// <param name="nesterov">Use Nesterov momentum (needs momentum &gt; 0 and dampening 0).</param>
    /// <exception cref="ArgumentOutOfRangeException">A hyperparameter is out of range.</exception>
    /// <exception cref="ArgumentException">Nesterov without momentum or with dampening, or a repeated parameter.</exception>
    public Sgd(IEnumerable<Tensor<T>> parameters, double learningRate, double momentum = 0, double dampening = 0, double weightDecay = 0, bool nesterov = false)
        : this(new[] { new ParameterGroup<T>(parameters) }, learningRate, momentum, dampening, weightDecay, nesterov)
    {
    }

    /// <summary>Creates the optimizer over parameter groups, each with its own learning rate and weight decay.</summary>
    /// <param name="groups">The groups; a group's null setting takes the default given here.</param>
    /// <param name="learningRate">The default step size <c>eta</c>.</param>
    /// <param name="momentum">The momentum factor <c>mu</c> in <c>[0, 1)</c>; 0 for plain SGD.</param>
    /// <param name="dampening">Dampening of the gradient added to the momentum buffer, in <c>[0, 1]</c>.</param>
    /// <param name="weightDecay">The default L2 penalty coefficient, non-negative.</param>
    /// <param name="nesterov">Use Nesterov momentum (needs momentum &gt; 0 and dampening 0).</param>
    /// <exception cref="ArgumentOutOfRangeException">A hyperparameter is out of range.</exception>
    /// <exception cref="ArgumentException">Nesterov without momentum or with dampening, no group, or a repeated parameter.</exception>
    public Sgd(IEnumerable<ParameterGroup<T>> groups, double learningRate, double momentum = 0, double dampening = 0, double weightDecay = 0, bool nesterov = false)
        : base(groups, learningRate, weightDecay)
    {
        if (!(momentum >= 0 && momentum < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "Momentum must be in [0, 1).");
        }

        if (!(dampening >= 0 && dampening <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(dampening), dampening, "Dampening must be in [0, 1].");
        }

        if (nesterov && (momentum == 0 || dampening != 0))
        {
            throw new ArgumentException("Nesterov momentum requires momentum > 0 and dampening = 0 (as in PyTorch).", nameof(nesterov));
        }

        (Momentum, Dampening, WeightDecay, Nesterov) = (momentum, dampening, weightDecay, nesterov);
        DeclareBuffer(MomentumBuffer);
    }

    /// <summary>The momentum factor <c>mu</c>.</summary>
    public double Momentum { get; }

    /// <summary>The dampening of new gradients entering the momentum buffer.</summary>
    public double Dampening { get; }

    /// <summary>The default L2 coefficient added to the gradient, <c>g + weightDecay * w</c> (a group may override it).</summary>
    public double WeightDecay { get; }

    /// <summary>Whether Nesterov momentum is used.</summary>
    public bool Nesterov { get; }

    /// <summary>
    /// Converts Nielsen's regularisation parameter into PyTorch's weight decay: <c>lambda / n</c>. With it,
    /// <c>w - eta * (g + (lambda / n) w) = (1 - eta * lambda / n) w - eta * g</c>, Nielsen's update.
    /// </summary>
    /// <param name="lambda">Nielsen's <c>lambda</c>, non-negative.</param>
    /// <param name="trainingSetSize">The number of training examples <c>n</c>, positive.</param>
    /// <returns>The weight decay to pass to the constructor.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    public static double NielsenL2(double lambda, int trainingSetSize)
    {
        if (!(lambda >= 0) || !double.IsFinite(lambda))
        {
            throw new ArgumentOutOfRangeException(nameof(lambda), lambda, "Lambda must be finite and non-negative.");
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(trainingSetSize);
        return lambda / trainingSetSize;
    }

    /// <inheritdoc/>
    protected internal override IEnumerable<(string Name, double Value)> Hyperparameters() =>
        new[] { ("momentum", Momentum), ("dampening", Dampening), ("nesterov", Nesterov ? 1.0 : 0.0) };

    /// <inheritdoc/>
    /// <remarks>Not for subclasses other than <see cref="Sgd"/>: they may override <see cref="Update"/>.</remarks>
    private protected override bool IsPlainStep(OptimizerGroup group) =>
        Momentum == 0 && group.WeightDecay == 0 && (GetType() == typeof(Sgd<T>) || GetType() == typeof(Sgd));

    /// <inheritdoc/>
    protected override void Update(int index, Span<T> parameter, ReadOnlySpan<T> grad, OptimizerGroup group)
    {
        // PyTorch's order: g = grad + decay p; buf = mu buf + (1 - dampening) g (buf = g on the first step);
        // g = nesterov ? g + mu buf : buf; p -= lr g. Each line is one vectorised pass.
        T lr = T.CreateTruncating(group.LearningRate), decay = T.CreateTruncating(group.WeightDecay);
        T mu = T.CreateTruncating(Momentum), keep = T.CreateTruncating(1 - Dampening);
        T[]? scratch = null;
        ReadOnlySpan<T> g = grad;
        if (group.WeightDecay != 0)
        {
            scratch = BufferPool<T>.Rent(parameter.Length);
            TensorPrimitives.MultiplyAdd(parameter, decay, grad, scratch.AsSpan(0, parameter.Length));
            g = scratch.AsSpan(0, parameter.Length);
        }

        if (Momentum != 0)
        {
            Span<T> buffer = Buffer(index, MomentumBuffer, out bool created);
            if (created)
            {
                g.CopyTo(buffer);
            }
            else
            {
                InPlace.Scale(buffer, mu);
                InPlace.Axpy(buffer, keep, g);
            }

            if (Nesterov)
            {
                scratch ??= BufferPool<T>.Rent(parameter.Length);
                Span<T> lookahead = scratch.AsSpan(0, parameter.Length);
                TensorPrimitives.MultiplyAdd(buffer, mu, g, lookahead);
                g = lookahead;
            }
            else
            {
                g = buffer;
            }
        }

        InPlace.Axpy(parameter, -lr, g);
        if (scratch is not null)
        {
            BufferPool<T>.Return(scratch);
        }
    }
}

/// <summary>A float <see cref="Sgd{T}"/>.</summary>
/// <remarks>PyTorch: <c>torch.optim.SGD</c>.</remarks>
public sealed class Sgd : Sgd<float>
{
    /// <inheritdoc cref="Sgd{T}(IEnumerable{Tensor{T}}, double, double, double, double, bool)"/>
    public Sgd(IEnumerable<Tensor<float>> parameters, double learningRate, double momentum = 0, double dampening = 0, double weightDecay = 0, bool nesterov = false)
        : base(parameters, learningRate, momentum, dampening, weightDecay, nesterov)
    {
    }

    /// <inheritdoc cref="Sgd{T}(IEnumerable{ParameterGroup{T}}, double, double, double, double, bool)"/>
    public Sgd(IEnumerable<ParameterGroup<float>> groups, double learningRate, double momentum = 0, double dampening = 0, double weightDecay = 0, bool nesterov = false)
        : base(groups, learningRate, momentum, dampening, weightDecay, nesterov)
    {
    }
}

using System;
using System.Collections.Generic;
using System.Numerics;

namespace MiniNet.Optim;

/// <summary>The element-type independent part of an optimizer: its parameter groups and their learning rates, which schedules adjust.</summary>
/// <remarks>PyTorch: <c>torch.optim.Optimizer</c>'s <c>param_groups</c>.</remarks>
public abstract class Optimizer
{
    private OptimizerGroup[] _groups = Array.Empty<OptimizerGroup>();

    private protected Optimizer()
    {
    }

    /// <summary>The parameter groups, in the order given to the constructor (one group when built from a parameter list).</summary>
    public IReadOnlyList<OptimizerGroup> Groups => _groups;

    /// <summary>
    /// The step size <c>eta</c> of the first group. Setting it sets every group's rate to the value (use
    /// <see cref="Groups"/> for per-group rates).
    /// </summary>
    /// <remarks>PyTorch: <c>param_groups[0]["lr"]</c>; setting it is <c>for g in param_groups: g["lr"] = value</c>.</remarks>
    /// <exception cref="ArgumentOutOfRangeException">Set to a negative or non-finite value.</exception>
    public double LearningRate
    {
        get => _groups[0].LearningRate;
        set
        {
            foreach (OptimizerGroup group in _groups)
            {
                group.LearningRate = value;
            }
        }
    }

    /// <summary>How many times <c>Step()</c> has run (restored by <c>LoadState</c>).</summary>
    public int StepCount { get; protected set; }

    /// <summary>
    /// The hyper-parameters, other than each group's learning rate and weight decay, that a resumed run must share to
    /// continue the same computation (e.g. <c>("momentum", 0.9)</c>); flags are 1 or 0. Training checkpoints store them
    /// and refuse to load into an optimizer whose values differ.
    /// </summary>
    /// <returns>Name and value pairs, PyTorch's option names.</returns>
    protected internal abstract IEnumerable<(string Name, double Value)> Hyperparameters();

    private protected void SetGroups(OptimizerGroup[] groups) => _groups = groups;
}

/// <summary>
/// Base class of gradient-descent optimizers over a fixed, ordered list of parameters in one or more groups.
/// <see cref="Step"/> updates each parameter that has a gradient, in place and outside the tape; <see cref="ZeroGrad"/>
/// clears the gradients.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
/// <remarks>
/// PyTorch: <c>torch.optim.Optimizer</c>. Parameters are numbered across groups in order, as in PyTorch's
/// <c>state_dict()</c>. Per-parameter state (momentum, Adam's moments) lives in named tensors that
/// <see cref="GetState"/> exposes as <c>"{index}.{buffer}"</c> (e.g. <c>"0.momentum_buffer"</c>, <c>"2.exp_avg"</c>,
/// after PyTorch's <c>state_dict()["state"]</c>) so a checkpoint can save and restore them.
/// </remarks>
public abstract partial class Optimizer<T> : Optimizer
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly Tensor<T>[] _parameters;
    private readonly OptimizerGroup[] _groupOf;

    /// <summary>Creates the optimizer over <paramref name="parameters"/> as one group.</summary>
    /// <param name="parameters">The parameters, typically <c>module.Parameters()</c>; the order defines state indexes.</param>
    /// <param name="learningRate">The step size.</param>
    /// <param name="weightDecay">The weight decay.</param>
    /// <exception cref="ArgumentException">A parameter is null or listed twice.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The rate or decay is negative or not finite.</exception>
    protected Optimizer(IEnumerable<Tensor<T>> parameters, double learningRate, double weightDecay)
        : this(new[] { new ParameterGroup<T>(parameters) }, learningRate, weightDecay)
    {
    }

    /// <summary>Creates the optimizer over parameter groups; a group's null setting takes the default given here.</summary>
    /// <param name="groups">The groups, at least one; parameters are numbered across them in order.</param>
    /// <param name="learningRate">The default step size.</param>
    /// <param name="weightDecay">The default weight decay.</param>
    /// <exception cref="ArgumentException">There is no group, or a parameter is null or listed twice (in any groups).</exception>
    /// <exception cref="ArgumentOutOfRangeException">A rate or decay is negative or not finite; the message names the group.</exception>
    protected Optimizer(IEnumerable<ParameterGroup<T>> groups, double learningRate, double weightDecay)
    {
        ArgumentNullException.ThrowIfNull(groups);
        var parameters = new List<Tensor<T>>();
        var built = new List<OptimizerGroup>();
        foreach (ParameterGroup<T> group in groups)
        {
            ArgumentNullException.ThrowIfNull(group, nameof(groups));
            built.Add(new OptimizerGroup(built.Count, parameters.Count, group.Parameters.Count, group.LearningRate ?? learningRate, group.WeightDecay ?? weightDecay));
            parameters.AddRange(group.Parameters);
        }

        if (built.Count == 0)
        {
            throw new ArgumentException("An optimizer needs at least one parameter group.", nameof(groups));
        }

        _parameters = parameters.ToArray();
        _groupOf = new OptimizerGroup[_parameters.Length];
        foreach (OptimizerGroup group in built)
        {
            Array.Fill(_groupOf, group, group.FirstParameter, group.ParameterCount);
        }

        for (int i = 0; i < _parameters.Length; i++)
        {
            if (_parameters[i] is null)
            {
                throw new ArgumentException($"Parameter {i} (group {_groupOf[i].Index}) is null.", nameof(groups));
            }

            for (int j = 0; j < i; j++)
            {
                if (ReferenceEquals(_parameters[i], _parameters[j]))
                {
                    throw new ArgumentException($"Parameter {i} (group {_groupOf[i].Index}) is the same tensor as parameter {j} (group {_groupOf[j].Index}); it would be updated twice.", nameof(groups));
                }
            }
        }

        SetGroups(built.ToArray());
    }

    /// <summary>The parameters of all groups, in order.</summary>
    public IReadOnlyList<Tensor<T>> Parameters => _parameters;

    /// <summary>
    /// Applies one update to every parameter whose <see cref="Tensor{T}.Grad"/> is set, in place and outside the
    /// tape (the parameter's version is bumped), with its group's learning rate and weight decay, then increments
    /// <see cref="Optimizer.StepCount"/>.
    /// </summary>
    /// <remarks>
    /// PyTorch: <c>optimizer.step()</c>, which runs under <c>torch.no_grad()</c> and skips parameters whose grad is None.
    /// Inside <see cref="Autograd.CaptureStep{T}"/> the step is captured: each replay repeats it with the rates then set.
    /// </remarks>
    /// <exception cref="InvalidOperationException"><see cref="StepInBackward"/> is on (Backward already stepped).</exception>
    public void Step()
    {
        ThrowIfStepsInBackward();
        StepCapture.Current?.Add(Step);
        using (Autograd.NoGrad())
        {
            for (int i = 0; i < _parameters.Length; i++)
            {
                if (_parameters[i].Grad is { } grad)
                {
                    Update(i, _parameters[i].AsSpanForWrite(), grad.KernelReadSpan, _groupOf[i]);
                }
            }
        }

        StepCount++;
    }

    /// <summary>
    /// Resets the gradient of every parameter before the next backward pass (PyTorch: <c>optimizer.zero_grad()</c>).
    /// </summary>
    /// <param name="setToNone">
    /// True (the default, as in PyTorch 2): each <see cref="Tensor{T}.Grad"/> becomes null and its buffer is reused,
    /// so the next backward writes the gradient instead of clearing and adding to it, and <see cref="Step"/> skips
    /// parameters no gradient reached. False: the gradients are set to zero in place.
    /// </param>
    public void ZeroGrad(bool setToNone = true)
    {
        StepCapture.Current?.Add(setToNone ? ZeroGradToNone : ZeroGradInPlace);
        foreach (Tensor<T> parameter in _parameters)
        {
            if (setToNone)
            {
                parameter.ReleaseGrad();
            }
            else
            {
                parameter.Grad?.KernelWriteSpan.Clear(); // not Tensor.ZeroGrad(), which a capture would record once more
            }
        }
    }

    private void ZeroGradToNone() => ZeroGrad(setToNone: true);

    private void ZeroGradInPlace() => ZeroGrad(setToNone: false);

    /// <summary>Updates one parameter in place from its gradient.</summary>
    /// <param name="index">The parameter's index in <see cref="Parameters"/>, for <see cref="Buffer"/>.</param>
    /// <param name="parameter">The parameter's values, to overwrite.</param>
    /// <param name="grad">Its gradient.</param>
    /// <param name="group">Its group: the learning rate and weight decay to use.</param>
    protected abstract void Update(int index, Span<T> parameter, ReadOnlySpan<T> grad, OptimizerGroup group);
}

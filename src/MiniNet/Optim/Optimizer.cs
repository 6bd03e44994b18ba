using System;
using System.Collections.Generic;
using System.Globalization;
using System.Numerics;

namespace MiniNet.Optim;

/// <summary>The element-type independent part of an optimizer: the learning rate that schedules adjust.</summary>
/// <remarks>PyTorch: <c>torch.optim.Optimizer</c>'s <c>param_groups[0]["lr"]</c>.</remarks>
public abstract class Optimizer
{
    private double _learningRate;

    /// <summary>Creates the optimizer with its initial learning rate.</summary>
    /// <param name="learningRate">The step size <c>eta</c>, finite and non-negative.</param>
    /// <exception cref="ArgumentOutOfRangeException">The rate is negative or not finite.</exception>
    protected Optimizer(double learningRate) => LearningRate = learningRate;

    /// <summary>The step size <c>eta</c> used by the next <c>Step()</c>; schedules set it between epochs.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to a negative or non-finite value.</exception>
    public double LearningRate
    {
        get => _learningRate;
        set
        {
            if (!(value >= 0) || !double.IsFinite(value))
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, "The learning rate must be finite and non-negative.");
            }

            _learningRate = value;
        }
    }

    /// <summary>How many times <c>Step()</c> has run (restored by <c>LoadState</c>).</summary>
    public int StepCount { get; protected set; }
}

/// <summary>
/// Base class of gradient-descent optimizers over a fixed, ordered list of parameters. <see cref="Step"/> updates
/// each parameter that has a gradient, in place and outside the tape; <see cref="ZeroGrad"/> clears the gradients.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
/// <remarks>
/// PyTorch: <c>torch.optim.Optimizer</c> with a single parameter group. Per-parameter state (momentum, Adam's
/// moments) lives in named tensors that <see cref="GetState"/> exposes as <c>"{index}.{buffer}"</c> (e.g.
/// <c>"0.momentum_buffer"</c>, <c>"2.exp_avg"</c>, after PyTorch's <c>state_dict()["state"]</c>) so a checkpoint can
/// save and restore them.
/// </remarks>
public abstract class Optimizer<T> : Optimizer
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly Tensor<T>[] _parameters;
    private readonly List<(string Name, Tensor<T>?[] Buffers)> _state = new();

    /// <summary>Creates the optimizer over <paramref name="parameters"/>.</summary>
    /// <param name="parameters">The parameters, typically <c>module.Parameters()</c>; the order defines state indexes.</param>
    /// <param name="learningRate">The step size.</param>
    /// <exception cref="ArgumentException">A parameter is null or listed twice.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The rate is negative or not finite.</exception>
    protected Optimizer(IEnumerable<Tensor<T>> parameters, double learningRate)
        : base(learningRate)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        _parameters = new List<Tensor<T>>(parameters).ToArray();
        for (int i = 0; i < _parameters.Length; i++)
        {
            if (_parameters[i] is null)
            {
                throw new ArgumentException($"Parameter {i} is null.", nameof(parameters));
            }

            for (int j = 0; j < i; j++)
            {
                if (ReferenceEquals(_parameters[i], _parameters[j]))
                {
                    throw new ArgumentException($"Parameter {i} is the same tensor as parameter {j}; it would be updated twice.", nameof(parameters));
                }
            }
        }
    }

    /// <summary>The parameters, in the order given to the constructor.</summary>
    public IReadOnlyList<Tensor<T>> Parameters => _parameters;

    /// <summary>
    /// Applies one update to every parameter whose <see cref="Tensor{T}.Grad"/> is set, in place and outside the
    /// tape (the parameter's version is bumped), then increments <see cref="Optimizer.StepCount"/>.
    /// </summary>
    /// <remarks>PyTorch: <c>optimizer.step()</c>, which runs under <c>torch.no_grad()</c> and skips parameters whose grad is None.</remarks>
    public void Step()
    {
        using (Autograd.NoGrad())
        {
            for (int i = 0; i < _parameters.Length; i++)
            {
                if (_parameters[i].Grad is { } grad)
                {
                    Update(i, _parameters[i].AsSpanForWrite(), grad.AsReadOnlySpan());
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
        foreach (Tensor<T> parameter in _parameters)
        {
            if (setToNone)
            {
                parameter.ReleaseGrad();
            }
            else
            {
                parameter.ZeroGrad();
            }
        }
    }

    /// <summary>
    /// The optimizer's per-parameter state tensors as <c>("{index}.{buffer}", tensor)</c> pairs, ordered by parameter
    /// index then buffer; buffers not created yet (before the first step) are absent. The tensors are live.
    /// </summary>
    /// <returns>The state; save it together with <see cref="Optimizer.StepCount"/>.</returns>
    /// <remarks>PyTorch: <c>optimizer.state_dict()["state"]</c>.</remarks>
    public IReadOnlyList<(string Name, Tensor<T> Buffer)> GetState()
    {
        var result = new List<(string, Tensor<T>)>();
        for (int i = 0; i < _parameters.Length; i++)
        {
            foreach (var (name, buffers) in _state)
            {
                if (buffers[i] is { } buffer)
                {
                    result.Add((i.ToString(CultureInfo.InvariantCulture) + "." + name, buffer));
                }
            }
        }

        return result;
    }

    /// <summary>Restores state captured by <see cref="GetState"/> (copying values) and the step counter.</summary>
    /// <param name="state">Pairs named <c>"{index}.{buffer}"</c>; buffers missing from it are reset to "not created".</param>
    /// <param name="stepCount">The <see cref="Optimizer.StepCount"/> to restore, non-negative.</param>
    /// <remarks>PyTorch: <c>optimizer.load_state_dict(...)</c>.</remarks>
    /// <exception cref="ArgumentException">A name is malformed, unknown or repeated, or a shape differs from the buffer's; the message names it.</exception>
    public void LoadState(IEnumerable<(string Name, Tensor<T> Buffer)> state, int stepCount)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentOutOfRangeException.ThrowIfNegative(stepCount);
        var loaded = new List<(int Index, int Slot, Tensor<T> Value)>();
        foreach (var (name, value) in state)
        {
            int dot = name.IndexOf('.', StringComparison.Ordinal);
            int slot = dot < 0 ? -1 : SlotOf(name[(dot + 1)..]);
            if (dot < 0 || !int.TryParse(name.AsSpan(0, dot), NumberStyles.None, CultureInfo.InvariantCulture, out int index)
                || index >= _parameters.Length || slot < 0)
            {
                throw new ArgumentException($"Unknown optimizer state entry '{name}' for {GetType().Name} over {_parameters.Length} parameters.", nameof(state));
            }

            Shape expected = BufferShape(_state[slot].Name, _parameters[index]);
            if (!value.Shape.Equals(expected))
            {
                throw new ArgumentException($"Optimizer state '{name}' has shape {value.Shape}, expected {expected}.", nameof(state));
            }

            foreach (var (i, s, _) in loaded)
            {
                if (i == index && s == slot)
                {
                    throw new ArgumentException($"Optimizer state '{name}' appears twice.", nameof(state));
                }
            }

            loaded.Add((index, slot, value));
        }

        foreach (var (_, buffers) in _state)
        {
            Array.Clear(buffers);
        }

        foreach (var (index, slot, value) in loaded)
        {
            _state[slot].Buffers[index] = value.Detach();
        }

        StepCount = stepCount;
    }

    /// <summary>Updates one parameter in place from its gradient.</summary>
    /// <param name="index">The parameter's index in <see cref="Parameters"/>, for <see cref="Buffer"/>.</param>
    /// <param name="parameter">The parameter's values, to overwrite.</param>
    /// <param name="grad">Its gradient.</param>
    protected abstract void Update(int index, Span<T> parameter, ReadOnlySpan<T> grad);

    /// <summary>Declares a state buffer kind; call once per kind in the derived constructor.</summary>
    /// <param name="name">The buffer name (PyTorch's key, e.g. <c>momentum_buffer</c>).</param>
    protected void DeclareBuffer(string name) => _state.Add((name, new Tensor<T>?[_parameters.Length]));

    /// <summary>The shape of buffer <paramref name="name"/> for <paramref name="parameter"/>: the parameter's own by default.</summary>
    /// <param name="name">The buffer name.</param>
    /// <param name="parameter">The parameter.</param>
    /// <returns>The shape.</returns>
    protected virtual Shape BufferShape(string name, Tensor<T> parameter) => parameter.Shape;

    /// <summary>
    /// The state buffer <paramref name="name"/> of parameter <paramref name="index"/>, created zeroed with
    /// <see cref="BufferShape"/> on first use; <paramref name="created"/> tells whether this call created it.
    /// </summary>
    /// <param name="index">The parameter index.</param>
    /// <param name="name">A name passed to <see cref="DeclareBuffer"/>.</param>
    /// <param name="created">True when the buffer did not exist before (PyTorch: the state entry was None).</param>
    /// <returns>A writable span over the buffer.</returns>
    protected Span<T> Buffer(int index, string name, out bool created)
    {
        int slot = SlotOf(name);
        Tensor<T>?[] buffers = _state[slot].Buffers;
        created = buffers[index] is null;
        buffers[index] ??= new Tensor<T>(BufferShape(name, _parameters[index]));
        return buffers[index]!.AsSpanForWrite();
    }

    private int SlotOf(string name)
    {
        for (int s = 0; s < _state.Count; s++)
        {
            if (_state[s].Name == name)
            {
                return s;
            }
        }

        return -1;
    }
}

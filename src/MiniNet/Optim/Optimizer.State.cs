using System;
using System.Collections.Generic;
using System.Globalization;

namespace MiniNet.Optim;

/// <content>Per-parameter state buffers: declaration, lazy creation, and their export and restore for checkpoints.</content>
public abstract partial class Optimizer<T>
{
    private readonly List<(string Name, Tensor<T>?[] Buffers)> _state = new();

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

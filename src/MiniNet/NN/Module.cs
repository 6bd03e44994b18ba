using System;
using System.Collections.Generic;
using System.Numerics;

namespace MiniNet.NN;

/// <summary>
/// Base class of network layers and containers: owns named parameters and child modules, and maps an input tensor
/// to an output tensor in <see cref="Forward"/>.
/// </summary>
/// <typeparam name="T">float (the default for networks) or double.</typeparam>
/// <remarks>
/// PyTorch: <c>torch.nn.Module</c>. Parameters are enumerated like <c>named_parameters()</c> / <c>state_dict()</c>:
/// a module's own parameters first, in registration order, then each child's under the prefix <c>"childName."</c>,
/// so a <see cref="Sequential{T}"/> of two <see cref="Linear{T}"/> layers yields <c>0.weight, 0.bias, 1.weight, 1.bias</c>.
/// The order is stable, which optimizers and checkpoints rely on. Buffers (<see cref="RegisterBuffer"/>: batch norm's
/// running statistics) are state that is saved and loaded but not trained; <see cref="StateDict"/> lists both, in
/// PyTorch's <c>state_dict()</c> order.
/// </remarks>
public abstract class Module<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly List<(string Name, Tensor<T> Parameter)> _parameters = new();
    private readonly List<(string Name, Tensor<T> Buffer)> _buffers = new();
    private readonly List<(string Name, Module<T> Module)> _children = new();

    /// <summary>True in training mode (the default), false after <see cref="Eval"/>.</summary>
    /// <remarks>PyTorch: <c>module.training</c>. Dropout and batch norm read it; the other layers behave the same in both modes.</remarks>
    public bool IsTraining { get; private set; } = true;

    /// <summary>Computes the module's output for <paramref name="input"/>, recording ops on the tape when grad mode is on.</summary>
    /// <param name="input">The input batch.</param>
    /// <returns>The output.</returns>
    /// <remarks>PyTorch: <c>module.forward(x)</c> / <c>module(x)</c>.</remarks>
    public abstract Tensor<T> Forward(Tensor<T> input);

    /// <summary>Puts this module and all its descendants in training or evaluation mode.</summary>
    /// <param name="mode">True for training, false for evaluation.</param>
    /// <returns>This module, for chaining.</returns>
    /// <remarks>PyTorch: <c>module.train(mode)</c>.</remarks>
    public Module<T> Train(bool mode = true)
    {
        IsTraining = mode;
        foreach (var (_, child) in _children)
        {
            child.Train(mode);
        }

        return this;
    }

    /// <summary>Puts this module and all its descendants in evaluation mode: <c>Train(false)</c>.</summary>
    /// <returns>This module, for chaining.</returns>
    /// <remarks>PyTorch: <c>module.eval()</c>.</remarks>
    public Module<T> Eval() => Train(false);

    /// <summary>All parameters of this module and its descendants with their dotted names, in a stable order.</summary>
    /// <returns>A new list of <c>(name, parameter)</c> pairs; the tensors are the live parameters, not copies.</returns>
    /// <remarks>PyTorch: <c>named_parameters()</c>; the names equal PyTorch's <c>state_dict()</c> keys for the same architecture.</remarks>
    public IReadOnlyList<(string Name, Tensor<T> Parameter)> NamedParameters()
    {
        var result = new List<(string, Tensor<T>)>();
        Collect(string.Empty, result, parameters: true, buffers: false);
        return result;
    }

    /// <summary>All buffers of this module and its descendants with their dotted names (own buffers first, then each child's).</summary>
    /// <returns>A new list of <c>(name, buffer)</c> pairs; the tensors are the live buffers.</returns>
    /// <remarks>PyTorch: <c>named_buffers()</c>.</remarks>
    public IReadOnlyList<(string Name, Tensor<T> Buffer)> NamedBuffers()
    {
        var result = new List<(string, Tensor<T>)>();
        Collect(string.Empty, result, parameters: false, buffers: true);
        return result;
    }

    /// <summary>
    /// Everything a checkpoint saves: each module's parameters, then its buffers, then its children's state under
    /// <c>"childName."</c>; names and order equal PyTorch's <c>state_dict()</c> keys for the same architecture.
    /// </summary>
    /// <returns>A new list of <c>(name, tensor)</c> pairs; the tensors are live.</returns>
    /// <remarks>PyTorch: <c>state_dict()</c> (parameters and persistent buffers).</remarks>
    public IReadOnlyList<(string Name, Tensor<T> Tensor)> StateDict()
    {
        var result = new List<(string, Tensor<T>)>();
        Collect(string.Empty, result, parameters: true, buffers: true);
        return result;
    }

    /// <summary>All parameters of this module and its descendants, in the order of <see cref="NamedParameters"/>.</summary>
    /// <returns>A new list of the live parameter tensors.</returns>
    /// <remarks>PyTorch: <c>parameters()</c>.</remarks>
    public IReadOnlyList<Tensor<T>> Parameters()
    {
        IReadOnlyList<(string Name, Tensor<T> Parameter)> named = NamedParameters();
        var result = new Tensor<T>[named.Count];
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = named[i].Parameter;
        }

        return result;
    }

    /// <summary>The direct children with their names, in registration order.</summary>
    /// <returns>The children.</returns>
    /// <remarks>PyTorch: <c>named_children()</c>.</remarks>
    public IReadOnlyList<(string Name, Module<T> Module)> NamedChildren() => _children.AsReadOnly();

    /// <summary>Clears the accumulated gradient of every parameter: <c>p.grad = 0</c>.</summary>
    /// <remarks>PyTorch: <c>module.zero_grad()</c> (which sets grads to None; here the buffers are zeroed and reused).</remarks>
    public void ZeroGrad()
    {
        foreach (var (_, parameter) in NamedParameters())
        {
            parameter.ZeroGrad();
        }
    }

    /// <summary>Registers a parameter under <paramref name="name"/> and marks it as requiring a gradient.</summary>
    /// <param name="name">A non-empty name without dots, unique within this module.</param>
    /// <param name="parameter">A leaf tensor.</param>
    /// <returns><paramref name="parameter"/>.</returns>
    /// <exception cref="ArgumentException">The name is empty, contains a dot or is taken, or the tensor is not a leaf.</exception>
    /// <remarks>PyTorch: <c>register_parameter</c> / assigning an <c>nn.Parameter</c> attribute.</remarks>
    protected Tensor<T> RegisterParameter(string name, Tensor<T> parameter)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        CheckName(name);
        if (!parameter.IsLeaf)
        {
            throw new ArgumentException($"Parameter '{name}' must be a leaf tensor; call Detach() on an op's output first.", nameof(parameter));
        }

        parameter.RequiresGrad = true;
        _parameters.Add((name, parameter));
        return parameter;
    }

    /// <summary>
    /// Registers a buffer under <paramref name="name"/>: state saved and loaded with the module (in
    /// <see cref="StateDict"/>) but not a parameter, so optimizers do not see it. It must not require a gradient.
    /// </summary>
    /// <param name="name">A non-empty name without dots, unique within this module.</param>
    /// <param name="buffer">A leaf tensor that does not require a gradient.</param>
    /// <returns><paramref name="buffer"/>.</returns>
    /// <exception cref="ArgumentException">The name is empty, contains a dot or is taken, or the tensor requires a gradient.</exception>
    /// <remarks>PyTorch: <c>register_buffer(name, tensor)</c> (persistent).</remarks>
    protected Tensor<T> RegisterBuffer(string name, Tensor<T> buffer)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        CheckName(name);
        if (buffer.RequiresGrad)
        {
            throw new ArgumentException($"Buffer '{name}' requires a gradient; register it as a parameter instead.", nameof(buffer));
        }

        _buffers.Add((name, buffer));
        return buffer;
    }

    /// <summary>Registers a child module under <paramref name="name"/>; its parameters appear as <c>name.param</c>.</summary>
    /// <typeparam name="TModule">The child's type.</typeparam>
    /// <param name="name">A non-empty name without dots, unique within this module.</param>
    /// <param name="module">The child.</param>
    /// <returns><paramref name="module"/>.</returns>
    /// <exception cref="ArgumentException">The name is empty, contains a dot or is taken.</exception>
    /// <remarks>PyTorch: <c>add_module</c> / assigning a module attribute.</remarks>
    protected TModule RegisterModule<TModule>(string name, TModule module)
        where TModule : Module<T>
    {
        ArgumentNullException.ThrowIfNull(module);
        CheckName(name);
        _children.Add((name, module));
        return module;
    }

    private void CheckName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length == 0 || name.Contains('.', StringComparison.Ordinal))
        {
            throw new ArgumentException($"Parameter and module names must be non-empty and contain no '.', got '{name}'.", nameof(name));
        }

        foreach (var (existing, _) in _parameters)
        {
            if (existing == name)
            {
                throw new ArgumentException($"The name '{name}' is already used by a parameter of {GetType().Name}.", nameof(name));
            }
        }

        foreach (var (existing, _) in _buffers)
        {
            if (existing == name)
            {
                throw new ArgumentException($"The name '{name}' is already used by a buffer of {GetType().Name}.", nameof(name));
            }
        }

        foreach (var (existing, _) in _children)
        {
            if (existing == name)
            {
                throw new ArgumentException($"The name '{name}' is already used by a child module of {GetType().Name}.", nameof(name));
            }
        }
    }

    private void Collect(string prefix, List<(string, Tensor<T>)> result, bool parameters, bool buffers)
    {
        if (parameters)
        {
            foreach (var (name, parameter) in _parameters)
            {
                result.Add((prefix + name, parameter));
            }
        }

        if (buffers)
        {
            foreach (var (name, buffer) in _buffers)
            {
                result.Add((prefix + name, buffer));
            }
        }

        foreach (var (name, child) in _children)
        {
            child.Collect(prefix + name + ".", result, parameters, buffers);
        }
    }
}

using System;
using System.Collections.Generic;

namespace MiniNet;

/// <content>Gradient hooks and retained gradients of non-leaf tensors.</content>
public sealed partial class Tensor<T> : IHookedTensor
{
    private List<Func<Tensor<T>, Tensor<T>?>>? _hooks;
    private bool _retainsGrad;

    /// <summary>True when a hook is registered or the gradient is retained, so a walk must stop at this tensor's gradient.</summary>
    internal bool InterceptsGradient => _hooks is { Count: > 0 } || (_retainsGrad && !IsLeaf);

    /// <summary>
    /// Registers <paramref name="hook"/>, called with this tensor's gradient each time a backward pass has computed it
    /// (before it flows on, or before it is accumulated into a leaf's <see cref="Grad"/>). Return a tensor of the same
    /// shape to replace the gradient, or null to keep it. Hooks run in registration order, each seeing the previous
    /// one's result; do not modify the argument in place.
    /// </summary>
    /// <param name="hook">The hook.</param>
    /// <returns>A handle whose <see cref="RemovableHandle.Remove"/> (or Dispose) unregisters the hook.</returns>
    /// <remarks>PyTorch: <c>tensor.register_hook(hook)</c>.</remarks>
    /// <exception cref="InvalidOperationException">The tensor does not require a gradient.</exception>
    public RemovableHandle RegisterHook(Func<Tensor<T>, Tensor<T>?> hook)
    {
        ArgumentNullException.ThrowIfNull(hook);
        if (!RequiresGrad)
        {
            throw new InvalidOperationException(
                $"RegisterHook needs a tensor that requires a gradient; this one (shape {Shape}) does not. Set RequiresGrad = true on the leaf first.");
        }

        (_hooks ??= new()).Add(hook);
        return new RemovableHandle(() => _hooks.Remove(hook));
    }

    /// <summary>
    /// Keeps this non-leaf tensor's gradient in <see cref="Grad"/> after backward passes (accumulated like a leaf's);
    /// does nothing on a leaf.
    /// </summary>
    /// <remarks>PyTorch: <c>tensor.retain_grad()</c>.</remarks>
    /// <exception cref="InvalidOperationException">The tensor does not require a gradient.</exception>
    public void RetainGrad()
    {
        if (!RequiresGrad)
        {
            throw new InvalidOperationException($"RetainGrad needs a tensor that requires a gradient; this one (shape {Shape}) does not.");
        }

        _retainsGrad = true;
    }

    /// <summary>True when <see cref="RetainGrad"/> was called.</summary>
    /// <remarks>PyTorch: <c>retains_grad</c>.</remarks>
    public bool RetainsGrad => _retainsGrad && !IsLeaf;

    /// <summary>Runs the hooks on <paramref name="gradient"/> and returns the (possibly replaced) gradient.</summary>
    internal Tensor<T> ApplyHooks(Tensor<T> gradient)
    {
        if (_hooks is null)
        {
            return gradient;
        }

        foreach (Func<Tensor<T>, Tensor<T>?> hook in _hooks.ToArray())
        {
            if (hook(gradient) is { } replaced)
            {
                if (replaced.Shape != Shape)
                {
                    throw new InvalidOperationException($"A gradient hook returned shape {replaced.Shape} for a tensor of shape {Shape}; return the same shape, or null to keep the gradient.");
                }

                gradient = replaced;
            }
        }

        return gradient;
    }

    /// <summary>Keeps <paramref name="gradient"/> in <see cref="Grad"/> if this non-leaf retains its gradient.</summary>
    internal void RetainIfAsked(Tensor<T> gradient)
    {
        if (RetainsGrad)
        {
            Grad = Grad is { } old ? old.Add(gradient) : gradient.Mul(T.One);
        }
    }

    /// <summary>Fast walk: applies hooks and RetainGrad to the transient gradient before it is used.</summary>
    internal void InterceptTransientGradient()
    {
        if (TransientGrad is null || !InterceptsGradient)
        {
            return;
        }

        using Autograd.Scope noGrad = Autograd.NoGrad();
        Tensor<T> gradient = ApplyHooks(Tensor.FromArray<T>(TransientGrad.AsSpan(0, Count), Shape));
        gradient.AsReadOnlySpan().CopyTo(TransientGrad.AsSpan(0, Count));
        RetainIfAsked(gradient);
    }

    /// <inheritdoc/>
    void IHookedTensor.FlushHookedLeafGradient()
    {
        if (TransientGrad is not { } buffer)
        {
            return;
        }

        TransientGrad = null;
        using Autograd.Scope noGrad = Autograd.NoGrad();
        Tensor<T> gradient = ApplyHooks(Tensor.FromArray<T>(buffer.AsSpan(0, Count), Shape));
        BufferPool<T>.Return(buffer);
        Span<T> grad = GradBufferOfLeaf(out bool accumulate);
        if (accumulate)
        {
            InPlace.Add(grad, gradient.AsReadOnlySpan());
        }
        else
        {
            gradient.AsReadOnlySpan().CopyTo(grad);
        }
    }

    /// <inheritdoc/>
    void IHookedTensor.DiscardHookedLeafGradient() => ReleaseTransientGrad();
}

/// <summary>A leaf with hooks whose gradient a fast walk collects apart and hands over at the end.</summary>
internal interface IHookedTensor
{
    /// <summary>Runs the hooks on the collected gradient and accumulates the result into Grad.</summary>
    void FlushHookedLeafGradient();

    /// <summary>Drops the collected gradient (a walk that failed).</summary>
    void DiscardHookedLeafGradient();
}

/// <summary>Unregisters a hook (PyTorch: <c>torch.utils.hooks.RemovableHandle</c>).</summary>
public sealed class RemovableHandle : IDisposable
{
    private Action? _remove;

    internal RemovableHandle(Action remove) => _remove = remove;

    /// <summary>Removes the hook; later calls do nothing.</summary>
    public void Remove()
    {
        _remove?.Invoke();
        _remove = null;
    }

    /// <summary>Same as <see cref="Remove"/>.</summary>
    public void Dispose() => Remove();
}

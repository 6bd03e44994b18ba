using System;
using System.Collections.Generic;
using System.Numerics;

namespace MiniNet;

/// <summary>
/// The tensor-valued backward walk behind <see cref="Autograd.Grad{T}(IReadOnlyList{Tensor{T}}, IReadOnlyList{Tensor{T}}, IReadOnlyList{Tensor{T}?}?, bool?, bool, bool)"/>
/// and <c>Backward(createGraph: true)</c>: same order as the fast walk (reachable nodes, latest first), but gradients
/// are tensors held per walk, so nothing touches <see cref="Tensor{T}.Grad"/> unless asked, and with
/// <c>createGraph</c> the backward itself is recorded.
/// </summary>
/// <remarks>
/// One walk may cross element types (<see cref="Tensor{T}.To{TOther}"/>): the gradients are kept per tensor whatever
/// its type, and each node runs its own step (<see cref="TapeEntry.StepTensorWalk"/>), typed by its element type.
/// </remarks>
internal sealed class TensorWalk
{
    // Tensor -> its gradient so far, a Tensor<T> of the tensor's own element type.
    private readonly Dictionary<object, object> _grads = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<object> _wanted = new(ReferenceEqualityComparer.Instance);
    private readonly PriorityQueue<TapeEntry, long> _queue = new();
    private readonly List<HookedLeaf> _hookedLeaves = new();
    private readonly int _stamp;
    private readonly bool _accumulateIntoLeaves;
    private readonly bool _stopAtTargets;
    private readonly bool _anomaly = Autograd.IsAnomalyDetectionEnabled;

    private TensorWalk(int stamp, bool accumulateIntoLeaves, bool createGraph, bool stopAtTargets)
    {
        _stamp = stamp;
        _accumulateIntoLeaves = accumulateIntoLeaves;
        CreateGraph = createGraph;
        _stopAtTargets = stopAtTargets;
    }

    /// <summary>True when the backward is recorded (the differentiable rules run).</summary>
    public bool CreateGraph { get; }

    /// <summary>Runs the walk from <paramref name="roots"/> seeded with <paramref name="seeds"/> (null: ones).</summary>
    /// <param name="roots">The tensors to differentiate.</param>
    /// <param name="seeds">One gradient per root, or null entries for one-element roots.</param>
    /// <param name="targets">The tensors whose gradients to return (their gradients are not written to <c>Grad</c>).</param>
    /// <param name="accumulateIntoLeaves">Add the gradients of other leaves into their <c>Grad</c> (Backward).</param>
    /// <param name="retainGraph">Keep the walked nodes for another backward pass.</param>
    /// <param name="createGraph">Record the backward (differentiable rules) so it can be differentiated again.</param>
    /// <param name="stopAtTargets">Do not walk past the targets, and run no hooks (a rule differentiating its own recomputation).</param>
    /// <returns>The gradient of each target, or null where none reached it.</returns>
    public static Tensor<T>?[] Run<T>(IReadOnlyList<Tensor<T>> roots, IReadOnlyList<Tensor<T>?> seeds, IReadOnlyList<Tensor<T>> targets,
        bool accumulateIntoLeaves, bool retainGraph, bool createGraph, bool stopAtTargets = false)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        using Autograd.Scope mode = createGraph ? Autograd.EnableGradInternal() : Autograd.NoGrad();
        Tape tape = Tape.Current;
        var walk = new TensorWalk(tape.NextWalkStamp(), accumulateIntoLeaves, createGraph, stopAtTargets);
        foreach (Tensor<T> target in targets)
        {
            walk._wanted.Add(target);
        }

        var visited = new List<TapeEntry>();
        for (int r = 0; r < roots.Count; r++)
        {
            Tensor<T> root = roots[r];
            Tensor<T> seed = seeds[r] ?? Tensor.Ones<T>(root.Shape.ToArray());
            if (root.Creator is { } node)
            {
                if (node.Owner != tape)
                {
                    throw new InvalidOperationException(
                        "A gradient was requested on a thread other than the one that recorded this tensor. Each thread has its own tape; differentiate where the forward pass ran.");
                }

                Tape.ThrowIfStale(node);
                walk.Enqueue(node);
            }

            walk.Deliver(root, seed, hooks: true);
        }

        try
        {
            while (walk._queue.TryDequeue(out TapeEntry? node, out _))
            {
                visited.Add(node);
                node.StepTensorWalk(walk);
            }
        }
        finally
        {
            while (walk._queue.TryDequeue(out TapeEntry? pending, out _))
            {
                visited.Add(pending);
            }

            if (!retainGraph)
            {
                tape.Free(visited);
            }
        }

        // Hooked leaves collected their gradient in the map; run their hooks now and hand it over.
        foreach (HookedLeaf leaf in walk._hookedLeaves)
        {
            leaf.Finish(walk);
        }

        var result = new Tensor<T>?[targets.Count];
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = walk._grads.TryGetValue(targets[i], out object? g) ? (Tensor<T>)g : null;
        }

        return result;
    }

    /// <summary>
    /// The default step of a node: its output's complete gradient (hooks run, saved versions checked), the rule
    /// (<see cref="TapeEntry{T}.BackwardAsTensors"/>), and each input's gradient delivered.
    /// </summary>
    public void Step<T>(TapeEntry<T> node)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (!TryTakeOutputGradient(node, out Tensor<T>? g))
        {
            return;
        }

        Tensor<T>?[] inputGrads = node.BackwardAsTensors(g, CreateGraph);
        ReadOnlySpan<Tensor<T>> inputs = node.Inputs;
        for (int i = 0; i < inputs.Length; i++)
        {
            if (inputGrads[i] is { } gi)
            {
                DeliverInput(node, i, inputs[i], gi);
            }
        }
    }

    /// <summary>
    /// Takes the gradient that reached <paramref name="node"/>'s output, after its hooks and RetainGrad, and checks the
    /// node can still run; false when no gradient reached it.
    /// </summary>
    public bool TryTakeOutputGradient<T>(TapeEntry<T> node, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Tensor<T>? gradient)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        Tensor<T> output = node.Output;
        if (!_grads.TryGetValue(output, out object? found))
        {
            gradient = null;
            return false;
        }

        gradient = (Tensor<T>)found;
        if (!_wanted.Contains(output))
        {
            _grads.Remove(output);
        }

        if (!_stopAtTargets)
        {
            gradient = output.ApplyHooks(gradient);
            output.RetainIfAsked(gradient);
        }

        Tape.ThrowIfStale(node);
        node.CheckSavedVersions();
        return true;
    }

    /// <summary>
    /// Hands <paramref name="gradient"/> to <paramref name="input"/> (input <paramref name="index"/> of
    /// <paramref name="node"/>, of any element type) and queues the input's creator.
    /// </summary>
    public void DeliverInput<T>(TapeEntry node, int index, Tensor<T> input, Tensor<T> gradient)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (!input.RequiresGrad)
        {
            return;
        }

        if (_anomaly)
        {
            Anomaly.ThrowIfNotFinite(node, $"gradient of input {index}", gradient.AsReadOnlySpan());
        }

        Deliver(input, gradient, hooks: !_stopAtTargets);
        if ((!_stopAtTargets || !_wanted.Contains(input)) && input.Creator is { } creator)
        {
            Enqueue(creator);
        }
    }

    private void Enqueue(TapeEntry node)
    {
        if (node.WalkStamp != _stamp)
        {
            node.WalkStamp = _stamp;
            _queue.Enqueue(node, -node.Sequence);
        }
    }

    private void Deliver<T>(Tensor<T> tensor, Tensor<T> g, bool hooks)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        bool wanted = _wanted.Contains(tensor);
        if (hooks && tensor.IsLeaf && tensor.InterceptsGradient && (_accumulateIntoLeaves || wanted))
        {
            if (!_grads.ContainsKey(tensor))
            {
                _hookedLeaves.Add(new HookedLeaf<T>(tensor));
            }
        }
        else if (tensor.IsLeaf && !wanted)
        {
            if (_accumulateIntoLeaves && tensor.RequiresGrad)
            {
                // Never store g itself: a rule may hand the same tensor to two inputs, and Grad is accumulated in place later.
                tensor.Grad = tensor.Grad is { } old ? old.Add(g) : g.Mul(T.One);
            }

            return;
        }

        // Sums are new tensors, never in place: g may be shared with another input or be the caller's seed.
        _grads[tensor] = _grads.TryGetValue(tensor, out object? existing) ? ((Tensor<T>)existing).Add(g) : g;
    }

    /// <summary>A leaf with hooks whose gradient is complete only once the walk ends.</summary>
    private abstract class HookedLeaf
    {
        public abstract void Finish(TensorWalk walk);
    }

    private sealed class HookedLeaf<T>(Tensor<T> leaf) : HookedLeaf
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        public override void Finish(TensorWalk walk)
        {
            Tensor<T> g = leaf.ApplyHooks((Tensor<T>)walk._grads[leaf]);
            if (walk._wanted.Contains(leaf))
            {
                walk._grads[leaf] = g;
            }
            else
            {
                walk._grads.Remove(leaf);
                leaf.Grad = leaf.Grad is { } old ? old.Add(g) : g.Mul(T.One);
            }
        }
    }
}

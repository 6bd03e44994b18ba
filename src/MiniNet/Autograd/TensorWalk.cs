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
internal static class TensorWalk
{
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
        var grads = new Dictionary<Tensor<T>, Tensor<T>>(ReferenceEqualityComparer.Instance);
        var wanted = new HashSet<Tensor<T>>(targets, ReferenceEqualityComparer.Instance);
        var queue = new PriorityQueue<TapeEntry, long>();
        var visited = new List<TapeEntry>();
        var hookedLeaves = new List<Tensor<T>>();
        int stamp = tape.NextWalkStamp();
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
                if (node.WalkStamp != stamp)
                {
                    node.WalkStamp = stamp;
                    queue.Enqueue(node, -node.Sequence);
                }
            }

            Deliver(root, seed, grads, wanted, accumulateIntoLeaves, hookedLeaves);
        }

        bool anomaly = Autograd.IsAnomalyDetectionEnabled;
        try
        {
            while (queue.TryDequeue(out TapeEntry? entry, out _))
            {
                var node = (TapeEntry<T>)entry;
                visited.Add(node);
                Tensor<T> output = node.Output;
                if (!grads.TryGetValue(output, out Tensor<T>? g))
                {
                    continue;
                }

                if (!wanted.Contains(output))
                {
                    grads.Remove(output);
                }

                if (!stopAtTargets)
                {
                    g = output.ApplyHooks(g);
                    output.RetainIfAsked(g);
                }

                Tape.ThrowIfStale(node);
                node.CheckSavedVersions();
                Tensor<T>?[] inputGrads = node.BackwardAsTensors(g, createGraph);
                ReadOnlySpan<Tensor<T>> inputs = node.Inputs;
                for (int i = 0; i < inputs.Length; i++)
                {
                    if (inputGrads[i] is not { } gi || !inputs[i].RequiresGrad)
                    {
                        continue;
                    }

                    if (anomaly)
                    {
                        Anomaly.ThrowIfNotFinite(node, $"gradient of input {i}", gi.AsReadOnlySpan());
                    }

                    Deliver(inputs[i], gi, grads, wanted, accumulateIntoLeaves, stopAtTargets ? null : hookedLeaves);
                    if (stopAtTargets && wanted.Contains(inputs[i]))
                    {
                        continue;
                    }

                    if (inputs[i].Creator is { } creator && creator.WalkStamp != stamp)
                    {
                        creator.WalkStamp = stamp;
                        queue.Enqueue(creator, -creator.Sequence);
                    }
                }
            }
        }
        finally
        {
            while (queue.TryDequeue(out TapeEntry? pending, out _))
            {
                visited.Add(pending);
            }

            if (!retainGraph)
            {
                tape.Free(visited);
            }
        }

        // Hooked leaves collected their gradient in the map; run their hooks now and hand it over.
        foreach (Tensor<T> leaf in hookedLeaves)
        {
            Tensor<T> g = leaf.ApplyHooks(grads[leaf]);
            if (wanted.Contains(leaf))
            {
                grads[leaf] = g;
            }
            else
            {
                grads.Remove(leaf);
                leaf.Grad = leaf.Grad is { } old ? old.Add(g) : g.Mul(T.One);
            }
        }

        var result = new Tensor<T>?[targets.Count];
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = grads.TryGetValue(targets[i], out Tensor<T>? g) ? g : null;
        }

        return result;
    }

    private static void Deliver<T>(Tensor<T> tensor, Tensor<T> g, Dictionary<Tensor<T>, Tensor<T>> grads, HashSet<Tensor<T>> wanted, bool accumulateIntoLeaves,
        List<Tensor<T>>? hookedLeaves)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (hookedLeaves is not null && tensor.IsLeaf && tensor.InterceptsGradient && (accumulateIntoLeaves || wanted.Contains(tensor)))
        {
            if (!grads.ContainsKey(tensor))
            {
                hookedLeaves.Add(tensor);
            }
        }
        else if (tensor.IsLeaf && !wanted.Contains(tensor))
        {
            if (accumulateIntoLeaves && tensor.RequiresGrad)
            {
                // Never store g itself: a rule may hand the same tensor to two inputs, and Grad is accumulated in place later.
                tensor.Grad = tensor.Grad is { } old ? old.Add(g) : g.Mul(T.One);
            }

            return;
        }

        // Sums are new tensors, never in place: g may be shared with another input or be the caller's seed.
        grads[tensor] = grads.TryGetValue(tensor, out Tensor<T>? existing) ? existing.Add(g) : g;
    }
}

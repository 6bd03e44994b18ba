using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Numerics;

namespace MiniNet;

/// <summary>
/// The Wengert list: every differentiable op recorded in execution order. <see cref="Tensor{T}.Backward"/> walks
/// it once in reverse, so there is no recursion and no topological sort.
/// </summary>
/// <remarks>
/// Threading model: each thread has its own tape (<see cref="Current"/>), and a graph must be built and
/// differentiated on one thread. Using a tensor recorded on one thread in a recorded op on another throws.
/// Backward frees the thread's tape (unless asked to retain it): tensors recorded before then can no longer be
/// differentiated through. Evaluate under <see cref="Autograd.NoGrad"/>, or call <see cref="Clear"/>, so that
/// forward passes you never differentiate do not pile up on the tape.
/// </remarks>
public sealed class Tape
{
    [ThreadStatic]
    private static Tape? t_current;

    private readonly List<TapeEntry> _entries = new();
    private readonly int _threadId = Environment.CurrentManagedThreadId;

    private Tape()
    {
    }

    /// <summary>The calling thread's tape.</summary>
    public static Tape Current => t_current ??= new Tape();

    /// <summary>The number of entries currently recorded.</summary>
    public int Count => _entries.Count;

    /// <summary>Incremented each time the tape is freed; tensors recorded under an older generation are stale.</summary>
    internal int Generation { get; private set; }

    /// <summary>Discards every entry, as a backward pass does. Tensors recorded so far can no longer be differentiated through.</summary>
    public void Clear()
    {
        _entries.Clear();
        Generation++;
    }

    /// <summary>True when an op over these inputs must be recorded: grad mode is on and an input requires a gradient.</summary>
    internal static bool ShouldRecord<T>(Tensor<T> a)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> => a.RequiresGrad && Autograd.IsGradEnabled;

    /// <inheritdoc cref="ShouldRecord{T}(Tensor{T})"/>
    internal static bool ShouldRecord<T>(Tensor<T> a, Tensor<T> b)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> => (a.RequiresGrad || b.RequiresGrad) && Autograd.IsGradEnabled;

    /// <summary>Appends <paramref name="entry"/> and makes it the creator of its output.</summary>
    internal static void Record<T>(TapeEntry<T> entry)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        Tape tape = Current;
        foreach (Tensor<T> input in entry.Inputs)
        {
            if (input.Creator is not null && (input.Tape != tape || input.Generation != tape.Generation))
            {
                throw new InvalidOperationException(input.Tape != tape
                    ? $"{entry.OpName} got an input (shape {input.Shape}) recorded on another thread's tape. Each thread has its own tape; " +
                      "build and differentiate a graph on one thread, or pass Detach()ed copies between threads."
                    : $"{entry.OpName} got an input (shape {input.Shape}) whose tape was already freed by Backward(). " +
                      "Recompute it in this forward pass, call Detach() to use its values as a constant, or pass retainGraph: true to the earlier Backward().");
            }
        }

        entry.Index = tape._entries.Count;
        entry.OutputVersion = entry.Output.Version;
        tape._entries.Add(entry);
        entry.Output.SetCreator(entry, tape);
        if (Autograd.IsAnomalyDetectionEnabled)
        {
            entry.RecordedAt = new StackTrace(2, fNeedFileInfo: true);
            entry.CheckOutputFinite();
        }
    }

    internal static void RunBackward<T>(Tensor<T> root, Tensor<T>? gradOutput, bool retainGraph)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (!root.RequiresGrad)
        {
            throw new InvalidOperationException(
                $"Backward() was called on a tensor (shape {root.Shape}) that does not require a gradient: no input of the ops " +
                "that produced it has RequiresGrad = true, or it was computed under Autograd.NoGrad().");
        }

        if (gradOutput is null && root.Count != 1)
        {
            throw new InvalidOperationException(
                $"Backward() without a gradient needs a one-element (scalar) tensor, but this one has shape {root.Shape}. " +
                "Reduce it first (Sum() or Mean()), or pass Backward(gradOutput) with the same shape.");
        }

        if (gradOutput is not null && gradOutput.Shape != root.Shape)
        {
            throw new ArgumentException($"Backward() got a gradient of shape {gradOutput.Shape} for a tensor of shape {root.Shape}.", nameof(gradOutput));
        }

        if (root.IsLeaf)
        {
            // Differentiating a leaf with respect to itself: its gradient is the seed.
            AddSeed(root.GradBuffer(), gradOutput);
            return;
        }

        Tape tape = Current;
        if (root.Tape != tape)
        {
            throw new InvalidOperationException(
                "Backward() was called on a thread other than the one that recorded this tensor. Each thread has its own tape; call Backward() where the forward pass ran.");
        }

        if (root.Generation != tape.Generation)
        {
            throw new InvalidOperationException(
                "Backward() was called on a tensor whose tape was already freed by an earlier Backward(). " +
                "Pass retainGraph: true to the first Backward() to differentiate the same graph twice, or recompute the forward pass.");
        }

        // Allocated only now: a gradient left on a non-leaf by a rejected call would make a later walk run its entry.
        AddSeed(root.GradBuffer(), gradOutput);
        bool anomaly = Autograd.IsAnomalyDetectionEnabled;
        List<TapeEntry> entries = tape._entries;
        bool completed = false;
        try
        {
            for (int i = root.Creator!.Index; i >= 0; i--)
            {
                TapeEntry entry = entries[i];
                if (!entry.HasOutputGradient)
                {
                    continue;
                }

                entry.CheckSavedVersions();
                entry.Backward();
                entry.ReleaseOutputGradient();
                if (anomaly)
                {
                    entry.CheckInputGradientsFinite();
                }
            }

            completed = true;
        }
        finally
        {
            if (!completed)
            {
                // A rule threw midway: drop the half-propagated transient gradients so nothing stale survives.
                for (int i = root.Creator!.Index; i >= 0; i--)
                {
                    entries[i].ReleaseOutputGradient();
                }
            }

            if (!retainGraph)
            {
                if (Autograd.IsRecyclingIntermediates)
                {
                    foreach (TapeEntry entry in entries)
                    {
                        entry.ReleaseOutputStorage(root, root.Storage);
                    }
                }

                tape.Clear();
            }
        }
    }

    private static void AddSeed<T>(Span<T> seed, Tensor<T>? gradOutput)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (gradOutput is null)
        {
            seed[0] += T.One;
        }
        else
        {
            InPlace.Add(seed, gradOutput.AsReadOnlySpan());
        }
    }
}

using System;
using System.Collections.Generic;
using System.Numerics;

namespace MiniNet;

/// <summary>Backward walks inside <see cref="Autograd.CaptureStep{T}"/>: the walk as it ran, kept as a list that replay repeats.</summary>
public sealed partial class Tape
{
    // The nodes the walk under capture ran, in order; null outside a capture.
    private List<TapeEntry>? _captured;

    /// <summary>
    /// Runs <see cref="RunBackward{T}"/> under a capture and adds the kernel that repeats it: the leaves whose gradient
    /// was null (or released by <c>ZeroGrad()</c>) when it ran get it overwritten by each replay, the others added to.
    /// </summary>
    private static void RunCapturedBackward<T>(StepCapture capture, Tensor<T> root, Tensor<T>? gradOutput, bool retainGraph)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (InBackward.IsActive)
        {
            throw new NotSupportedException(
                "Autograd.CaptureStep: an optimizer has StepInBackward on; a captured step replays Backward() and Step() as recorded. " +
                "Turn StepInBackward off and call Step() inside the captured step.");
        }

        ValidateRoot(root, gradOutput);
        capture.RequireReplayable(root, "the tensor Backward() was called on");
        if (gradOutput is not null)
        {
            capture.RequireReplayable(gradOutput, "the gradient passed to Backward()");
        }

        Tensor<T>[] released = ReleasedLeaves(root);
        Tape tape = Current;
        tape._captured = new List<TapeEntry>();
        try
        {
            RunBackward(root, gradOutput, retainGraph);
            TapeEntry[] nodes = tape._captured.ToArray();
            Tensor<T>[] retaining = RetainingOutputs<T>(nodes);
            capture.Add(() => tape.ReplayBackward(root, gradOutput, nodes, released, retaining));
        }
        finally
        {
            tape._captured = null;
        }
    }

    /// <summary>The leaves reachable from <paramref name="root"/> that need a gradient and hold none now.</summary>
    private static Tensor<T>[] ReleasedLeaves<T>(Tensor<T> root)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var leaves = new List<Tensor<T>>();
        var seen = new HashSet<object>(ReferenceEqualityComparer.Instance);
        var stack = new Stack<Tensor<T>>();
        stack.Push(root);
        while (stack.TryPop(out Tensor<T>? tensor))
        {
            if (!seen.Add(tensor))
            {
                continue;
            }

            if (tensor.Creator is null)
            {
                if (tensor.RequiresGrad && tensor.Grad is null)
                {
                    leaves.Add(tensor);
                }

                continue;
            }

            if (tensor.Creator is not TapeEntry<T> node)
            {
                throw new NotSupportedException(
                    $"Autograd.CaptureStep: the graph behind Backward() mixes element types ({tensor.Creator.OpName}); a captured step replays one element type.");
            }

            foreach (Tensor<T> input in node.Inputs)
            {
                stack.Push(input);
            }
        }

        return leaves.ToArray();
    }

    /// <summary>The outputs of <paramref name="nodes"/> that retain their gradient (<c>RetainGrad()</c>).</summary>
    private static Tensor<T>[] RetainingOutputs<T>(TapeEntry[] nodes)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var retaining = new List<Tensor<T>>();
        foreach (TapeEntry node in nodes)
        {
            if (node is TapeEntry<T> { Output.RetainsGrad: true } entry)
            {
                retaining.Add(entry.Output);
            }
        }

        return retaining.ToArray();
    }

    /// <summary>
    /// Repeats a captured backward walk: the same rules in the same order, without the walk's queue, stamps, staleness
    /// and version checks (replay recomputed every saved tensor in order, so each rule reads this step's values).
    /// </summary>
    private void ReplayBackward<T>(Tensor<T> root, Tensor<T>? gradOutput, TapeEntry[] nodes, Tensor<T>[] released, Tensor<T>[] retaining)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        foreach (Tensor<T> leaf in released)
        {
            leaf.ReleaseGrad();
        }

        // An eager step's intermediates are new tensors, so a retained gradient starts afresh each step; here too.
        foreach (Tensor<T> output in retaining)
        {
            output.Grad = null;
        }

        AddSeed(root.GradBuffer(), gradOutput);
        bool completed = false;
        try
        {
            foreach (TapeEntry node in nodes)
            {
                if (node.HasOutputGradient)
                {
                    RunRule(node, checkVersions: false);
                }
            }

            completed = true;
        }
        finally
        {
            if (!completed)
            {
                foreach (TapeEntry node in nodes)
                {
                    node.ReleaseOutputGradient();
                }
            }

            FlushHookedLeaves(completed);
        }
    }

    /// <summary>One node's step of a walk: hooks on its output gradient, its rule, then the output gradient freed.</summary>
    private static void RunRule(TapeEntry node, bool checkVersions)
    {
        node.InterceptOutputGradient();
        if (checkVersions)
        {
            node.CheckSavedVersions();
        }

        node.Backward();
        node.ReleaseOutputGradient();
    }
}

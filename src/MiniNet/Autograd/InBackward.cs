using System;
using System.Collections.Generic;
using System.Numerics;

namespace MiniNet;

/// <summary>An optimizer that steps inside the backward walks of this thread (see <c>Optimizer{T}.StepInBackward</c>).</summary>
internal interface IInBackwardStepper
{
    /// <summary>A walk starts: forget the previous walk's use counts.</summary>
    void BeginWalk();

    /// <summary>A walk ended: update the parameters whose gradient it produced and that no op updated already.</summary>
    /// <param name="completed">False when a backward rule threw; then nothing is updated.</param>
    void EndWalk(bool completed);
}

/// <summary>
/// The calling thread's optimizers that step inside <see cref="Tensor{T}.Backward"/>. Before a walk, a pass over the
/// reachable graph counts how many ops use each of their parameters, so an op that is a parameter's only user may
/// apply the update itself (Linear fuses plain SGD into its weight-gradient GEMM); the rest are updated when the
/// walk ends, exactly as <c>Step()</c> would.
/// </summary>
internal static class InBackward
{
    [ThreadStatic]
    private static List<IInBackwardStepper>? t_steppers;

    [ThreadStatic]
    private static List<TapeEntry>? t_stack;

    /// <summary>True when an optimizer steps in backward on this thread.</summary>
    public static bool IsActive => t_steppers is { Count: > 0 };

    /// <summary>Registers <paramref name="stepper"/> on this thread (once).</summary>
    public static void Add(IInBackwardStepper stepper)
    {
        t_steppers ??= new();
        if (!t_steppers.Contains(stepper))
        {
            t_steppers.Add(stepper);
        }
    }

    /// <summary>Unregisters <paramref name="stepper"/> from this thread.</summary>
    public static void Remove(IInBackwardStepper stepper) => t_steppers?.Remove(stepper);

    /// <summary>Resets the steppers and counts the parameter uses of every node reachable from <paramref name="root"/>.</summary>
    public static void BeginWalk(TapeEntry root, int stamp)
    {
        foreach (IInBackwardStepper stepper in t_steppers!)
        {
            stepper.BeginWalk();
        }

        List<TapeEntry> stack = t_stack ??= new();
        root.WalkStamp = stamp;
        stack.Add(root);
        while (stack.Count > 0)
        {
            TapeEntry node = stack[^1];
            stack.RemoveAt(stack.Count - 1);
            node.NoteInBackwardUses(stack, stamp);
        }
    }

    /// <summary>Lets every stepper update what the walk left to it.</summary>
    public static void EndWalk(bool completed)
    {
        foreach (IInBackwardStepper stepper in t_steppers!)
        {
            stepper.EndWalk(completed);
        }
    }
}

/// <summary>The per-parameter side of <see cref="InBackward"/> for element type <typeparamref name="T"/>.</summary>
internal static class InBackward<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    [ThreadStatic]
    private static Dictionary<Tensor<T>, Slot>? t_slots;

    [ThreadStatic]
    private static long t_fusedSteps;

    /// <summary>How many parameter updates ops have applied themselves on this thread (for tests).</summary>
    public static long FusedSteps => t_fusedSteps;

    /// <summary>Registers <paramref name="parameter"/> as parameter <paramref name="index"/> of <paramref name="owner"/>.</summary>
    public static Slot Register(Tensor<T> parameter, IPlainStepSource owner, int index)
    {
        var slot = new Slot(parameter, owner, index);
        (t_slots ??= new(ReferenceEqualityComparer.Instance))[parameter] = slot;
        return slot;
    }

    /// <summary>Forgets <paramref name="parameter"/> if <paramref name="owner"/> registered it.</summary>
    public static void Unregister(Tensor<T> parameter, IPlainStepSource owner)
    {
        if (t_slots is not null && t_slots.TryGetValue(parameter, out Slot? slot) && slot.Owner == owner)
        {
            t_slots.Remove(parameter);
        }
    }

    /// <summary>Counts one use of <paramref name="leaf"/> by an op of the graph about to be walked.</summary>
    public static void NoteUse(Tensor<T> leaf)
    {
        if (t_slots is not null && t_slots.TryGetValue(leaf, out Slot? slot))
        {
            slot.Uses++;
        }
    }

    /// <summary>
    /// True when the calling op may update <paramref name="parameter"/> itself with <c>p -= lr * gradient</c>: it is
    /// the only op of this walk that uses it, it has no gradient to add to and no hook, and its optimizer's update is
    /// plain gradient descent. The slot is then marked done, so the end of the walk leaves it alone.
    /// </summary>
    public static bool TryTakePlainStep(Tensor<T> parameter, out T learningRate)
    {
        learningRate = T.Zero;
        if (t_slots is null || !t_slots.TryGetValue(parameter, out Slot? slot) || slot.Uses != 1 || slot.Done ||
            parameter.Grad is not null || parameter.InterceptsGradient || !slot.Owner.IsPlainStep(slot.Index, out double lr))
        {
            return false;
        }

        slot.Done = true;
        t_fusedSteps++;
        learningRate = T.CreateTruncating(lr);
        return true;
    }

    /// <summary>One registered parameter: its optimizer, index, and this walk's use count.</summary>
    internal sealed class Slot(Tensor<T> parameter, IPlainStepSource owner, int index)
    {
        public Tensor<T> Parameter { get; } = parameter;

        public IPlainStepSource Owner { get; } = owner;

        public int Index { get; } = index;

        /// <summary>How many ops of the current walk's graph use the parameter.</summary>
        public int Uses { get; set; }

        /// <summary>True once an op applied this walk's update itself.</summary>
        public bool Done { get; set; }
    }
}

/// <summary>Tells ops whether a parameter's update is plain gradient descent they can fuse.</summary>
internal interface IPlainStepSource
{
    /// <summary>True when parameter <paramref name="index"/> is updated by <c>p -= learningRate * grad</c> alone.</summary>
    bool IsPlainStep(int index, out double learningRate);
}

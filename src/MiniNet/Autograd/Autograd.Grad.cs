using System;
using System.Collections.Generic;
using System.Numerics;

namespace MiniNet;

/// <content>Gradients as tensors: <see cref="Grad{T}(IReadOnlyList{Tensor{T}}, IReadOnlyList{Tensor{T}}, IReadOnlyList{Tensor{T}?}?, bool?, bool, bool)"/>.</content>
public static partial class Autograd
{
    /// <summary>
    /// Computes and returns the sum of the gradients of <paramref name="outputs"/> with respect to each of
    /// <paramref name="inputs"/>, without touching any tensor's <see cref="Tensor{T}.Grad"/>.
    /// </summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="outputs">The tensors to differentiate.</param>
    /// <param name="inputs">The tensors to differentiate with respect to; each must require a gradient.</param>
    /// <param name="gradOutputs">One gradient per output (its shape), or null (then every output must hold one element and its gradient is 1). A null entry means 1 for a one-element output.</param>
    /// <param name="retainGraph">Keep the graph for another backward pass; defaults to <paramref name="createGraph"/>.</param>
    /// <param name="createGraph">Record the backward pass, so the returned gradients can be differentiated again (higher-order gradients).</param>
    /// <param name="allowUnused">Return null for an input the outputs do not depend on instead of throwing.</param>
    /// <returns>One gradient per input (null only for unused inputs with <paramref name="allowUnused"/>).</returns>
    /// <remarks>
    /// PyTorch: <c>torch.autograd.grad(outputs, inputs, grad_outputs, retain_graph, create_graph, allow_unused=...)</c>.
    /// The graph between them may change element type (<see cref="Tensor{T}.To{TOther}"/>), with or without
    /// <paramref name="createGraph"/>; outputs and inputs share <typeparamref name="T"/>, so for a double loss of float
    /// weights pass <c>loss.To&lt;float&gt;()</c>.
    /// </remarks>
    /// <exception cref="ArgumentException">Counts or shapes do not match, or an input does not require a gradient.</exception>
    /// <exception cref="InvalidOperationException">An output does not require a gradient, the graph was freed, or an input is unused (without <paramref name="allowUnused"/>).</exception>
    /// <exception cref="NotSupportedException">With <paramref name="createGraph"/>, an op on the path has no differentiable backward.</exception>
    public static Tensor<T>?[] Grad<T>(IReadOnlyList<Tensor<T>> outputs, IReadOnlyList<Tensor<T>> inputs, IReadOnlyList<Tensor<T>?>? gradOutputs = null,
        bool? retainGraph = null, bool createGraph = false, bool allowUnused = false)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(outputs);
        ArgumentNullException.ThrowIfNull(inputs);
        Tensor<T>?[] seeds = CheckedSeeds(outputs, gradOutputs);
        for (int i = 0; i < inputs.Count; i++)
        {
            ArgumentNullException.ThrowIfNull(inputs[i], nameof(inputs));
            if (!inputs[i].RequiresGrad)
            {
                throw new ArgumentException($"Input {i} (shape {inputs[i].Shape}) does not require a gradient, so there is none to compute. Set RequiresGrad = true on it before the forward pass.", nameof(inputs));
            }
        }

        Tensor<T>?[] result = TensorWalk.Run(outputs, seeds, inputs, accumulateIntoLeaves: false, retainGraph ?? createGraph, createGraph);
        for (int i = 0; i < result.Length && !allowUnused; i++)
        {
            if (result[i] is null)
            {
                throw new InvalidOperationException($"Input {i} (shape {inputs[i].Shape}) was not used to compute the outputs, so it has no gradient. Pass allowUnused: true to get null for it.");
            }
        }

        return result;
    }

    /// <summary>The gradient of one <paramref name="output"/> with respect to one <paramref name="input"/>, as a tensor.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="output">The tensor to differentiate (one element unless <paramref name="gradOutput"/> is given).</param>
    /// <param name="input">The tensor to differentiate with respect to.</param>
    /// <param name="gradOutput">The gradient flowing into <paramref name="output"/>; null means 1.</param>
    /// <param name="retainGraph">Keep the graph for another backward pass; defaults to <paramref name="createGraph"/>.</param>
    /// <param name="createGraph">Record the backward pass so the result can be differentiated again.</param>
    /// <returns>d output / d input, of <paramref name="input"/>'s shape.</returns>
    /// <remarks>PyTorch: <c>torch.autograd.grad(output, input, ...)[0]</c>.</remarks>
    public static Tensor<T> Grad<T>(Tensor<T> output, Tensor<T> input, Tensor<T>? gradOutput = null, bool? retainGraph = null, bool createGraph = false)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        Grad([output], [input], [gradOutput], retainGraph, createGraph)[0]!;

    /// <summary>Backward(createGraph: true): accumulates differentiable gradients into every reached leaf's Grad.</summary>
    internal static void BackwardWithGraph<T>(Tensor<T> root, Tensor<T>? gradOutput, bool retainGraph)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        Tensor<T>?[] seeds = CheckedSeeds([root], [gradOutput]);
        TensorWalk.Run([root], seeds, [], accumulateIntoLeaves: true, retainGraph, createGraph: true);
    }

    private static Tensor<T>?[] CheckedSeeds<T>(IReadOnlyList<Tensor<T>> outputs, IReadOnlyList<Tensor<T>?>? gradOutputs)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (outputs.Count == 0)
        {
            throw new ArgumentException("Grad needs at least one output to differentiate.", nameof(outputs));
        }

        if (gradOutputs is not null && gradOutputs.Count != outputs.Count)
        {
            throw new ArgumentException($"Got {gradOutputs.Count} gradOutputs for {outputs.Count} outputs; pass one per output.", nameof(gradOutputs));
        }

        var seeds = new Tensor<T>?[outputs.Count];
        for (int i = 0; i < outputs.Count; i++)
        {
            Tensor<T> output = outputs[i] ?? throw new ArgumentNullException(nameof(outputs));
            Tensor<T>? seed = gradOutputs?[i];
            if (!output.RequiresGrad)
            {
                throw new InvalidOperationException(
                    $"Output {i} (shape {output.Shape}) does not require a gradient: no input of the ops that produced it has RequiresGrad = true, or it was computed under Autograd.NoGrad().");
            }

            if (seed is null && output.Count != 1)
            {
                throw new InvalidOperationException(
                    $"Output {i} has shape {output.Shape}; without a gradOutput it must hold one element. Reduce it first (Sum() or Mean()), or pass a gradOutput of the same shape.");
            }

            if (seed is not null && seed.Shape != output.Shape)
            {
                throw new ArgumentException($"gradOutputs[{i}] has shape {seed.Shape} for an output of shape {output.Shape}.", nameof(gradOutputs));
            }

            seeds[i] = seed;
        }

        return seeds;
    }
}

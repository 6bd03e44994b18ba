using System;
using System.Collections.Generic;
using System.Globalization;
using System.Numerics;
using System.Text;

namespace MiniNet.NN;

/// <summary>One line of a <see cref="ModuleSummary"/>: a module, its output shape and its parameter count.</summary>
/// <param name="Name">The module's dotted path (its state-dict prefix), or the type name for the root.</param>
/// <param name="Type">The module's type name, e.g. <c>Linear</c>.</param>
/// <param name="Depth">0 for the root, 1 for its children, ...</param>
/// <param name="OutputShape">The output's shape for the summary's input, or null where it was not traced (inside a module that is not a <see cref="Sequential{T}"/>).</param>
/// <param name="Parameters">The number of parameter elements of this module and its descendants.</param>
public sealed record ModuleSummaryRow(string Name, string Type, int Depth, Shape? OutputShape, long Parameters);

/// <summary>
/// A table of a model's layers with each one's output shape and parameter count, and the totals; <see cref="ToString"/>
/// formats it for the console.
/// </summary>
/// <remarks>
/// PyTorch: <c>torchinfo.summary(model, input_size)</c> (third-party) or <c>print(model)</c>. Made by
/// <see cref="ModuleSummaryExtensions.Summary{T}(Module{T}, int[])"/>, which runs one forward pass on zeros in evaluation
/// mode without recording, so neither the parameters, the modes nor any running statistics change. Output shapes
/// are traced through <see cref="Sequential{T}"/> chains; other containers show their own output only.
/// </remarks>
public sealed class ModuleSummary
{
    internal ModuleSummary(Shape inputShape, IReadOnlyList<ModuleSummaryRow> rows, long total, long trainable)
    {
        (InputShape, Rows, TotalParameters, TrainableParameters) = (inputShape, rows, total, trainable);
    }

    /// <summary>The input shape the summary was traced with.</summary>
    public Shape InputShape { get; }

    /// <summary>The root first, then every descendant depth-first in registration order.</summary>
    public IReadOnlyList<ModuleSummaryRow> Rows { get; }

    /// <summary>The number of parameter elements of the whole model.</summary>
    public long TotalParameters { get; }

    /// <summary>The number of parameter elements that require a gradient.</summary>
    public long TrainableParameters { get; }

    /// <summary>The table: one line per module, indented by depth, then the totals.</summary>
    /// <returns>A multi-line string.</returns>
    public override string ToString()
    {
        int nameWidth = "Layer (type)".Length, shapeWidth = "Output shape".Length;
        foreach (ModuleSummaryRow row in Rows)
        {
            nameWidth = Math.Max(nameWidth, Label(row).Length);
            shapeWidth = Math.Max(shapeWidth, ShapeText(row).Length);
        }

        var text = new StringBuilder();
        string rule = new('-', nameWidth + shapeWidth + 16);
        text.AppendLine(CultureInfo.InvariantCulture, $"{"Layer (type)".PadRight(nameWidth)}  {"Output shape".PadRight(shapeWidth)}  {"Param #",12}");
        text.AppendLine(rule);
        foreach (ModuleSummaryRow row in Rows)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"{Label(row).PadRight(nameWidth)}  {ShapeText(row).PadRight(shapeWidth)}  {row.Parameters,12:N0}");
        }

        text.AppendLine(rule);
        text.AppendLine(CultureInfo.InvariantCulture, $"Input shape: {InputShape}");
        text.AppendLine(CultureInfo.InvariantCulture, $"Total params: {TotalParameters:N0}");
        text.AppendLine(CultureInfo.InvariantCulture, $"Trainable params: {TrainableParameters:N0}");
        text.Append(CultureInfo.InvariantCulture, $"Non-trainable params: {TotalParameters - TrainableParameters:N0}");
        return text.ToString();
    }

    private static string Label(ModuleSummaryRow row) =>
        new string(' ', 2 * row.Depth) + (row.Depth == 0 ? row.Type : $"{row.Name} ({row.Type})");

    private static string ShapeText(ModuleSummaryRow row) => row.OutputShape?.ToString() ?? "--";}

/// <summary>Creates <see cref="ModuleSummary"/>s: <c>Console.WriteLine(model.Summary(1, 784))</c>.</summary>
public static class ModuleSummaryExtensions
{
    /// <summary>Traces <paramref name="module"/> on a zero input of <paramref name="inputShape"/> and lists its layers.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="module">The model.</param>
    /// <param name="inputShape">The input's shape including the batch dimension, e.g. <c>1, 784</c>.</param>
    /// <returns>The summary; print it with <c>Console.WriteLine(summary)</c>.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The shape is invalid or does not fit the model (the failing layer's own message).</exception>
    /// <remarks>PyTorch: <c>torchinfo.summary(model, input_size=(1, 784))</c>.</remarks>
    public static ModuleSummary Summary<T>(this Module<T> module, params int[] inputShape)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(inputShape);
        var rows = new List<ModuleSummaryRow>();
        Tensor<T> input = Tensor.Zeros<T>(inputShape);
        using (module.Evaluating())
        using (Autograd.NoGrad())
        {
            Trace(module, module.GetType().Name, 0, input, rows);
        }

        long total = 0, trainable = 0;
        foreach (var (_, parameter) in module.NamedParameters())
        {
            total += parameter.Count;
            trainable += parameter.RequiresGrad ? parameter.Count : 0;
        }

        return new ModuleSummary(input.Shape, rows, total, trainable);
    }

    /// <summary>Adds the row of <paramref name="module"/> (and its descendants) and returns its output for <paramref name="input"/>.</summary>
    private static Tensor<T> Trace<T>(Module<T> module, string name, int depth, Tensor<T> input, List<ModuleSummaryRow> rows)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int index = rows.Count;
        Tensor<T> output;
        if (module is Sequential<T> sequential && sequential.GetType().Assembly == typeof(Sequential<T>).Assembly)
        {
            output = input;
            foreach (var (childName, child) in module.NamedChildren())
            {
                output = Trace(child, Child(name, childName, depth), depth + 1, output, rows);
            }
        }
        else
        {
            output = module.Forward(input);
            foreach (var (childName, child) in module.NamedChildren())
            {
                Untraced(child, Child(name, childName, depth), depth + 1, rows);
            }
        }

        rows.Insert(index, new ModuleSummaryRow(name, module.GetType().Name, depth, output.Shape, ParameterCount(module)));
        return output;
    }

    private static void Untraced<T>(Module<T> module, string name, int depth, List<ModuleSummaryRow> rows)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        rows.Add(new ModuleSummaryRow(name, module.GetType().Name, depth, null, ParameterCount(module)));
        foreach (var (childName, child) in module.NamedChildren())
        {
            Untraced(child, Child(name, childName, depth), depth + 1, rows);
        }
    }

    private static string Child(string parent, string child, int parentDepth) => parentDepth == 0 ? child : parent + "." + child;

    private static long ParameterCount<T>(Module<T> module)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        long count = 0;
        foreach (var (_, parameter) in module.NamedParameters())
        {
            count += parameter.Count;
        }

        return count;
    }
}

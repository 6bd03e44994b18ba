using System;
using System.Numerics;

namespace MiniNet;

/// <summary>Shared validation and reduction arithmetic for the losses.</summary>
internal static class LossReduction
{
    /// <summary>Throws unless <paramref name="input"/> and <paramref name="target"/> have the same shape.</summary>
    public static void RequireSameShape<T>(Tensor<T> input, Tensor<T> target, string op)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(target);
        if (input.Shape != target.Shape)
        {
            throw new ArgumentException($"{op}: input shape {input.Shape} and target shape {target.Shape} must be equal.");
        }
    }

    /// <summary>The factor each per-element loss is multiplied by before summing.</summary>
    public static T Scale<T>(Reduction reduction, Shape shape)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> => reduction switch
        {
            Reduction.Mean => T.One / T.CreateChecked(shape.ElementCount),
            Reduction.BatchMean => T.One / T.CreateChecked(shape.Rank == 0 ? 1 : shape.Dims[0]),
            Reduction.Sum or Reduction.None => T.One,
            _ => throw new ArgumentOutOfRangeException(nameof(reduction), reduction, "Unknown reduction."),
        };

    /// <summary>The result shape: the input's for <see cref="Reduction.None"/>, else a scalar.</summary>
    public static Shape OutputShape(Reduction reduction, Shape input) => reduction == Reduction.None ? input : Shape.Scalar;

    /// <summary>The gradient flowing into per-element loss <paramref name="i"/>: <c>g[i]</c> without reduction, else <c>g * scale</c>.</summary>
    public static T ElementGradient<T>(ReadOnlySpan<T> gradOutput, Reduction reduction, T scale, int i)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        reduction == Reduction.None ? gradOutput[i] : gradOutput[0] * scale;

    /// <summary>Starts reducing per-element losses into <paramref name="output"/> (see <see cref="Accumulator{T}"/>).</summary>
    public static Accumulator<T> Begin<T>(Tensor<T> output, Reduction reduction)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> => new(output.KernelWriteSpan, reduction);

    /// <summary>
    /// Collects per-element losses: stores each one for <see cref="Reduction.None"/>, sums them otherwise, and
    /// <see cref="Complete"/> writes the scaled sum.
    /// </summary>
    public ref struct Accumulator<T>
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        private readonly Span<T> _result;
        private readonly bool _perElement;
        private T _sum;

        public Accumulator(Span<T> result, Reduction reduction)
        {
            _result = result;
            _perElement = reduction == Reduction.None;
            _sum = T.Zero;
        }

        public void Add(int i, T loss)
        {
            if (_perElement)
            {
                _result[i] = loss;
            }
            else
            {
                _sum += loss;
            }
        }

        public readonly void Complete(T scale)
        {
            if (!_perElement)
            {
                _result[0] = _sum * scale;
            }
        }
    }
}

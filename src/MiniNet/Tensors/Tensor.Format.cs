using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace MiniNet;

public sealed partial class Tensor<T>
{
    // PyTorch's print options: summarize above 1000 elements, keep 3 items at each edge, 4 digits, 80 columns.
    private const int SummarizeThreshold = 1000;
    private const int EdgeItems = 3;
    private const int LineWidth = 80;

    /// <summary>
    /// Formats the tensor the way PyTorch prints one, followed by its shape and dtype, e.g.
    /// <c>tensor([[0.1000, 0.2000],\n        [0.3000, 0.4000]], shape=[2, 2], dtype=float32)</c>.
    /// </summary>
    /// <returns>The text, in the invariant culture.</returns>
    /// <remarks>
    /// PyTorch: <c>repr(tensor)</c> with default print options. Values use one format for the whole tensor: integral
    /// values print as <c>1.</c>; otherwise 4 decimals (<c>0.1000</c>), or scientific notation (<c>1.0000e-05</c>) when
    /// the nonzero finite magnitudes span more than a factor of 1000, exceed 1e8 or fall below 1e-4; NaN and
    /// infinities print as <c>nan</c>, <c>inf</c>, <c>-inf</c>. Columns are right-aligned, and rows wrap at 80
    /// characters. Tensors of more than 1000 elements are summarized: each dimension longer than 6 shows its first
    /// and last 3 entries around <c>...</c>. A leaf that requires a gradient ends with <c>requires_grad=True</c>; a
    /// tensor an op recorded ends with <c>grad_fn=&lt;OpBackward&gt;</c>, like PyTorch's <c>grad_fn=&lt;MulBackward0&gt;</c>.
    /// </remarks>
    public override string ToString()
    {
        bool summarize = Count > SummarizeThreshold;
        var formatter = new ValueFormatter(ShownValues(summarize));
        var sb = new StringBuilder("tensor(");
        if (Rank == 0)
        {
            sb.Append(formatter.Format(double.CreateTruncating(Data[Offset])));
        }
        else if (Count == 0)
        {
            sb.Append("[]");
        }
        else
        {
            AppendBlock(sb, 0, Offset, "tensor(".Length, summarize, formatter, Strides.ToArray());
        }

        sb.Append(", shape=").Append(Shape.ToString());
        sb.Append(", dtype=").Append(typeof(T) == typeof(float) ? "float32" : typeof(T) == typeof(double) ? "float64" : typeof(T).Name);
        if (Creator is not null)
        {
            sb.Append(", grad_fn=<").Append(Creator.OpName).Append("Backward>");
        }
        else if (RequiresGrad)
        {
            sb.Append(", requires_grad=True");
        }

        return sb.Append(')').ToString();
    }

    /// <summary>The values that will be printed (all, or the edges of each dimension when summarizing), as double.</summary>
    private List<double> ShownValues(bool summarize)
    {
        var values = new List<double>();
        if (Count > 0)
        {
            CollectShown(values, 0, Offset, summarize, Strides.ToArray());
        }

        return values;
    }

    private void CollectShown(List<double> values, int dim, int offset, bool summarize, int[] strides)
    {
        if (dim == Rank)
        {
            values.Add(double.CreateTruncating(Data[offset]));
            return;
        }

        int size = Shape.Dims[dim];
        bool elide = summarize && size > 2 * EdgeItems;
        for (int i = 0; i < size; i++)
        {
            if (elide && i == EdgeItems)
            {
                i = size - EdgeItems;
            }

            CollectShown(values, dim + 1, offset + (i * strides[dim]), summarize, strides);
        }
    }

    private void AppendBlock(StringBuilder sb, int dim, int offset, int indent, bool summarize, ValueFormatter formatter, int[] strides)
    {
        int size = Shape.Dims[dim];
        bool elide = summarize && size > 2 * EdgeItems;
        sb.Append('[');
        if (dim == Rank - 1)
        {
            // One row: wrap so that no line is longer than the line width (each entry takes its width plus ", ").
            int perLine = Math.Max(1, (LineWidth - indent) / (formatter.Width + 2));
            int written = 0;
            for (int i = 0; i < size; i++)
            {
                string text;
                if (elide && i == EdgeItems)
                {
                    text = " ...";
                    i = size - EdgeItems - 1;
                }
                else
                {
                    text = formatter.Format(double.CreateTruncating(Data[offset + (i * strides[dim])]));
                }

                if (written > 0)
                {
                    sb.Append(written % perLine == 0 ? ",\n" + new string(' ', indent + 1) : ", ");
                }

                sb.Append(text);
                written++;
            }

            sb.Append(']');
            return;
        }

        // Sub-blocks are separated by a comma, one blank line per remaining dimension beyond the next, and the indent.
        string separator = "," + new string('\n', Rank - dim - 1) + new string(' ', indent + 1);
        for (int i = 0; i < size; i++)
        {
            if (i > 0)
            {
                sb.Append(separator);
            }

            if (elide && i == EdgeItems)
            {
                sb.Append("...").Append(separator);
                i = size - EdgeItems;
            }

            AppendBlock(sb, dim + 1, offset + (i * strides[dim]), indent + 1, summarize, formatter, strides);
        }

        sb.Append(']');
    }

    /// <summary>Chooses one number format for all printed values, as PyTorch's formatter does, and right-aligns to a common width.</summary>
    private sealed class ValueFormatter
    {
        private readonly bool _integral = true;
        private readonly bool _scientific;

        public ValueFormatter(List<double> values)
        {
            double min = double.PositiveInfinity, max = 0;
            bool any = false;
            foreach (double v in values)
            {
                if (double.IsFinite(v) && v != 0)
                {
                    any = true;
                    min = Math.Min(min, Math.Abs(v));
                    max = Math.Max(max, Math.Abs(v));
                    _integral &= v == Math.Ceiling(v);
                }
            }

            if (!any)
            {
                return;
            }

            _scientific = max / min > 1000 || max > 1e8 || (!_integral && min < 1e-4);
            foreach (double v in values)
            {
                if (double.IsFinite(v) && v != 0)
                {
                    Width = Math.Max(Width, FormatUnpadded(v).Length);
                }
            }
        }

        public int Width { get; } = 1;

        public string Format(double value)
        {
            string text = FormatUnpadded(value);
            return text.Length < Width ? text.PadLeft(Width) : text;
        }

        private string FormatUnpadded(double value)
        {
            if (double.IsNaN(value))
            {
                return "nan";
            }

            if (double.IsInfinity(value))
            {
                return value > 0 ? "inf" : "-inf";
            }

            if (_scientific)
            {
                return value.ToString("0.0000e+00", CultureInfo.InvariantCulture);
            }

            return _integral
                ? value.ToString("F0", CultureInfo.InvariantCulture) + "."
                : value.ToString("F4", CultureInfo.InvariantCulture);
        }
    }
}

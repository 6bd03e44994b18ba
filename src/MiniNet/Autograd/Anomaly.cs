using System;
using System.Diagnostics;
using System.Numerics;

namespace MiniNet;

/// <summary>
/// Thrown in <see cref="Autograd.DetectAnomaly"/> mode by the first op whose forward output or backward gradient
/// holds NaN or infinity.
/// </summary>
public sealed class AnomalyDetectedException : ArithmeticException
{
    internal AnomalyDetectedException(string opName, string phase, string inputShapes, int index, string? recordedAt)
        : base($"{opName} produced a non-finite value in its {phase} (element {index}); inputs: {inputShapes}." +
               (recordedAt is null ? string.Empty : $" Recorded at:{Environment.NewLine}{recordedAt}"))
    {
        OpName = opName;
        Phase = phase;
        InputShapes = inputShapes;
        RecordedAt = recordedAt;
    }

    /// <summary>The op that produced the value (<c>Log</c>, <c>MatMul</c>, ...).</summary>
    public string OpName { get; }

    /// <summary>Which value was bad: the forward output or the gradient of an input.</summary>
    public string Phase { get; }

    /// <summary>The op's input shapes.</summary>
    public string InputShapes { get; }

    /// <summary>The stack trace (with file and line where available) of the code that recorded the op.</summary>
    public string? RecordedAt { get; }
}

internal static class Anomaly
{
    public static void ThrowIfNotFinite<T>(TapeEntry entry, string phase, ReadOnlySpan<T> values)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (!T.IsFinite(values[i]))
            {
                throw new AnomalyDetectedException(entry.OpName, phase, entry.DescribeInputs(), i, Describe(entry.RecordedAt));
            }
        }
    }

    private static string? Describe(StackTrace? trace)
    {
        if (trace is null)
        {
            return null;
        }

        // Skip MiniNet's own frames so the first line is the user's call site.
        var lines = new System.Text.StringBuilder();
        foreach (StackFrame frame in trace.GetFrames())
        {
            var method = frame.GetMethod();
            if (method?.DeclaringType?.Assembly == typeof(Anomaly).Assembly)
            {
                continue;
            }

            lines.Append("   at ").Append(method?.DeclaringType?.FullName).Append('.').Append(method?.Name);
            if (frame.GetFileName() is { } file)
            {
                lines.Append(" in ").Append(file).Append(':').Append(frame.GetFileLineNumber());
            }

            lines.AppendLine();
        }

        return lines.ToString();
    }
}

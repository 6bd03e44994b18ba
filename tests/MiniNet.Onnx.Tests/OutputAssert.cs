using System;
using System.Numerics;
using Xunit.Sdk;

namespace MiniNet.Onnx.Tests;

/// <summary>Element-by-element comparison that names the first element out of tolerance.</summary>
internal static class OutputAssert
{
    public static void Close<T>(ReadOnlySpan<T> actual, ReadOnlySpan<T> expected, double tolerance, string what)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (actual.Length != expected.Length)
        {
            throw new XunitException($"{what}: {actual.Length} values from ONNX Runtime, {expected.Length} from MiniNet.");
        }

        for (int i = 0; i < actual.Length; i++)
        {
            double a = double.CreateChecked(actual[i]), e = double.CreateChecked(expected[i]);
            double error = Math.Abs(a - e) / (1 + Math.Abs(e));
            if (!(error <= tolerance) && !(double.IsNaN(a) && double.IsNaN(e)) && a != e)
            {
                throw new XunitException($"{what}: element {i} is {a:R} in ONNX Runtime but {e:R} in MiniNet (error {error:E2} > {tolerance:E0}).");
            }
        }
    }
}

using System;
using System.Numerics;
using Xunit;

namespace MiniNet.Tests.Kernels;

/// <summary>
/// The 2x2, stride-2 max pooling kernel against a plain reference of the rule (row-major taps, a larger value or a NaN
/// replaces the maximum): every width 2..41 (outputs 1..20: under, at and over one 8-window vector step, with the
/// overlapping last step), odd sizes, ties (a ReLU's zeros) and NaNs, float and double, values and argmax indices.
/// .ci/run reruns this class with AVX-512, AVX2 and all hardware intrinsics off, which takes the scalar path.
/// </summary>
public class MaxPool2x2Tests
{
    [Fact]
    public void EveryWidth_WithTiesAndNaN_EqualsReference()
    {
        Check<float>();
        Check<double>();

        static void Check<T>()
            where T : unmanaged, IBinaryFloatingPointIeee754<T>
        {
            var rng = new Random(7);
            for (int width = 2; width <= 41; width++)
            {
                foreach (int height in new[] { 2, 3, 5 })
                {
                    var g = new ConvGeometry(2, 3, height, width, 2, 2, 2, 2, 0, 0, 0, 0, 1, 1);
                    T[] x = new T[2 * 3 * height * width];
                    for (int i = 0; i < x.Length; i++)
                    {
                        // Small integers make ties common; about 2 % NaN.
                        int r = rng.Next(100);
                        x[i] = r < 2 ? T.NaN : T.CreateChecked(Math.Max(0, (r % 7) - 3));
                    }

                    int outputs = 2 * 3 * g.OutPlane;
                    T[] y = new T[outputs];
                    int[] indices = new int[outputs];
                    Pool.MaxForward<T>(g, x, y, indices);
                    T[] yOnly = new T[outputs];
                    Pool.MaxForward<T>(g, x, yOnly, default);
                    for (int o = 0; o < outputs; o++)
                    {
                        (T best, int arg) = Reference(g, x, o);
                        string where = $"{typeof(T).Name} {height}x{width} output {o}: expected {best} at {arg}, got {y[o]} at {indices[o]}";
                        Assert.True(y[o].Equals(best) && indices[o] == arg && yOnly[o].Equals(best), where);
                    }
                }
            }
        }
    }

    private static (T Best, int Arg) Reference<T>(ConvGeometry g, T[] x, int output)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int plane = output / g.OutPlane, oh = output % g.OutPlane / g.OutW, ow = output % g.OutW;
        T best = T.NegativeInfinity;
        int arg = -1;
        for (int i = 0; i < 2; i++)
        {
            for (int j = 0; j < 2; j++)
            {
                int at = ((2 * oh) + i) * g.Width + (2 * ow) + j;
                T v = x[(plane * g.InPlane) + at];
                if (arg < 0 || v > best || T.IsNaN(v))
                {
                    (best, arg) = (v, at);
                }
            }
        }

        return (best, arg);
    }
}

using System;
using FluentAssertions;
using Xunit;

namespace MiniNet.Tests.Ops;

// The vectorised activation backwards write a fresh gradient buffer (no clear, no read) and add into one that holds a
// gradient: a second Backward must double the gradient exactly, and a buffer released with setToNone (stale values)
// must be overwritten, not added to. Lengths 1000 and 7 cover the vector loops, their tails and the scalar path.
public class ActivationGradientWriteTests
{
    public static TheoryData<string, int> Cases()
    {
        var data = new TheoryData<string, int>();
        foreach (string op in new[] { "silu", "softplus", "leaky_relu", "gelu", "gelu_tanh" })
        {
            data.Add(op, 1000);
            data.Add(op, 7);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void SecondBackward_Doubles_AndAStaleBuffer_IsOverwritten_Float(string op, int n) => Check<float>(op, n);

    [Theory]
    [MemberData(nameof(Cases))]
    public void SecondBackward_Doubles_AndAStaleBuffer_IsOverwritten_Double(string op, int n) => Check<double>(op, n);

    private static void Check<T>(string op, int n)
        where T : unmanaged, System.Numerics.IBinaryFloatingPointIeee754<T>
    {
        var rng = new Rng(5);
        Tensor<T> x = Tensor.Randn<T>(rng, n) * T.CreateTruncating(3), g = Tensor.Randn<T>(rng, n);
        x.RequiresGrad = true;
        Func<Tensor<T>, Tensor<T>> f = op switch
        {
            "silu" => t => t.Silu(),
            "softplus" => t => t.Softplus(),
            "leaky_relu" => t => t.LeakyRelu(),
            "gelu" => t => t.Gelu(),
            _ => t => t.Gelu(GeluApproximation.Tanh),
        };

        f(x).Backward(g);
        T[] once = x.Grad!.ToArray();
        f(x).Backward(g);
        T[] twice = x.Grad!.ToArray();

        // Not bit-exact: the tail of an accumulate runs the scalar kernel, the tail of a write reruns the last vector,
        // and the two may differ in the last bit. A write instead of an add would be off by 100 %.
        T tolerance = T.CreateTruncating(typeof(T) == typeof(float) ? 1e-6 : 1e-14);
        int wrong = 0, nonzero = 0;
        for (int i = 0; i < n; i++)
        {
            wrong += T.Abs(twice[i] - (once[i] + once[i])) <= tolerance * T.Abs(once[i]) ? 0 : 1;
            nonzero += once[i] != T.Zero ? 1 : 0;
        }

        nonzero.Should().BeGreaterThan(n / 2, "the gradient is not trivially zero");
        wrong.Should().Be(0, $"{op}: the second backward adds the same gradient");

        x.ReleaseGrad(); // setToNone: the buffer is kept with 2 * once in it
        f(x).Backward(g);
        x.Grad!.ToArray().Should().Equal(once, $"{op}: a released buffer's stale values must be overwritten");
    }
}

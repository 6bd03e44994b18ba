using System;
using FluentAssertions;
using MiniNet.Tests.Infrastructure;
using Xunit;

namespace MiniNet.Tests.Autograd;

/// <summary>Tensor hooks, RetainGrad and user-defined functions.</summary>
public class HooksAndFunctionTests
{
    private static Tensor<double> Leaf(params double[] values)
    {
        var t = Tensor.FromArray(values, values.Length);
        t.RequiresGrad = true;
        return t;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void HookOnALeaf_SeesTheGradient_AndCanReplaceIt(bool createGraph)
    {
        Tensor<double> x = Leaf(1, 2);
        double[]? seen = null;
        using RemovableHandle handle = x.RegisterHook(g => { seen = g.ToArray(); return g.Mul(10.0); });
        ((x * x).Sum() + x.Sum()).Backward(createGraph: createGraph);
        seen.Should().Equal(3, 5);
        x.Grad!.ToArray().Should().Equal(30, 50);
    }

    [Fact]
    public void RemovedHook_NoLongerRuns()
    {
        Tensor<double> x = Leaf(1, 2);
        int calls = 0;
        RemovableHandle handle = x.RegisterHook(g => { calls++; return null; });
        (x * 2.0).Sum().Backward();
        handle.Remove();
        (x * 2.0).Sum().Backward();
        calls.Should().Be(1);
        x.Grad!.ToArray().Should().Equal(4, 4);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void HookOnANonLeaf_ReplacesTheGradientFlowingOn(bool createGraph)
    {
        Tensor<double> x = Leaf(1, -2);
        Tensor<double> h = x * 3.0;
        h.RegisterHook(g => g.Mul(0.0).Add(1.0));
        (h * h).Sum().Backward(createGraph: createGraph);
        x.Grad!.ToArray().Should().Equal(new double[] { 3, 3 }, "the hook replaced dL/dh = 2h by ones, so dL/dx = 3");
    }

    [Fact]
    public void RetainGrad_KeepsANonLeafGradient_OthersAreReleased()
    {
        Tensor<double> x = Leaf(1, 2);
        Tensor<double> h = x * 3.0, other = h + 1.0;
        h.RetainGrad();
        h.RetainsGrad.Should().BeTrue();
        (other * other).Sum().Backward();
        h.Grad!.ToArray().Should().Equal(8, 14);
        other.Grad.Should().BeNull();
    }

    [Fact]
    public void RetainGrad_AlsoWithAutogradGrad()
    {
        Tensor<double> x = Leaf(1, 2);
        Tensor<double> h = x * x;
        h.RetainGrad();
        MiniNet.Autograd.Grad((h * 2.0).Sum(), x).ToArray().Should().Equal(4, 8);
        h.Grad!.ToArray().Should().Equal(2, 2);
    }

    /// <summary>y = x^3 with a hand-written backward 3 x^2 g, in MiniNet ops so that it is differentiable.</summary>
    private sealed class Cube : Function<double>
    {
        protected override Tensor<double> Forward(FunctionContext<double> context, Tensor<double>[] inputs)
        {
            context.SaveForBackward(inputs[0]);
            double[] values = inputs[0].ToArray();
            return Tensor.FromArray(Array.ConvertAll(values, v => v * v * v), inputs[0].Shape);
        }

        protected override Tensor<double>?[] Backward(FunctionContext<double> context, Tensor<double> gradOutput)
        {
            Tensor<double> x = context.SavedTensors[0];
            return [gradOutput.Mul(x.Mul(x).Mul(3.0))];
        }
    }

    [Fact]
    public void UserFunction_PassesGradCheck_AndGradGrad()
    {
        var rng = new Rng(3);
        Tensor<double> x = Tensor.Randn<double>(rng, 3, 2);
        x.RequiresGrad = true;
        Func<Tensor<double>[], Tensor<double>> f = t => new Cube().Apply(t[0]).Sigmoid();
        GradCheckResult first = GradCheck.Run(f, [x]);
        first.Passed(Tolerances.GradCheck).Should().BeTrue(first.ToString());
        GradCheckResult second = GradCheck.GradGrad(f, [x]);
        second.Passed(Tolerances.GradGrad).Should().BeTrue(second.ToString());
    }

    [Fact]
    public void UserFunction_SecondDerivative_Of_XCubed_Is6X()
    {
        Tensor<double> x = Leaf(-1.5, 0, 2);
        Tensor<double> dx = MiniNet.Autograd.Grad(new Cube().Apply(x).Sum(), x, createGraph: true);
        MiniNet.Autograd.Grad(dx.Sum(), x).ToArray().Should().Equal(-9, 0, 12);
    }

    [Fact]
    public void UserFunction_InPlaceWriteToASavedInput_IsDetected()
    {
        Tensor<double> x = Leaf(1, 2);
        Tensor<double> loss = new Cube().Apply(x).Sum();
        x.AsSpanForWrite()[0] = 5;
        Action act = () => loss.Backward();
        act.Should().Throw<InvalidOperationException>().WithMessage("*Input 0*Cube*modified in place*");
    }

    private sealed class BadLog : Function<double>
    {
        protected override Tensor<double> Forward(FunctionContext<double> context, Tensor<double>[] inputs) =>
            Tensor.FromArray(Array.ConvertAll(inputs[0].ToArray(), Math.Log), inputs[0].Shape);

        protected override Tensor<double>?[] Backward(FunctionContext<double> context, Tensor<double> gradOutput) => [gradOutput];
    }

    [Fact]
    public void UserFunction_InAnomalyMode_IsNamed()
    {
        using var anomaly = MiniNet.Autograd.DetectAnomaly();
        Action act = () => new BadLog().Apply(Leaf(-1, 1));
        act.Should().Throw<AnomalyDetectedException>().Which.OpName.Should().Be("BadLog");
    }
}

using System;
using System.Runtime.CompilerServices;
using System.Numerics.Tensors;
using FluentAssertions;
using Xunit;

namespace MiniNet.Tests.Autograd;

/// <summary>Graphs owned by their tensors: independent graphs, reachability-only walks, collection of dropped graphs.</summary>
// ManyForwardsOutsideNoGrad_KeepManagedMemoryFlat measures the whole process's managed heap: not in parallel with others.
[Collection(MiniNet.Tests.Reliability.ProcessMemoryCollection.Name)]
public class GraphOwnershipTests
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
    public void TwoIndependentLosses_OnOneThread_AreEachDifferentiable_InEitherOrder(bool secondFirst)
    {
        Tensor<double> x = Leaf(1, 2), w = Leaf(3, -1);
        Tensor<double> lossA = (x * x).Sum();          // d/dx = 2x
        Tensor<double> lossB = (w * w * w).Sum();      // d/dw = 3w^2
        if (secondFirst)
        {
            lossB.Backward();
            lossA.Backward();
        }
        else
        {
            lossA.Backward();
            lossB.Backward();
        }

        x.Grad!.ToArray().Should().Equal(2, 4);
        w.Grad!.ToArray().Should().Equal(27, 3);
    }

    [Fact]
    public void SharedLeaf_TwoLosses_EachBackward_AddsItsOwnTerms()
    {
        Tensor<double> x = Leaf(1, 2);
        Tensor<double> lossA = (x * 3.0).Sum(), lossB = (x * x).Sum();
        lossB.Backward();
        x.Grad!.ToArray().Should().Equal(2, 4);
        lossA.Backward();
        x.Grad!.ToArray().Should().Equal(5, 7);
    }

    [Fact]
    public void Backward_DoesNotFreeOrCheckAnUnrelatedGraph()
    {
        Tensor<double> x = Leaf(1, 2), w = Leaf(3, 4);
        Tensor<double> other = (w * w).Sum();
        w.AsSpanForWrite()[0] = 5; // invalidates only `other`'s graph
        (x * 2.0).Sum().Backward();
        x.Grad!.ToArray().Should().Equal(2, 2);
        Action act = () => other.Backward();
        act.Should().Throw<InvalidOperationException>().WithMessage("*Input*Mul*modified in place*");
    }

    [Fact]
    public void Walk_VisitsADiamondOnce_InDecreasingSequence()
    {
        // y = a * b with a = x + 1, b = x * 2 recorded in that order; z = y + a reuses a late.
        Tensor<double> x = Leaf(0.5, -3);
        Tensor<double> a = x + 1.0, b = x * 2.0, y = a * b, z = (y + a).Sum();
        z.Backward();
        // dz/dx = b + 2a + 1 = 2x + 2x + 2 + 1 = 4x + 3
        x.Grad!.ToArray().Should().Equal(5, -9);
    }

    [Fact]
    public void AGraphNothingReferences_IsCollected()
    {
        Tensor<double> w = Leaf(1, 2, 3);
        WeakReference node = Build(w);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        node.IsAlive.Should().BeFalse("no tensor references the graph, and the tape keeps no list");

        [MethodImpl(MethodImplOptions.NoInlining)]
        static WeakReference Build(Tensor<double> w) => new(((w * 2.0).Sigmoid() + w).Sum().Creator);
    }

    [Fact]
    public void ManyForwardsOutsideNoGrad_KeepManagedMemoryFlat()
    {
        var rng = new Rng(4);
        Tensor<float> w = Tensor.Randn<float>(rng, 8, 4), b = Tensor.Zeros<float>(4), x = Tensor.Randn<float>(rng, 2, 8);
        w.RequiresGrad = b.RequiresGrad = true;
        long Run(int forwards)
        {
            for (int i = 0; i < forwards; i++)
            {
                _ = x.MatMul(w).Add(b).Sigmoid();
            }

            return GC.GetTotalMemory(forceFullCollection: true);
        }

        long early = Run(10_000);
        long late = Run(90_000);
        late.Should().BeLessThan(early + (1 << 20), "100,000 recorded but never differentiated forwards must not pile up");
    }

    [Fact]
    public void AnOpWithFiveInputs_GetsAGradientForEach()
    {
        Tensor<double>[] inputs = [Leaf(1), Leaf(2), Leaf(3), Leaf(4), Leaf(5)];
        var output = new Tensor<double>(new Shape(1));
        output.KernelWriteSpan[0] = 15;
        Tape.ShouldRecord<double>(inputs).Should().BeTrue();
        Tape.Record(new WeightedSumBackward(output, inputs));
        (output * output).Sum().Backward();
        for (int i = 0; i < inputs.Length; i++)
        {
            inputs[i].Grad!.Item().Should().Be(2 * 15 * (i + 1), $"input {i} has weight {i + 1}");
        }
    }

    [Fact]
    public void InPlaceWrite_ToATensorBackwardDoesNotRead_IsAllowed()
    {
        // Add saves nothing (d(a + b) = 1), so writing to its input after the forward is legal, as in PyTorch.
        Tensor<double> a = Leaf(1, 2);
        Tensor<double> loss = (a + 1.0).Sum();
        a.AsSpanForWrite()[0] = 7;
        loss.Backward();
        a.Grad!.ToArray().Should().Equal(1, 1);
    }

    [Fact]
    public void WriteScope_HeldAcrossAForward_IsDetectedAtBackward()
    {
        // Issue 15: a span taken before the forward and written after it used to give w.Grad = 100 instead of 2.
        Tensor<double> w = Leaf(1);
        Tensor<double> loss;
        using (Tensor<double>.WriteScope write = w.BeginWrite())
        {
            loss = (w * w).Sum();
            write.Span[0] = 50;
        }

        Action act = () => loss.Backward();
        act.Should().Throw<InvalidOperationException>().WithMessage("*Input 0*Mul*modified in place*");
    }

    [Fact]
    public void WriteScope_BeforeTheForward_IsFine()
    {
        Tensor<double> w = Leaf(1);
        using (Tensor<double>.WriteScope write = w.BeginWrite())
        {
            write.Span[0] = 50;
        }

        (w * w).Sum().Backward();
        w.Grad!.Item().Should().Be(100);
    }

    /// <summary>out = sum_i (i + 1) * in_i: a five-input node written in the op-file shape.</summary>
    private sealed class WeightedSumBackward : TapeEntry<double>
    {
        public WeightedSumBackward(Tensor<double> output, params ReadOnlySpan<Tensor<double>> inputs)
            : base(output, inputs)
        {
            SaveForBackward(output: false);
        }

        public override string OpName => "WeightedSum";

        public override void Backward()
        {
            for (int i = 0; i < Inputs.Length; i++)
            {
                Span<double> grad = GradFor(i);
                TensorPrimitives.MultiplyAdd(GradOutput, i + 1.0, grad, grad);
            }
        }
    }
}

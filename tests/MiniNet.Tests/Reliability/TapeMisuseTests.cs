using System;
using System.IO;
using System.Threading;
using FluentAssertions;
using MiniNet.IO;
using MiniNet.NN;
using Xunit;

namespace MiniNet.Tests.Reliability;

/// <summary>
/// Every way of misusing the tape, in one place: each throws an exception whose message names the problem and
/// says what to do instead (the second wildcard group of each pattern is the remedy).
/// </summary>
/// <remarks>
/// Mixing float and double inside a graph cannot happen: every op is generic over one <c>T</c>, so
/// <c>Tensor&lt;float&gt; + Tensor&lt;double&gt;</c> does not compile. The element types can only meet at run time
/// when a file is loaded, which the last tests cover.
/// </remarks>
public sealed class TapeMisuseTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mininet-misuse-").FullName;

    public void Dispose()
    {
        Tape.Current.Clear();
        Directory.Delete(_dir, recursive: true);
    }

    private static Tensor<double> Leaf(params double[] values)
    {
        var t = Tensor.FromArray(values, values.Length);
        t.RequiresGrad = true;
        return t;
    }

    [Fact]
    public void BackwardTwice_SaysPassRetainGraphOrRecompute()
    {
        Tensor<double> loss = (Leaf(1, 2) * 3.0).Sum();
        loss.Backward();
        Action again = () => loss.Backward();
        again.Should().Throw<InvalidOperationException>().WithMessage("*already freed*Pass retainGraph: true*or recompute the forward pass*");
    }

    [Fact]
    public void BackwardOfNonScalar_WithoutGradient_SaysReduceOrPassAGradient()
    {
        Tensor<double> y = Leaf(1, 2, 3) * 2.0;
        Action act = () => y.Backward();
        act.Should().Throw<InvalidOperationException>().WithMessage("*shape [3]*Reduce it first (Sum() or Mean()), or pass Backward(gradOutput)*");
    }

    [Fact]
    public void BackwardOfATensorThatNeedsNoGradient_SaysWhy()
    {
        Action act = () => Tensor.Ones<double>(2).Sum().Backward();
        act.Should().Throw<InvalidOperationException>().WithMessage("*does not require a gradient*RequiresGrad = true*NoGrad()*");
    }

    [Fact]
    public void InPlaceMutationOfASavedInput_SaysModifyACopy()
    {
        Tensor<double> x = Leaf(1, 2), w = Leaf(3, 4);
        Tensor<double> loss = (x * w).Sum();
        w.AsSpanForWrite()[0] = 10;
        Action act = () => loss.Backward();
        act.Should().Throw<InvalidOperationException>().WithMessage("*Input 1*Mul*modified in place*Modify a copy instead (Detach() gives one)*after Backward()*");
    }

    [Fact]
    public void InPlaceMutationOfASavedOutput_SaysModifyADetachedCopy()
    {
        // Sigmoid's backward reads its own output (sigma' = s (1 - s)); differentiate from s itself so that no
        // later op's input check fires first.
        Tensor<double> s = Leaf(0.5).Sigmoid();
        s.AsSpanForWrite()[0] = 0;
        Action act = () => s.Backward(Tensor.Ones<double>(1));
        act.Should().Throw<InvalidOperationException>().WithMessage("*output*Sigmoid*modified in place*Modify a Detach()ed copy instead*");
    }

    [Fact]
    public void UsingATensorAfterItsTapeWasFreed_SaysRecomputeDetachOrRetain()
    {
        Tensor<double> hidden = Leaf(1, 2) * 2.0;
        hidden.Sum().Backward();
        Action act = () => _ = hidden * 3.0;
        act.Should().Throw<InvalidOperationException>().WithMessage("*Mul*already freed*Recompute it*Detach()*retainGraph: true*");
    }

    [Fact]
    public void ReadingARecycledIntermediate_SaysReadItBeforeBackward()
    {
        Tensor<double> x = Leaf(1, 2);
        Tensor<double> hidden;
        using (MiniNet.Autograd.RecycleIntermediates())
        {
            hidden = (x * 2.0).Sigmoid();
            hidden.Sum().Backward();
        }

        Action act = () => hidden.ToArray();
        act.Should().Throw<InvalidOperationException>().WithMessage("*recycled*Read what you need*before Backward()*Detach()ed copy*");
    }

    [Fact]
    public void UsingATensorRecordedOnAnotherThread_SaysDetachOrStayOnOneThread()
    {
        Tensor<double>? y = null;
        var thread = new Thread(() => y = Leaf(1, 2) * 2.0);
        thread.Start();
        thread.Join();
        Action act = () => _ = y! + y!;
        act.Should().Throw<InvalidOperationException>().WithMessage("*another thread*build and differentiate a graph on one thread, or pass Detach()ed copies*");
    }

    [Fact]
    public void SettingRequiresGradOnANonLeaf_SaysDetach()
    {
        Tensor<double> y = Leaf(1) * 2.0;
        Action act = () => y.RequiresGrad = false;
        act.Should().Throw<InvalidOperationException>().WithMessage("*leaf*Detach()*");
    }

    [Fact]
    public void DoubleFileIntoFloatModel_SaysWhichTypesToUse()
    {
        string path = Path.Combine(_dir, "double.safetensors");
        var doubleNet = new Sequential<double>(new Linear<double>(2, 3, new Rng(1)));
        doubleNet.Save(path);
        Action module = () => new Sequential(new Linear(2, 3, new Rng(1))).Load(path);
        module.Should().Throw<SafeTensorsFormatException>().WithMessage("*F64 in the file*module's is F32*");
        Action tensors = () => SafeTensors.Load<float>(path);
        tensors.Should().Throw<SafeTensorsFormatException>().WithMessage("*F64 but F32 was requested*");
    }
}

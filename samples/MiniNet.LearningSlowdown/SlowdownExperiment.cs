using System;
using System.Collections.Generic;

namespace MiniNet.LearningSlowdown;

/// <summary>The cost a run minimises.</summary>
public enum Cost
{
    /// <summary><c>C = (y - a)^2 / 2</c>: <c>Sigmoid</c>, then half of <c>MseLoss</c>, two tape entries.</summary>
    Quadratic,

    /// <summary><c>C = -[y ln a + (1 - y) ln(1 - a)]</c>, the fused <c>BinaryCrossEntropyWithLogits</c>.</summary>
    CrossEntropy,
}

/// <summary>The state of one run before the update of epoch <see cref="Epoch"/>, and the gradient that update uses.</summary>
/// <param name="Epoch">How many updates have been applied so far (0 = the starting point).</param>
/// <param name="W">The weight.</param>
/// <param name="B">The bias.</param>
/// <param name="Z">The pre-activation <c>z = w x + b</c>.</param>
/// <param name="A">The output <c>a = sigma(z)</c>.</param>
/// <param name="Cost">The cost at (w, b).</param>
/// <param name="GradW">dC/dw from the tape.</param>
/// <param name="GradB">dC/db from the tape.</param>
public readonly record struct EpochRecord(int Epoch, double W, double B, double Z, double A, double Cost, double GradW, double GradB);

/// <summary>
/// Nielsen's chapter-3 experiment (Neural Networks and Deep Learning, "The cross-entropy cost function"): one
/// sigmoid neuron, one training input, plain gradient descent, with the gradient taken from MiniNet's tape.
/// </summary>
/// <remarks>
/// With <c>z = w x + b</c> and <c>a = sigma(z)</c>, the chain rule gives for the quadratic cost
/// <c>dC/dw = (a - y) sigma'(z) x</c>: when the neuron is badly wrong, a is near 1 and <c>sigma'(z) = a(1 - a)</c> is
/// tiny, so learning stalls. For the cross-entropy the <c>sigma'(z)</c> cancels: <c>dC/dw = (a - y) x</c>, largest
/// exactly when the error is.
/// </remarks>
public static class SlowdownExperiment
{
    /// <summary>The training input of the experiment.</summary>
    public const double Input = 1.0;

    /// <summary>The target output of the experiment.</summary>
    public const double Target = 0.0;

    /// <summary>
    /// Runs gradient descent for <paramref name="epochs"/> updates in double precision and records every state,
    /// including the final one: <paramref name="epochs"/> + 1 records.
    /// </summary>
    /// <param name="cost">The cost to minimise.</param>
    /// <param name="w0">Initial weight.</param>
    /// <param name="b0">Initial bias.</param>
    /// <param name="epochs">Number of updates, at least 0.</param>
    /// <param name="eta">Learning rate.</param>
    /// <param name="x">Training input (Nielsen: 1).</param>
    /// <param name="y">Target (Nielsen: 0).</param>
    /// <returns>Record k holds the state after k updates.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="epochs"/> is negative.</exception>
    public static IReadOnlyList<EpochRecord> Run(Cost cost, double w0, double b0, int epochs, double eta, double x = Input, double y = Target)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(epochs);
        var w = Tensor.FromArray(new[] { w0 }, 1);
        var b = Tensor.FromArray(new[] { b0 }, 1);
        w.RequiresGrad = true;
        b.RequiresGrad = true;
        var input = Tensor.FromArray(new[] { x }, 1);
        var target = Tensor.FromArray(new[] { y }, 1);
        var records = new List<EpochRecord>(epochs + 1);
        for (int epoch = 0; ; epoch++)
        {
            Tensor<double> z = (w * input) + b;
            Tensor<double> loss = cost == Cost.Quadratic
                ? Quadratic(z.Sigmoid(), target)
                : z.BinaryCrossEntropyWithLogits(target, Reduction.BatchMean);
            loss.Backward();
            double gradW = w.Grad!.Item(), gradB = b.Grad!.Item();
            double zValue = z.Item();
            records.Add(new EpochRecord(epoch, w.Item(), b.Item(), zValue, Sigmoid(zValue), loss.Item(), gradW, gradB));
            w.ZeroGrad();
            b.ZeroGrad();
            if (epoch == epochs)
            {
                return records;
            }

            using (Autograd.NoGrad())
            {
                w.AsSpanForWrite()[0] -= eta * gradW;
                b.AsSpanForWrite()[0] -= eta * gradB;
            }
        }
    }

    /// <summary>The cost of output <paramref name="a"/> against target <paramref name="y"/>, in closed form.</summary>
    /// <param name="cost">Which cost.</param>
    /// <param name="a">The output, in (0, 1).</param>
    /// <param name="y">The target.</param>
    /// <returns><c>(y - a)^2 / 2</c>, or <c>-[y ln a + (1 - y) ln(1 - a)]</c>.</returns>
    public static double CostOf(Cost cost, double a, double y = Target) => cost == Cost.Quadratic
        ? 0.5 * (y - a) * (y - a)
        : -((y * Math.Log(a)) + ((1 - y) * Math.Log(1 - a)));

    /// <summary>The first epoch whose cost is strictly below <paramref name="threshold"/>, or -1 if none is.</summary>
    /// <param name="records">A run.</param>
    /// <param name="threshold">The cost to beat.</param>
    /// <returns>The epoch, or -1.</returns>
    public static int FirstEpochBelow(IReadOnlyList<EpochRecord> records, double threshold)
    {
        ArgumentNullException.ThrowIfNull(records);
        for (int i = 0; i < records.Count; i++)
        {
            if (records[i].Cost < threshold)
            {
                return records[i].Epoch;
            }
        }

        return -1;
    }

    /// <summary>The logistic function <c>1 / (1 + e^-z)</c>, without overflow for any finite z.</summary>
    /// <param name="z">The pre-activation.</param>
    /// <returns>sigma(z).</returns>
    public static double Sigmoid(double z) => z >= 0 ? 1 / (1 + Math.Exp(-z)) : Math.Exp(z) / (1 + Math.Exp(z));

    // Nielsen's (a - y)^2 / 2 is half the batch-mean squared error. The loss only knows a; the sigma'(z) factor of
    // the gradient comes from SigmoidBackward, one tape entry further back, exactly as the chain rule has it.
    private static Tensor<double> Quadratic(Tensor<double> a, Tensor<double> y) =>
        a.MseLoss(y, Reduction.BatchMean) * 0.5;
}

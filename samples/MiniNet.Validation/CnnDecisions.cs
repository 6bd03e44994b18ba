using System;
using System.Globalization;
using System.IO;
using System.Numerics;
using TorchSharp;
using F = TorchSharp.torch.nn.functional;
using TT = TorchSharp.torch.Tensor;

namespace MiniNet.Samples.Validation;

/// <summary>
/// <c>--decisions</c>: counts, for one step's forward pass, the discrete choices on which MiniNet and TorchSharp
/// differ: ReLU signs of the three pre-activations (conv1, conv2, fc1) and the max-pool's argmax in each 2x2 window;
/// with the smallest margin among them (|pre-activation| of a flipped ReLU, the gap between the two picks of a flipped
/// argmax) and the weights' relative difference before the step.
/// </summary>
/// <remarks>
/// A flipped ReLU or argmax sends a gradient to a different element (or none), so the two sides' gradients then differ
/// by far more than rounding; Adadelta at lr 1.0 takes steps of about <c>lr</c> times the ratio of its running
/// averages, whatever the size of the gradient, so the difference is not damped. Both sides' argmax is computed here,
/// from each side's own pooled activations, by one rule (the first maximum in row-major window order, as both
/// libraries pick it). A window where one side has an exact tie between the two picks is not counted: those come from
/// the digits' constant background, where both candidates see the same input patch, so the weight and bias gradients
/// are the same whichever wins (float64, seed 1, counting them too: 50-1,100 per step, and the weights still agree to
/// 2e-15 after 100 steps). Measured in float32 (MNIST, batch 64): seed 1 has a few flips from step 35 on (margins
/// 1e-8 to 1e-6), and at step 65 one ReLU and one argmax flip make the weights' difference jump from 5e-6 to 1e-3;
/// seed 2 jumps at step 31, seed 3 at step 12, seed 4 at step 6. float64 has no ReLU flip in 100 steps (seed 1).
/// </remarks>
/// <typeparam name="T">float or double.</typeparam>
internal static class CnnDecisions<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <summary>The header of the per-step lines.</summary>
    public static string Header => $"{"step",6} {"relu1 flips",12} {"relu2 flips",12} {"pool flips",11} {"fc1 flips",10} {"smallest margin",16} {"weights rel. diff",18}";

    /// <summary>Counts the flips of this step's forward pass (before either side's update) and formats them as one line.</summary>
    public static (int Flips, string Line, double Weights) Count(int step, Tensor<T>[] p, TorchSharp.Modules.Parameter[] tp, Tensor<T> x, Tensor<T> mask1)
    {
        double[] m1, m2, mPool, m3, t1, t2, tPool, t3;
        using (Autograd.NoGrad())
        {
            Tensor<T> a1 = x.Conv2d(p[0], p[1]), a2 = a1.Relu().Conv2d(p[2], p[3]), r2 = a2.Relu();
            Tensor<T> a3 = r2.MaxPool2d(2).Mul(mask1).Flatten().Linear(p[4], p[5]);
            (m1, m2, mPool, m3) = (Values(a1), Values(a2), Values(r2), Values(a3));
        }

        using (torch.NewDisposeScope())
        using (torch.no_grad())
        {
            TT ta1 = F.conv2d(TorchBridge.ToTorch(x), tp[0], tp[1]), ta2 = F.conv2d(F.relu(ta1), tp[2], tp[3]), tr2 = F.relu(ta2);
            TT ta3 = F.linear(torch.flatten(F.max_pool2d(tr2, 2) * TorchBridge.ToTorch(mask1), 1), tp[4], tp[5]);
            (t1, t2, tPool, t3) = (TorchBridge.Values(ta1), TorchBridge.Values(ta2), TorchBridge.Values(tr2), TorchBridge.Values(ta3));
        }

        // Flips of ReLU and argmax are counted apart; a ReLU flip usually moves a pool argmax too.
        double smallest = double.PositiveInfinity;
        int relu1 = SignFlips(m1, t1, ref smallest), relu2 = SignFlips(m2, t2, ref smallest), fc1 = SignFlips(m3, t3, ref smallest);
        int pool = ArgmaxFlips(mPool, tPool, x.Shape[0] * p[2].Shape[0], 24, ref smallest);
        string margin = double.IsPositiveInfinity(smallest) ? "-" : smallest.ToString("0.00E+00", CultureInfo.InvariantCulture);
        double weights = WeightDifference(p, tp);
        return (relu1 + relu2 + pool + fc1, string.Create(CultureInfo.InvariantCulture, $"{step,6} {relu1,12} {relu2,12} {pool,11} {fc1,10} {margin,16} {weights,18:0.00E+00}"), weights);
    }

    /// <summary>Writes the header and the line of every step with a flip, or of every <paramref name="every"/>-th step.</summary>
    public static void Report(TextWriter output, int step, int every, (int Flips, string Line, double Weights) counted)
    {
        if (step == 1)
        {
            output.WriteLine("decisions (ReLU sign / max-pool argmax differing between the two forward passes):");
            output.WriteLine(Header);
        }

        if (counted.Flips > 0 || step == 1 || step % every == 0)
        {
            output.WriteLine(counted.Line);
        }
    }

    /// <summary>The largest over the tensors of <c>max|w_mini - w_torch| / max|w_torch|</c>, as the final comparison.</summary>
    private static double WeightDifference(Tensor<T>[] p, TorchSharp.Modules.Parameter[] tp)
    {
        double worst = 0;
        for (int i = 0; i < p.Length; i++)
        {
            double[] mini = Values(p[i]), reference = TorchBridge.Values(tp[i]);
            double difference = 0, scale = 0;
            for (int j = 0; j < mini.Length; j++)
            {
                difference = Math.Max(difference, Math.Abs(mini[j] - reference[j]));
                scale = Math.Max(scale, Math.Abs(reference[j]));
            }

            worst = Math.Max(worst, difference / scale);
        }

        return worst;
    }

    private static double[] Values(Tensor<T> t)
    {
        ReadOnlySpan<T> span = t.AsReadOnlySpan();
        var result = new double[span.Length];
        for (int i = 0; i < span.Length; i++)
        {
            result[i] = double.CreateTruncating(span[i]);
        }

        return result;
    }

    /// <summary>Elements where one side's pre-activation is positive and the other's is not; tracks the smallest |value| there.</summary>
    private static int SignFlips(double[] mini, double[] reference, ref double smallest)
    {
        int flips = 0;
        for (int i = 0; i < mini.Length; i++)
        {
            if ((mini[i] > 0) != (reference[i] > 0))
            {
                flips++;
                smallest = Math.Min(smallest, Math.Min(Math.Abs(mini[i]), Math.Abs(reference[i])));
            }
        }

        return flips;
    }

    /// <summary>
    /// 2x2 windows (stride 2) of [planes, side, side] whose first maximum sits at a different place, each side's two
    /// picks being distinct values (an exact tie on one side is not counted); tracks the gap.
    /// </summary>
    private static int ArgmaxFlips(double[] mini, double[] reference, int planes, int side, ref double smallest)
    {
        int flips = 0, half = side / 2;
        for (int plane = 0; plane < planes; plane++)
        {
            for (int oy = 0; oy < half; oy++)
            {
                for (int ox = 0; ox < half; ox++)
                {
                    int corner = (plane * side * side) + (2 * oy * side) + (2 * ox);
                    int a = Argmax(mini, corner, side), b = Argmax(reference, corner, side);
                    double gapMini = Math.Abs(mini[a] - mini[b]), gapReference = Math.Abs(reference[a] - reference[b]);
                    if (a != b && gapMini > 0 && gapReference > 0)
                    {
                        // Each side prefers a different element of two distinct values: a near-tie that rounding decided.
                        flips++;
                        smallest = Math.Min(smallest, Math.Max(gapMini, gapReference));
                    }
                }
            }
        }

        return flips;
    }

    /// <summary>The first maximum (row-major) of the 2x2 window at <paramref name="corner"/>.</summary>
    private static int Argmax(double[] values, int corner, int side)
    {
        int best = corner;
        foreach (int i in (ReadOnlySpan<int>)[corner + 1, corner + side, corner + side + 1])
        {
            best = values[i] > values[best] ? i : best;
        }

        return best;
    }
}

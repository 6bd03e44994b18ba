using System;
using System.Collections.Generic;
using FluentAssertions;
using MiniNet.LearningSlowdown;
using MiniNet.Tests.Infrastructure;
using Xunit;

namespace MiniNet.Tests.Samples;

/// <summary>
/// Nielsen's learning-slowdown experiment, checked against the mathematics rather than a recorded run.
/// </summary>
/// <remarks>
/// With x = 1 and y = 0, each update moves w and b by the same amount <c>-eta * dC/dz</c>, so the pre-activation
/// follows a one-dimensional map <c>z' = z - 2 eta g(z)</c> with <c>g = dC/dz</c>:
/// quadratic <c>g(z) = a^2 (1 - a)</c>, cross-entropy <c>g(z) = a</c>, where <c>a = sigma(z)</c>. Both are positive, so z
/// falls monotonically, and the output drops below 1/2 exactly when z drops below 0. Bounding g on stretches of
/// the z axis bounds the number of epochs that takes, from below or from above, with no simulation.
/// </remarks>
public class LearningSlowdownTests
{
    private const double Eta = 0.15;
    private const int Epochs = 300;

    // Stages the z axis is cut into for the epoch bounds: more stages follow g more closely, but each stage can
    // lose a step at its boundary, so a handful is the sweet spot. Any count gives a valid bound.
    private const int Stages = 10;

    public static TheoryData<Cost, double, double> Runs => new()
    {
        { Cost.Quadratic, 0.6, 0.9 },
        { Cost.Quadratic, 2.0, 2.0 },
        { Cost.CrossEntropy, 0.6, 0.9 },
        { Cost.CrossEntropy, 2.0, 2.0 },
    };

    [Theory]
    [MemberData(nameof(Runs))]
    public void TapeGradient_EqualsClosedForm_EveryEpoch(Cost cost, double w0, double b0)
    {
        const double x = SlowdownExperiment.Input, y = SlowdownExperiment.Target;
        IReadOnlyList<EpochRecord> run = SlowdownExperiment.Run(cost, w0, b0, Epochs, Eta);

        run.Should().HaveCount(Epochs + 1);
        for (int k = 0; k < run.Count; k++)
        {
            EpochRecord r = run[k];
            double a = 1 / (1 + Math.Exp(-((r.W * x) + r.B)));
            double sigmaPrime = a * (1 - a);

            // Quadratic: dC/dw = (a - y) sigma'(z) x. Cross-entropy: the sigma'(z) cancels, dC/dw = (a - y) x.
            double dCdz = cost == Cost.Quadratic ? (a - y) * sigmaPrime : a - y;
            double expectedCost = cost == Cost.Quadratic ? 0.5 * (a - y) * (a - y) : -((y * Math.Log(a)) + ((1 - y) * Math.Log(1 - a)));
            r.Epoch.Should().Be(k);
            r.Z.Should().BeApproximately((r.W * x) + r.B, Tolerances.ClosedForm, "epoch {0}", k);
            r.A.Should().BeApproximately(a, Tolerances.ClosedForm, "epoch {0}", k);
            r.Cost.Should().BeApproximately(expectedCost, Tolerances.ClosedForm, "epoch {0}", k);
            r.GradW.Should().BeApproximately(dCdz * x, Tolerances.ClosedForm, "dC/dw at epoch {0}, z = {1}", k, r.Z);
            r.GradB.Should().BeApproximately(dCdz, Tolerances.ClosedForm, "dC/db at epoch {0}, z = {1}", k, r.Z);
            if (k > 0)
            {
                // Plain gradient descent with the previous epoch's gradient, nothing else.
                r.W.Should().BeApproximately(run[k - 1].W - (Eta * run[k - 1].GradW), Tolerances.ClosedForm, "w at epoch {0}", k);
                r.B.Should().BeApproximately(run[k - 1].B - (Eta * run[k - 1].GradB), Tolerances.ClosedForm, "b at epoch {0}", k);
            }
        }
    }

    [Theory]
    [InlineData(0.6, 0.9)]
    [InlineData(2.0, 2.0)]
    public void StartGradient_CrossEntropyExceedsQuadratic_ByOneOverSigmaPrime(double w0, double b0)
    {
        EpochRecord quadratic = SlowdownExperiment.Run(Cost.Quadratic, w0, b0, 0, Eta)[0];
        EpochRecord crossEntropy = SlowdownExperiment.Run(Cost.CrossEntropy, w0, b0, 0, Eta)[0];
        double a = SlowdownExperiment.Sigmoid(w0 + b0);

        (crossEntropy.GradW / quadratic.GradW).Should().BeApproximately(1 / (a * (1 - a)), Tolerances.ClosedForm * (1 / (a * (1 - a))));
        (crossEntropy.GradB / quadratic.GradB).Should().BeApproximately(1 / (a * (1 - a)), Tolerances.ClosedForm * (1 / (a * (1 - a))));
    }

    [Fact]
    public void FromTwoTwo_CrossEntropyFallsBelowThreshold_ManyEpochsBeforeQuadratic()
    {
        // From (2, 2): z0 = 4, a0 = 0.982, sigma'(z0) = 0.0177, so the quadratic's first step is 57x smaller.
        const double z0 = 4, zThreshold = 0;
        int quadraticAtLeast = EpochsLowerBound(Cost.Quadratic, z0, zThreshold);
        int crossEntropyAtMost = EpochsUpperBound(Cost.CrossEntropy, z0, zThreshold);

        // The mathematics alone: the quadratic needs at least ~200 epochs, the cross-entropy at most ~20.
        (quadraticAtLeast - crossEntropyAtMost).Should().BeGreaterThan(150);

        int quadratic = FirstEpochWithOutputBelowHalf(Cost.Quadratic, 2, 2);
        int crossEntropy = FirstEpochWithOutputBelowHalf(Cost.CrossEntropy, 2, 2);
        quadratic.Should().BeGreaterThanOrEqualTo(quadraticAtLeast);
        crossEntropy.Should().BeInRange(0, crossEntropyAtMost);
        (quadratic - crossEntropy).Should().BeGreaterThan(150);
    }

    [Fact]
    public void FromTwoTwo_QuadraticCostPlateaus_WhileCrossEntropyIsAlreadyDone()
    {
        // While z stays above ln 2 (a > 2/3), g = a^2 (1 - a) is largest at the lowest z reached; with z >= 3 for
        // the first n epochs, every step is at most 2 eta g(3), so z >= 4 - n * 2 eta g(3) stays >= 3 for
        // n <= 1 / (2 eta g(3)) = 76 epochs, and the cost stays within (a0^2 - sigma(3)^2)/2 of its start.
        double maxStep = 2 * Eta * QuadraticG(3);
        int n = (int)Math.Floor(1 / maxStep);
        n.Should().BeGreaterThan(70);

        IReadOnlyList<EpochRecord> run = SlowdownExperiment.Run(Cost.Quadratic, 2, 2, n, Eta);
        double start = run[0].Cost, floor = 0.5 * SlowdownExperiment.Sigmoid(3) * SlowdownExperiment.Sigmoid(3);
        run[n].Z.Should().BeGreaterThanOrEqualTo(3);
        run[n].Cost.Should().BeGreaterThanOrEqualTo(floor);
        (start - floor).Should().BeLessThan(0.04, "a plateau: under 10% of the starting cost {0} is lost", start);

        // Meanwhile the cross-entropy run from the same start has the output below 1/2 long before.
        EpochsUpperBound(Cost.CrossEntropy, 4, 0).Should().BeLessThan(n);
        IReadOnlyList<EpochRecord> crossEntropy = SlowdownExperiment.Run(Cost.CrossEntropy, 2, 2, n, Eta);
        crossEntropy[n].A.Should().BeLessThan(0.5);
    }

    [Fact]
    public void FromPointSixPointNine_BothCostsLearnQuickly()
    {
        // z0 = 1.5, a0 = 0.82: sigma'(z0) = 0.149 is not small, so neither cost stalls.
        const double z0 = 1.5, zThreshold = 0;
        int quadraticAtMost = EpochsUpperBound(Cost.Quadratic, z0, zThreshold);
        int crossEntropyAtMost = EpochsUpperBound(Cost.CrossEntropy, z0, zThreshold);
        int plateauAtLeast = EpochsLowerBound(Cost.Quadratic, 4, zThreshold);

        // Same cost, the only difference is the start: no plateau here, a long one from (2, 2).
        (4 * quadraticAtMost).Should().BeLessThan(plateauAtLeast);

        FirstEpochWithOutputBelowHalf(Cost.Quadratic, 0.6, 0.9).Should().BeInRange(0, quadraticAtMost);
        FirstEpochWithOutputBelowHalf(Cost.CrossEntropy, 0.6, 0.9).Should().BeInRange(0, crossEntropyAtMost);
    }

    [Fact]
    public void Run_ThrowsOnNegativeEpochs() =>
        FluentActions.Invoking(() => SlowdownExperiment.Run(Cost.Quadratic, 2, 2, -1, Eta))
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("epochs");

    /// <summary>The first epoch whose cost is below the cost of output 1/2: the threshold each cost has at z = 0.</summary>
    private static int FirstEpochWithOutputBelowHalf(Cost cost, double w0, double b0)
    {
        IReadOnlyList<EpochRecord> run = SlowdownExperiment.Run(cost, w0, b0, Epochs, Eta);
        return SlowdownExperiment.FirstEpochBelow(run, SlowdownExperiment.CostOf(cost, 0.5));
    }

    private static double QuadraticG(double z)
    {
        double a = SlowdownExperiment.Sigmoid(z);
        return a * a * (1 - a);
    }

    /// <summary>The smallest and largest <c>g = dC/dz</c> on [lo, hi] (with y = 0).</summary>
    private static (double Min, double Max) GradientRange(Cost cost, double lo, double hi)
    {
        if (cost == Cost.CrossEntropy)
        {
            // g = sigma(z), increasing.
            return (SlowdownExperiment.Sigmoid(lo), SlowdownExperiment.Sigmoid(hi));
        }

        // g = a^2 (1 - a) rises for a < 2/3 and falls after (dg/da = a (2 - 3a)): one peak, at z = ln 2.
        double peak = Math.Clamp(Math.Log(2), lo, hi);
        return (Math.Min(QuadraticG(lo), QuadraticG(hi)), QuadraticG(peak));
    }

    /// <summary>
    /// At least how many epochs z' = z - 2 eta g(z) needs to get from z0 below zt. Cut [zt, z0] at
    /// p_1 > ... > p_m = zt. The steps taken from [p_i, p_(i-1)) are at most S_i = 2 eta max g there, and they
    /// must carry z from where stage i - 1 ended, at least p_(i-1) - S_(i-1), to below p_i: more than
    /// d_i = p_(i-1) - S_(i-1) - p_i in total, which takes at least floor(d_i / S_i) + 1 steps when d_i >= 0.
    /// </summary>
    private static int EpochsLowerBound(Cost cost, double z0, double zt)
    {
        int epochs = 0;
        double previousP = z0, previousS = 0;
        for (int i = 1; i <= Stages; i++)
        {
            double p = z0 - ((z0 - zt) * i / Stages);
            double s = 2 * Eta * GradientRange(cost, p, previousP).Max;
            double d = previousP - previousS - p;
            if (d >= 0)
            {
                epochs += (int)Math.Floor(d / s) + 1;
            }

            (previousP, previousS) = (p, s);
        }

        return epochs;
    }

    /// <summary>
    /// At most how many epochs the same map needs: every step taken from [p_i, p_(i-1)) is at least
    /// s_i = 2 eta min g there, and stage i starts at or below p_(i-1), so it ends after at most
    /// floor((p_(i-1) - p_i) / s_i) + 1 steps.
    /// </summary>
    private static int EpochsUpperBound(Cost cost, double z0, double zt)
    {
        int epochs = 0;
        double previousP = z0;
        for (int i = 1; i <= Stages; i++)
        {
            double p = z0 - ((z0 - zt) * i / Stages);
            double s = 2 * Eta * GradientRange(cost, p, previousP).Min;
            epochs += (int)Math.Floor((previousP - p) / s) + 1;
            previousP = p;
        }

        return epochs;
    }
}

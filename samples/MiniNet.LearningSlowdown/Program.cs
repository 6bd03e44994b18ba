using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using MiniNet.LearningSlowdown;

// Nielsen, ch. 3: one sigmoid neuron, x = 1, y = 0, eta = 0.15, 300 epochs, from two starts, with two costs.
const double Eta = 0.15;
const int Epochs = 300;
const int TableEvery = 25;

string outDir = Directory.GetCurrentDirectory();
try
{
    var reader = new MiniNet.Samples.ArgumentReader(args);
    while (reader.MoveNext())
    {
        switch (reader.Name)
        {
            case "--help" or "-h":
                Console.WriteLine("Usage: dotnet run --project samples/MiniNet.LearningSlowdown [-- --out DIR]");
                Console.WriteLine("Trains one sigmoid neuron (x = 1, y = 0, eta = 0.15, 300 epochs) from (w, b) = (0.6, 0.9) and (2, 2)");
                Console.WriteLine("with the quadratic and the cross-entropy cost, prints a table and writes learning-slowdown.png");
                Console.WriteLine("into DIR (default: the current directory; created if its parent exists).");
                return 0;
            case "--out":
                outDir = reader.Value();
                break;
            default:
                throw reader.Unknown();
        }
    }

    MiniNet.Samples.OutputPath.CheckDirectory("--out", outDir);
}
catch (FormatException e)
{
    Console.Error.WriteLine($"error: {e.Message}; try --help.");
    return 2;
}

var runs = new (string Name, Cost Cost, double W0, double B0, string Color)[]
{
    ("quadratic from (0.6, 0.9)", Cost.Quadratic, 0.6, 0.9, "#F0A028"),
    ("quadratic from (2, 2)", Cost.Quadratic, 2.0, 2.0, "#C8281E"),
    ("cross-entropy from (0.6, 0.9)", Cost.CrossEntropy, 0.6, 0.9, "#50AAE6"),
    ("cross-entropy from (2, 2)", Cost.CrossEntropy, 2.0, 2.0, "#0046A0"),
};
var results = new IReadOnlyList<EpochRecord>[runs.Length];
for (int r = 0; r < runs.Length; r++)
{
    results[r] = SlowdownExperiment.Run(runs[r].Cost, runs[r].W0, runs[r].B0, Epochs, Eta);
}

CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
Console.WriteLine($"One sigmoid neuron, x = {SlowdownExperiment.Input}, y = {SlowdownExperiment.Target}, eta = {Eta}, {Epochs} epochs.");
Console.WriteLine();
Console.WriteLine("Gradient dC/dw at the start, from the tape:");
Console.WriteLine("  start        a = sigma(z)  sigma'(z)   quadratic (a-y)sigma'(z)x   cross-entropy (a-y)x   ratio");
double worst = 0;
for (int start = 0; start < 2; start++)
{
    EpochRecord quadratic = results[start][0], crossEntropy = results[start + 2][0];
    double sigmaPrime = quadratic.A * (1 - quadratic.A);
    Console.WriteLine($"  ({quadratic.W,3}, {quadratic.B,3})   {quadratic.A,10:F6}  {sigmaPrime,10:F6}   {quadratic.GradW,24:F6}   {crossEntropy.GradW,20:F6}   {crossEntropy.GradW / quadratic.GradW,5:F1}x");
    double x = SlowdownExperiment.Input, y = SlowdownExperiment.Target;
    worst = Math.Max(worst, Math.Abs(quadratic.GradW - ((quadratic.A - y) * sigmaPrime * x)));
    worst = Math.Max(worst, Math.Abs(crossEntropy.GradW - ((crossEntropy.A - y) * x)));
}

Console.WriteLine($"  largest |tape - closed form|: {worst:G3}");

Console.WriteLine();
Console.WriteLine("Cost C, output a and dC/dw per run:");
Console.Write("epoch");
for (int r = 0; r < runs.Length; r++)
{
    Console.Write($" | {runs[r].Name,-29}");
}

Console.WriteLine();
Console.Write("     ");
for (int r = 0; r < runs.Length; r++)
{
    Console.Write($" | {"C",8} {"a",8} {"dC/dw",11}");
}

Console.WriteLine();
for (int epoch = 0; epoch <= Epochs; epoch += TableEvery)
{
    Console.Write($"{epoch,5}");
    for (int r = 0; r < runs.Length; r++)
    {
        EpochRecord record = results[r][epoch];
        Console.Write($" | {record.Cost,8:F4} {record.A,8:F4} {record.GradW,11:F6}");
    }

    Console.WriteLine();
}

// A common yardstick for both costs: the epoch at which the output first drops below 0.5, i.e. the cost falls
// below its own value at a = 0.5 ((0.5)^2/2 = 0.125 for the quadratic, ln 2 = 0.693 for the cross-entropy).
Console.WriteLine();
Console.WriteLine("First epoch with a < 0.5 (cost below C(a = 0.5)):");
for (int r = 0; r < runs.Length; r++)
{
    double threshold = SlowdownExperiment.CostOf(runs[r].Cost, 0.5);
    int epoch = SlowdownExperiment.FirstEpochBelow(results[r], threshold);
    Console.WriteLine($"  {runs[r].Name,-29}  C < {threshold:F4}  at epoch {(epoch < 0 ? "never" : epoch.ToString(CultureInfo.InvariantCulture))}");
}

var series = new (string Name, string Color, double[] Cost, double[] Output)[runs.Length];
for (int r = 0; r < runs.Length; r++)
{
    series[r] = (runs[r].Name, runs[r].Color, new double[Epochs + 1], new double[Epochs + 1]);
    for (int e = 0; e <= Epochs; e++)
    {
        series[r].Cost[e] = results[r][e].Cost;
        series[r].Output[e] = results[r][e].A;
    }
}

string png = Path.Combine(outDir, "learning-slowdown.png");
Directory.CreateDirectory(outDir);
SlowdownPlot.Save(png, series);
Console.WriteLine();
Console.WriteLine($"Wrote {png}");
return 0;

using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;

namespace MiniNet.Samples.Mnist;

/// <summary>
/// The sample's part of a training checkpoint, kept as <c>extra.*</c> strings: the position inside the epoch under
/// way (batches done, running loss, the generator after the last batch) and the finished epochs' figures, so a resumed
/// run prints and plots the whole run. Doubles are written round-trip ("R"), so nothing is lost.
/// </summary>
internal static class CheckpointState
{
    private const string BatchesKey = "batches", LossSumKey = "loss_sum", SeenKey = "seen", HistoryKey = "history", AfterBatchKey = "rng_after_batch", OptionsKey = "options";

    public static Dictionary<string, string> Write(TrainingPosition position, Options options)
    {
        var rows = new List<string>(position.History.Count);
        foreach (EpochResult e in position.History)
        {
            rows.Add(string.Join(',', Array.ConvertAll(new double[] { e.Epoch, e.TrainLoss, e.TrainAccuracy, e.EvalLoss, e.EvalAccuracy, e.Seconds, e.SamplesPerSecond }, R)));
        }

        var extra = new Dictionary<string, string>
        {
            [BatchesKey] = position.Batches.ToString(CultureInfo.InvariantCulture),
            [LossSumKey] = R(position.LossSum),
            [SeenKey] = position.Seen.ToString(CultureInfo.InvariantCulture),
            [HistoryKey] = string.Join(';', rows),
            [OptionsKey] = string.Join(';', Array.ConvertAll(options.Trajectory(), o => $"{o.Option}={o.Value}")),
        };
        if (position.AfterBatch is { } g)
        {
            extra[AfterBatchKey] = string.Join(',', U(g.S0), U(g.S1), U(g.S2), U(g.S3), g.HasSpareGaussian ? "1" : "0", R(g.SpareGaussian));
        }

        return extra;
    }

    /// <exception cref="InvalidDataException">The strings are missing or malformed (a checkpoint not written by this sample).</exception>
    public static TrainingPosition Read(int completedEpochs, IReadOnlyDictionary<string, string> extra)
    {
        var history = new List<EpochResult>();
        string rows = Get(extra, HistoryKey);
        foreach (string row in rows.Length == 0 ? Array.Empty<string>() : rows.Split(';'))
        {
            string[] f = row.Split(',');
            if (f.Length != 7)
            {
                throw new InvalidDataException($"checkpoint: malformed epoch history entry '{row}'");
            }

            history.Add(new EpochResult((int)D(f[0]), D(f[1]), D(f[2]), D(f[3]), D(f[4]), D(f[5]), D(f[6])));
        }

        return new TrainingPosition(completedEpochs, (int)D(Get(extra, BatchesKey)), D(Get(extra, LossSumKey)), (int)D(Get(extra, SeenKey)), history,
            extra.TryGetValue(AfterBatchKey, out string? g) ? Generator(g) : null);
    }

    /// <summary>Throws unless the run repeats the options the checkpoint was trained with (a checkpoint without them passes).</summary>
    /// <exception cref="InvalidDataException">An option differs; the message names each one with both values.</exception>
    public static void RequireSameOptions(string path, IReadOnlyDictionary<string, string> extra, Options options)
    {
        if (!extra.TryGetValue(OptionsKey, out string? saved))
        {
            return;
        }

        var was = new Dictionary<string, string>();
        foreach (string pair in saved.Split(';'))
        {
            string[] kv = pair.Split('=', 2);
            was[kv[0]] = kv.Length == 2 ? kv[1] : string.Empty;
        }

        var before = new List<string>();
        var now = new List<string>();
        foreach ((string option, string value) in options.Trajectory())
        {
            if (was.TryGetValue(option, out string? old) && old != value)
            {
                before.Add($"{option} {old}");
                now.Add($"{option} {value}");
            }
        }

        if (before.Count > 0)
        {
            throw new InvalidDataException(
                $"--resume: '{path}' was trained with {string.Join(' ', before)}, but this run has {string.Join(' ', now)}; " +
                "resume with the same options (only --epochs, --save, --checkpoint, --plot and --monitor may change)");
        }
    }

    private static RngState Generator(string text)
    {
        string[] f = text.Split(',');
        if (f.Length != 6 || !Word(f[0], out ulong s0) || !Word(f[1], out ulong s1) || !Word(f[2], out ulong s2) || !Word(f[3], out ulong s3)
            || f[4] is not ("0" or "1"))
        {
            throw new InvalidDataException($"checkpoint: malformed generator state '{text}'");
        }

        return new RngState(s0, s1, s2, s3, f[4] == "1", D(f[5]));
    }

    private static string Get(IReadOnlyDictionary<string, string> extra, string key) =>
        extra.TryGetValue(key, out string? value) ? value : throw new InvalidDataException($"checkpoint: not written by the MNIST sample (no '{key}' entry)");

    private static bool Word(string s, out ulong v) => ulong.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out v);

    private static string U(ulong v) => v.ToString(CultureInfo.InvariantCulture);

    private static string R(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    private static double D(string s) => double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double v)
        ? v : throw new InvalidDataException($"checkpoint: '{s}' is not a number");
}

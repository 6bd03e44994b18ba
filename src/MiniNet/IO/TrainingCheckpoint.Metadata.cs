using System;
using System.Collections.Generic;
using System.Globalization;
using MiniNet.Optim;

namespace MiniNet.IO;

/// <content>The metadata strings of a training checkpoint: the optimizer's description, and parsing of numbers.</content>
public static partial class TrainingCheckpoint
{
    // Hyper-parameters that must match for a resumed run to continue the same computation: the type, the group
    // layout and weight decays, and the optimizer's own settings (the learning rates are restored instead, since
    // schedules change them). Doubles in round-trip form, so equality is exact.
    private static List<(string Key, string Value)> Describe(Optimizer optimizer)
    {
        string type = optimizer.GetType().Name;
        int tick = type.IndexOf('`', StringComparison.Ordinal);
        var result = new List<(string, string)>
        {
            ("type", tick < 0 ? type : type[..tick]),
            ("groups", optimizer.Groups.Count.ToString(CultureInfo.InvariantCulture)),
        };
        foreach (var (name, value) in optimizer.Hyperparameters())
        {
            result.Add((name, Format(value)));
        }

        foreach (OptimizerGroup group in optimizer.Groups)
        {
            string prefix = "group." + group.Index.ToString(CultureInfo.InvariantCulture) + ".";
            result.Add((prefix + "params", group.ParameterCount.ToString(CultureInfo.InvariantCulture)));
            result.Add((prefix + "weight_decay", Format(group.WeightDecay)));
        }

        return result;
    }

    private static string LearningRateKey(int group) => "optimizer.group." + group.ToString(CultureInfo.InvariantCulture) + ".lr";

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static int ParseInt(string path, string key, string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value)
            ? value : throw new SafeTensorsFormatException(path, $"{key} '{text}' is not a non-negative integer.");

    private static ulong ParseWord(string path, string text) =>
        ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out ulong value)
            ? value : throw new SafeTensorsFormatException(path, $"RNG state word '{text}' is not a 64-bit unsigned decimal integer.");

    private static string TypeName(string dtype) => dtype switch { "F32" => "float", "F64" => "double", _ => dtype };

    private static string DType<T>() => typeof(T) == typeof(float) ? "F32" : typeof(T) == typeof(double) ? "F64"
        : throw new NotSupportedException($"Training checkpoints support float and double, not {typeof(T).Name}.");
}

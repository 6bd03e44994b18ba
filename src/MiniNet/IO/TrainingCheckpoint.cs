using System;
using System.Collections.Generic;
using System.Globalization;
using System.Numerics;
using MiniNet.NN;
using MiniNet.Optim;

namespace MiniNet.IO;

/// <summary>
/// Saves and restores everything a training run needs to continue exactly where it stopped: the model's
/// parameters and buffers, the optimizer's state buffers, step count and hyper-parameters, the epoch and the generator's state.
/// A run stopped after epoch <c>k</c> and resumed from the checkpoint gives bit-identical results to an
/// uninterrupted run, provided the generator saved is the one that shuffles the data (the
/// <see cref="Data.DataLoader{T}"/> draws a fresh permutation from it at the start of every epoch).
/// </summary>
/// <remarks>
/// <para>PyTorch: <c>torch.save({"model": model.state_dict(), "optimizer": opt.state_dict(), "epoch": e,
/// "rng": g.get_state()}, path)</c>, but as one safetensors file: parameters and buffers under <c>model.&lt;name&gt;</c>, optimizer
/// buffers under <c>optimizer.&lt;index&gt;.&lt;buffer&gt;</c>, and the scalars in <c>__metadata__</c> as strings
/// (RNG words as decimal integers, doubles in round-trip form; every parameter group's learning rate, size and weight
/// decay under <c>optimizer.group.&lt;g&gt;.*</c>). Writes are atomic (<see cref="AtomicFile"/>).</para>
/// <para>Not saved: learning-rate schedulers (re-create them and call their <c>Step()</c> once per completed epoch) and
/// gradients (the next step zeroes them anyway).</para>
/// </remarks>
public static partial class TrainingCheckpoint
{
    /// <summary>The format version written by <see cref="Save{T}"/> and the only one <see cref="Load{T}(string, Module{T}, Optimizer{T}, Rng)"/> accepts.</summary>
    public const int FormatVersion = 2;

    private const string FormatName = "mininet.training_checkpoint";
    private const string ModelPrefix = "model.", OptimizerPrefix = "optimizer.", ExtraPrefix = "extra.";

    /// <summary>Writes a training checkpoint to <paramref name="path"/> atomically.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="path">The file to create or replace; its directory must exist.</param>
    /// <param name="model">The model whose parameters and buffers are saved.</param>
    /// <param name="optimizer">The optimizer whose buffers, step count and hyper-parameters are saved.</param>
    /// <param name="epoch">The number of completed epochs, non-negative; <see cref="Load{T}(string, Module{T}, Optimizer{T}, Rng)"/> returns it.</param>
    /// <param name="rng">The generator that shuffles the training data (and any other randomness of the run).</param>
    /// <param name="extra">Optional caller strings, stored as <c>extra.&lt;key&gt;</c> metadata.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="epoch"/> is negative.</exception>
    /// <exception cref="System.IO.IOException">The file cannot be written; any previous file at <paramref name="path"/> is left intact.</exception>
    public static void Save<T>(string path, Module<T> model, Optimizer<T> optimizer, int epoch, Rng rng, IReadOnlyDictionary<string, string>? extra = null)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(rng);
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        var tensors = new List<(string, Tensor<T>)>();
        foreach (var (name, parameter) in model.StateDict())
        {
            tensors.Add((ModelPrefix + name, parameter));
        }

        foreach (var (name, buffer) in optimizer.GetState())
        {
            tensors.Add((OptimizerPrefix + name, buffer));
        }

        var metadata = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["format"] = FormatName,
            ["format_version"] = FormatVersion.ToString(CultureInfo.InvariantCulture),
            ["dtype"] = DType<T>(),
            ["epoch"] = epoch.ToString(CultureInfo.InvariantCulture),
            ["optimizer.step_count"] = optimizer.StepCount.ToString(CultureInfo.InvariantCulture),
        };
        foreach (OptimizerGroup group in optimizer.Groups)
        {
            metadata[LearningRateKey(group.Index)] = Format(group.LearningRate);
        }

        foreach (var (key, value) in Describe(optimizer))
        {
            metadata["optimizer." + key] = value;
        }

        RngState state = rng.GetState();
        metadata["rng.s0"] = state.S0.ToString(CultureInfo.InvariantCulture);
        metadata["rng.s1"] = state.S1.ToString(CultureInfo.InvariantCulture);
        metadata["rng.s2"] = state.S2.ToString(CultureInfo.InvariantCulture);
        metadata["rng.s3"] = state.S3.ToString(CultureInfo.InvariantCulture);
        metadata["rng.has_spare_gaussian"] = state.HasSpareGaussian ? "true" : "false";
        metadata["rng.spare_gaussian_bits"] = BitConverter.DoubleToUInt64Bits(state.SpareGaussian).ToString(CultureInfo.InvariantCulture);
        if (extra is not null)
        {
            foreach (var (key, value) in extra)
            {
                metadata[ExtraPrefix + key] = value ?? throw new ArgumentException($"Extra value '{key}' is null.", nameof(extra));
            }
        }

        SafeTensors.Save(path, tensors, metadata);
    }

    /// <summary>
    /// Restores a checkpoint written by <see cref="Save{T}"/> into <paramref name="model"/>, <paramref name="optimizer"/>
    /// and <paramref name="rng"/> (which may be freshly created with any seed), and returns the saved epoch. Everything
    /// is validated first (format version, element type, optimizer type and hyper-parameters, every name and shape,
    /// the RNG words); nothing is changed unless all of it matches. The optimizer's learning rate is restored too.
    /// </summary>
    /// <typeparam name="T">float or double; must match the checkpoint's element type.</typeparam>
    /// <param name="path">The checkpoint.</param>
    /// <param name="model">A model of the same architecture.</param>
    /// <param name="optimizer">An optimizer of the same type and hyper-parameters over <paramref name="model"/>'s parameters.</param>
    /// <param name="rng">The generator to restore (pass the one the data loader shuffles with).</param>
    /// <returns>The number of completed epochs stored in the checkpoint.</returns>
    /// <remarks>PyTorch: <c>model.load_state_dict(ck["model"]); opt.load_state_dict(ck["optimizer"]); g.set_state(ck["rng"])</c>.</remarks>
    /// <exception cref="SafeTensorsFormatException">The file is malformed or truncated, is not a MiniNet training checkpoint
    /// of this version, holds double tensors for a float model (or vice versa), or does not match the model or optimizer;
    /// the message names the problem.</exception>
    /// <exception cref="System.IO.IOException">The file cannot be read.</exception>
    public static int Load<T>(string path, Module<T> model, Optimizer<T> optimizer, Rng rng)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> => Load(path, model, optimizer, rng, out _);

    /// <inheritdoc cref="Load{T}(string, Module{T}, Optimizer{T}, Rng)"/>
    /// <param name="path">The checkpoint.</param>
    /// <param name="model">A model of the same architecture.</param>
    /// <param name="optimizer">An optimizer of the same type and hyper-parameters over <paramref name="model"/>'s parameters.</param>
    /// <param name="rng">The generator to restore.</param>
    /// <param name="extra">The caller strings passed to <see cref="Save{T}"/> (without their <c>extra.</c> prefix).</param>
    public static int Load<T>(string path, Module<T> model, Optimizer<T> optimizer, Rng rng, out IReadOnlyDictionary<string, string> extra)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(rng);
        SafeTensorsHeader header = SafeTensors.ReadHeader(path);
        IReadOnlyDictionary<string, string> meta = header.Metadata;
        string Get(string key) => meta.TryGetValue(key, out string? value)
            ? value : throw new SafeTensorsFormatException(path, $"the metadata lacks '{key}'; is this a MiniNet training checkpoint?");

        if (Get("format") != FormatName)
        {
            throw new SafeTensorsFormatException(path, $"metadata format is '{meta["format"]}', not '{FormatName}'.");
        }

        if (Get("format_version") != FormatVersion.ToString(CultureInfo.InvariantCulture))
        {
            throw new SafeTensorsFormatException(path, $"format_version is '{meta["format_version"]}'; this MiniNet reads version {FormatVersion}.");
        }

        string dtype = DType<T>();
        if (Get("dtype") != dtype)
        {
            throw new SafeTensorsFormatException(path, $"the checkpoint holds {meta["dtype"]} ({TypeName(meta["dtype"])}) tensors but the model and optimizer " +
                $"are {TypeName(dtype)} ({dtype}); load it into a model and optimizer of {TypeName(meta["dtype"])}, or re-save it in {dtype}.");
        }

        int epoch = ParseInt(path, "epoch", Get("epoch"));
        int stepCount = ParseInt(path, "optimizer.step_count", Get("optimizer.step_count"));
        foreach (var (key, expected) in Describe(optimizer))
        {
            string saved = Get("optimizer." + key);
            if (saved != expected)
            {
                throw new SafeTensorsFormatException(path, $"optimizer.{key} is '{saved}' in the checkpoint but '{expected}' in the optimizer given; create the optimizer with the saved settings.");
            }
        }

        var rates = new double[optimizer.Groups.Count];
        for (int g = 0; g < rates.Length; g++)
        {
            string key = LearningRateKey(g), text = Get(key);
            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out rates[g]) || !(rates[g] >= 0) || !double.IsFinite(rates[g]))
            {
                throw new SafeTensorsFormatException(path, $"{key} '{text}' is not a finite non-negative number.");
            }
        }

        RngState rngState = new(ParseWord(path, Get("rng.s0")), ParseWord(path, Get("rng.s1")), ParseWord(path, Get("rng.s2")), ParseWord(path, Get("rng.s3")),
            Get("rng.has_spare_gaussian") switch
            {
                "true" => true,
                "false" => false,
                _ => throw new SafeTensorsFormatException(path, $"rng.has_spare_gaussian is '{meta["rng.has_spare_gaussian"]}', not true or false."),
            },
            BitConverter.UInt64BitsToDouble(ParseWord(path, Get("rng.spare_gaussian_bits"))));
        if ((rngState.S0 | rngState.S1 | rngState.S2 | rngState.S3) == 0)
        {
            throw new SafeTensorsFormatException(path, "the RNG state words are all zero, which no generator can be in.");
        }

        CheckModelEntries(path, header, model, dtype);
        var tensors = new Dictionary<string, Tensor<T>>(StringComparer.Ordinal);
        foreach (var (name, tensor) in SafeTensors.Load<T>(path))
        {
            tensors[name] = tensor;
        }

        var optimizerState = new List<(string, Tensor<T>)>();
        foreach (var (name, tensor) in tensors)
        {
            if (name.StartsWith(OptimizerPrefix, StringComparison.Ordinal))
            {
                optimizerState.Add((name[OptimizerPrefix.Length..], tensor));
            }
        }

        // The first mutation: LoadState validates every name and shape before changing anything. What follows cannot fail.
        try
        {
            optimizer.LoadState(optimizerState, stepCount);
        }
        catch (ArgumentException e)
        {
            throw new SafeTensorsFormatException(path, $"the optimizer state does not fit the optimizer given: {e.Message}");
        }

        for (int g = 0; g < rates.Length; g++)
        {
            optimizer.Groups[g].LearningRate = rates[g];
        }
        foreach (var (name, parameter) in model.StateDict())
        {
            parameter.CopyFrom(tensors[ModelPrefix + name].AsReadOnlySpan());
        }

        rng.SetState(rngState);
        var extras = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in meta)
        {
            if (key.StartsWith(ExtraPrefix, StringComparison.Ordinal))
            {
                extras[key[ExtraPrefix.Length..]] = value;
            }
        }

        extra = extras;
        return epoch;
    }

    private static void CheckModelEntries<T>(string path, SafeTensorsHeader header, Module<T> model, string dtype)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var inFile = new Dictionary<string, SafeTensorsEntry>(StringComparer.Ordinal);
        foreach (SafeTensorsEntry entry in header.Entries)
        {
            if (entry.DType != dtype)
            {
                throw new SafeTensorsFormatException(path, $"tensor '{entry.Name}' is {entry.DType} but the model is {dtype}.");
            }

            if (entry.Name.StartsWith(ModelPrefix, StringComparison.Ordinal))
            {
                inFile[entry.Name[ModelPrefix.Length..]] = entry;
            }
            else if (!entry.Name.StartsWith(OptimizerPrefix, StringComparison.Ordinal))
            {
                throw new SafeTensorsFormatException(path, $"tensor '{entry.Name}' is neither model.* nor optimizer.*.");
            }
        }

        foreach (var (name, parameter) in model.StateDict())
        {
            if (!inFile.Remove(name, out SafeTensorsEntry? entry))
            {
                throw new SafeTensorsFormatException(path, $"the model's {ModuleCheckpoint.Kind(model, parameter)} '{name}' {parameter.Shape} is missing from the checkpoint.");
            }

            if (!parameter.Shape.Equals(new Shape(entry.Shape)))
            {
                throw new SafeTensorsFormatException(path, $"parameter '{name}' has shape {new Shape(entry.Shape)} in the checkpoint but {parameter.Shape} in the model.");
            }
        }

        foreach (string unknown in inFile.Keys)
        {
            throw new SafeTensorsFormatException(path, $"the checkpoint holds 'model.{unknown}', which is not a parameter or buffer of the model.");
        }
    }
}

using System;
using System.Collections.Generic;
using System.Numerics;
using MiniNet.NN;

namespace MiniNet.IO;

/// <summary>Saves and loads a module's parameters and buffers as a safetensors file, keyed by <see cref="Module{T}.StateDict"/>.</summary>
/// <remarks>PyTorch: <c>save_file(model.state_dict(), path)</c> / <c>model.load_state_dict(load_file(path))</c> (strict).</remarks>
public static class ModuleCheckpoint
{
    /// <summary>Writes every parameter and buffer of <paramref name="module"/> (its <see cref="Module{T}.StateDict"/>) to <paramref name="path"/> atomically.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="module">The module.</param>
    /// <param name="path">The file to create or replace.</param>
    /// <param name="metadata">Optional string pairs stored under <c>__metadata__</c>.</param>
    /// <exception cref="System.IO.IOException">The file cannot be written.</exception>
    public static void Save<T>(this Module<T> module, string path, IReadOnlyDictionary<string, string>? metadata = null)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(module);
        SafeTensors.Save(path, module.StateDict(), metadata);
    }

    /// <summary>
    /// Overwrites every parameter and buffer of <paramref name="module"/> with the tensor of the same name in
    /// <paramref name="path"/>. The file must hold exactly the module's <see cref="Module{T}.StateDict"/> names, with the
    /// same shapes and element type; nothing is changed unless all match.
    /// </summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="module">The module.</param>
    /// <param name="path">The file.</param>
    /// <exception cref="SafeTensorsFormatException">The file is malformed, or a name is missing or unexpected, or a shape or
    /// dtype differs; the message names the parameter and both values.</exception>
    /// <exception cref="System.IO.IOException">The file cannot be read.</exception>
    public static void Load<T>(this Module<T> module, string path)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(module);
        SafeTensorsHeader header = SafeTensors.ReadHeader(path);
        var inFile = new Dictionary<string, SafeTensorsEntry>(StringComparer.Ordinal);
        foreach (SafeTensorsEntry entry in header.Entries)
        {
            inFile[entry.Name] = entry;
        }

        IReadOnlyList<(string Name, Tensor<T> Tensor)> parameters = module.StateDict();
        string dtype = typeof(T) == typeof(float) ? "F32" : "F64";
        foreach (var (name, parameter) in parameters)
        {
            if (!inFile.Remove(name, out SafeTensorsEntry? entry))
            {
                throw new SafeTensorsFormatException(path, $"the module's {Kind(module, parameter)} '{name}' {parameter.Shape} is missing from the file.");
            }

            if (entry.DType != dtype)
            {
                throw new SafeTensorsFormatException(path, $"parameter '{name}' is {entry.DType} in the file but the module's is {dtype}.");
            }

            if (!parameter.Shape.Equals(new Shape(entry.Shape)))
            {
                throw new SafeTensorsFormatException(path, $"parameter '{name}' has shape {new Shape(entry.Shape)} in the file but {parameter.Shape} in the module.");
            }
        }

        foreach (string extra in inFile.Keys)
        {
            throw new SafeTensorsFormatException(path, $"the file holds '{extra}', which is not a parameter or buffer of the module.");
        }

        IReadOnlyList<(string Name, Tensor<T> Tensor)> loaded = SafeTensors.Load<T>(path);
        var byName = new Dictionary<string, Tensor<T>>(StringComparer.Ordinal);
        foreach (var (name, tensor) in loaded)
        {
            byName[name] = tensor;
        }

        foreach (var (name, parameter) in parameters)
        {
            parameter.CopyFrom(byName[name].AsReadOnlySpan());
        }
    }

    /// <summary>"parameter" or "buffer", for messages.</summary>
    internal static string Kind<T>(Module<T> module, Tensor<T> tensor)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        foreach (var (_, parameter) in module.NamedParameters())
        {
            if (ReferenceEquals(parameter, tensor))
            {
                return "parameter";
            }
        }

        return "buffer";
    }
}

using System.IO;

namespace MiniNet.IO;

/// <summary>
/// Thrown when a safetensors file is malformed (bad header length, invalid JSON, unknown dtype, inconsistent shapes
/// or offsets, duplicate names, truncated data) or does not match what the caller expects (element type, or a
/// module's parameter names and shapes). The message names the file and the problem.
/// </summary>
/// <remarks>
/// Derives from <see cref="IOException"/>, so one <c>catch (IOException)</c> covers unreadable and malformed files.
/// (<see cref="InvalidDataException"/>, the natural base, is sealed.)
/// </remarks>
public sealed class SafeTensorsFormatException : IOException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="path">The file.</param>
    /// <param name="problem">What is wrong.</param>
    public SafeTensorsFormatException(string path, string problem)
        : base($"Invalid safetensors file '{path}': {problem}")
    {
        FilePath = path;
    }

    /// <summary>The file concerned.</summary>
    public string FilePath { get; }
}

using System.IO;

namespace MiniNet.Data;

/// <summary>
/// Thrown when an IDX file (the MNIST format) is truncated, corrupt or inconsistent. The message names the file
/// and the byte offset (in the decompressed stream for <c>.gz</c> files) where the problem was found.
/// </summary>
/// <remarks>
/// Derives from <see cref="IOException"/>, so one <c>catch (IOException)</c> covers both unreadable and malformed
/// files. (<see cref="InvalidDataException"/>, the natural base, is sealed.)
/// </remarks>
public sealed class IdxFormatException : IOException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="path">The file.</param>
    /// <param name="offset">The byte offset of the problem in the (decompressed) IDX stream.</param>
    /// <param name="problem">What is wrong.</param>
    public IdxFormatException(string path, long offset, string problem)
        : base($"Invalid IDX file '{path}' at byte offset {offset}: {problem}")
    {
        FilePath = path;
        Offset = offset;
    }

    /// <summary>The file that failed to parse.</summary>
    public string FilePath { get; }

    /// <summary>The byte offset of the problem in the (decompressed) IDX stream.</summary>
    public long Offset { get; }
}

using System;
using System.IO;

namespace MiniNet.Samples;

/// <summary>
/// Checks, before any training, that a sample can write an output file or directory, so a run never trains for
/// minutes and then loses its model to a bad path. Each problem becomes one <see cref="FormatException"/> line naming
/// the option and the path (never a temporary file). Linked into each sample.
/// </summary>
internal static class OutputPath
{
    private static readonly string[] PseudoFileSystems = { "/proc", "/sys", "/dev" };

    /// <summary>Checks that <paramref name="path"/> can be created or replaced as a regular file.</summary>
    /// <exception cref="FormatException">The path is a directory, an existing non-regular file, on /proc, /sys or /dev,
    /// in a directory that does not exist or cannot be written.</exception>
    public static void CheckFile(string option, string path)
    {
        string full = Full(option, path);
        if (Directory.Exists(full))
        {
            throw new FormatException($"{option}: '{path}' is a directory; give a file name");
        }

        RejectPseudo(option, path, full);
        var info = new FileInfo(full);
        if (info.Exists && (info.Attributes & FileAttributes.Device) != 0)
        {
            throw new FormatException($"{option}: '{path}' exists and is not a regular file");
        }

        string directory = Path.GetDirectoryName(full) ?? full;
        if (!Directory.Exists(directory))
        {
            throw new FormatException($"{option}: directory '{Path.GetDirectoryName(path) ?? directory}' of '{path}' does not exist");
        }

        CheckWritable(option, path, directory);
    }

    /// <summary>Checks that <paramref name="path"/> is a writable directory, or can be created as one (its parent exists and is writable).</summary>
    /// <exception cref="FormatException">The path is an existing file, on /proc, /sys or /dev, or cannot be created or written.</exception>
    public static void CheckDirectory(string option, string path)
    {
        string full = Full(option, path);
        RejectPseudo(option, path, full);
        if (File.Exists(full))
        {
            throw new FormatException($"{option}: '{path}' is a file, not a directory");
        }

        if (Directory.Exists(full))
        {
            CheckWritable(option, path, full);
            return;
        }

        string? parent = Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(full));
        if (parent is null || !Directory.Exists(parent))
        {
            throw new FormatException($"{option}: '{path}' does not exist, nor does its parent directory");
        }

        CheckWritable(option, path, parent);
    }

    private static string Full(string option, string path)
    {
        try
        {
            return Path.GetFullPath(path);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new FormatException($"{option}: '{path}' is not a valid path");
        }
    }

    private static void RejectPseudo(string option, string path, string full)
    {
        foreach (string root in PseudoFileSystems)
        {
            if (full == root || full.StartsWith(root + "/", StringComparison.Ordinal))
            {
                throw new FormatException($"{option}: '{path}' is under {root}, which holds no ordinary files; choose another place");
            }
        }
    }

    /// <summary>Creates and deletes a probe file in <paramref name="directory"/>; a failure names the directory, not the probe.</summary>
    private static void CheckWritable(string option, string path, string directory)
    {
        string probe = Path.Combine(directory, $".mininet-write-check-{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose))
            {
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            string reason = e is UnauthorizedAccessException ? "permission denied" : "it cannot be written (read-only or full?)";
            throw new FormatException($"{option}: cannot write '{path}': {reason} in directory '{directory}'");
        }
    }
}

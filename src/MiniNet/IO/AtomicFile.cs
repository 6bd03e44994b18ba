using System;
using System.IO;
using System.Runtime.InteropServices;

namespace MiniNet.IO;

/// <summary>Writes files so that readers (and a crash) only ever see the old complete file or the new complete file.</summary>
public static class AtomicFile
{
    /// <summary>
    /// Writes <paramref name="path"/> atomically: <paramref name="write"/> fills a temporary file in the same
    /// directory, which is flushed to disk and then renamed over <paramref name="path"/>. If <paramref name="write"/>
    /// throws, the temporary file is deleted and the existing file is left untouched.
    /// </summary>
    /// <param name="path">The destination file; its directory must exist.</param>
    /// <param name="write">Writes the complete content to the stream it is given (do not dispose the stream).</param>
    /// <remarks>
    /// PyTorch has no equivalent (<c>torch.save</c> writes in place); this is the usual write-fsync-rename pattern.
    /// The rename is atomic on POSIX file systems and NTFS when source and target share a volume, which is why the
    /// temporary file lives in the target's directory. After the rename the directory itself is fsynced on Linux and macOS, so the new entry survives a power loss too
    /// (Windows has no directory fsync; NTFS journals the rename).
    /// </remarks>
    /// <exception cref="IOException">The file cannot be written or renamed; the message names <paramref name="path"/>, the inner exception is .NET's.</exception>
    /// <exception cref="UnauthorizedAccessException">Access is denied (message and inner exception as for <see cref="IOException"/>).</exception>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(write);
        string fullPath = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(fullPath) ?? throw new ArgumentException($"'{path}' has no directory.", nameof(path));
        string temp = Path.Combine(directory, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, fullPath, overwrite: true);
            _ = SyncDirectory(directory);
        }
        catch (Exception e) when (FromFileSystem(e))
        {
            // The .NET message names the hidden temporary file only; lead with the file the caller asked for.
            TryDelete(temp);
            string message = $"Cannot write '{path}': {e.Message} (through its temporary file in the same directory)";
            throw e is UnauthorizedAccessException ? new UnauthorizedAccessException(message, e) : new IOException(message, e);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    // IOException / UnauthorizedAccessException raised by the file system (System.IO's own types), not by the writer.
    private static bool FromFileSystem(Exception e) =>
        (e is IOException or UnauthorizedAccessException) && e.GetType().Assembly == typeof(IOException).Assembly;

    /// <summary>
    /// fsync(2) on the directory makes the rename durable. Best effort: a file system that cannot sync a directory
    /// (EINVAL, some network mounts) still has the complete file, so a failure here is not an error.
    /// </summary>
    /// <returns>True when the directory was opened and fsync returned 0 (always false on other systems).</returns>
    internal static bool SyncDirectory(string directory)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            return false;
        }

        int fd = Posix.Open(directory, 0); // O_RDONLY
        if (fd < 0)
        {
            return false;
        }

        bool synced = Posix.Fsync(fd) == 0;
        _ = Posix.Close(fd);
        return synced;
    }

    private static void TryDelete(string temp)
    {
        try
        {
            File.Delete(temp);
        }
        catch (IOException)
        {
            // Best effort: the original exception matters more than a leftover temporary file.
        }
        catch (UnauthorizedAccessException)
        {
            // Same as above.
        }
    }
}

/// <summary>The three libc calls <see cref="AtomicFile"/> needs to fsync a directory.</summary>
internal static partial class Posix
{
    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    internal static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    internal static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    internal static partial int Close(int fd);
}

using Correctomatic.Shared.Contracts;

namespace Correctomatic.Starter;

/// <summary>
/// Reads the student's file (issue #5): from <c>file</c>, which must resolve (symlinks followed) inside SUBMISSIONS_DIR,
/// exist, be a readable regular file and be within MAX_FILE_BYTES; or from <c>file_content</c>, base64 within the same cap.
/// The bytes go into the container on its stdin (or the archive API), never a bind mount: nothing of the host is shared.
/// </summary>
public sealed class SubmissionFiles(string? rootDirectory, long maxBytes)
{
    private readonly string? _root = rootDirectory is null ? null : Canonical(rootDirectory);

    public long MaxBytes => maxBytes;

    /// <summary>The file's bytes, or a message a person can act on.</summary>
    public async Task<(byte[]? Content, string? Error)> ReadAsync(PendingJob job, CancellationToken cancellationToken = default)
    {
        if (job.FileContent is { } base64)
        {
            return Decode(base64);
        }

        if (job.File is not { } path)
        {
            return (null, "the job has neither file nor file_content");
        }

        return await ReadFileAsync(path, cancellationToken);
    }

    private (byte[]?, string?) Decode(string base64)
    {
        // Base64 of n bytes is 4*ceil(n/3) characters: refuse before decoding anything too large.
        if ((base64.Length / 4L * 3) - 2 > maxBytes)
        {
            return (null, $"file_content is larger than the limit of {maxBytes} bytes");
        }

        var buffer = new byte[(base64.Length / 4 * 3) + 3];
        if (!Convert.TryFromBase64String(base64, buffer, out var written))
        {
            return (null, "file_content is not valid base64");
        }

        return written > maxBytes
            ? (null, $"file_content is {written} bytes, over the limit of {maxBytes} bytes")
            : (buffer[..written], null);
    }

    private async Task<(byte[]?, string?)> ReadFileAsync(string path, CancellationToken cancellationToken)
    {
        if (_root is null)
        {
            return (null, "this starter accepts no file paths (SUBMISSIONS_DIR is not set): send the file as file_content");
        }

        if (!Path.IsPathFullyQualified(path))
        {
            return (null, $"file '{path}' is not an absolute path");
        }

        string resolved;
        try
        {
            resolved = Canonical(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return (null, $"file '{path}' cannot be resolved: {ex.Message}");
        }

        if (!resolved.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            return (null, $"file '{path}' is outside the submissions directory");
        }

        var info = new FileInfo(resolved);
        if (!info.Exists)
        {
            return (null, Directory.Exists(resolved) ? $"file '{path}' is a directory, not a regular file" : $"file '{path}' does not exist");
        }

        if (!FileKind.IsRegularFile(resolved))
        {
            return (null, $"file '{path}' is not a regular file");
        }

        if (info.Length > maxBytes)
        {
            return (null, $"file '{path}' is {info.Length} bytes, over the limit of {maxBytes} bytes");
        }

        try
        {
            await using var stream = new FileStream(resolved, FileMode.Open, FileAccess.Read, FileShare.Read, 4096, useAsync: true);
            var buffer = new byte[Math.Min(maxBytes, info.Length) + 1];
            var total = 0;
            int read;
            while (total < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken)) > 0)
            {
                total += read;
            }

            // The file may have grown since it was measured: the cap holds on what was actually read.
            return total > maxBytes ? (null, $"file '{path}' is over the limit of {maxBytes} bytes") : (buffer[..total], null);
        }
        catch (UnauthorizedAccessException)
        {
            return (null, $"file '{path}' is not readable by the starter");
        }
        catch (IOException ex)
        {
            return (null, $"file '{path}' cannot be read: {ex.Message}");
        }
    }

    /// <summary>
    /// The real path: every symlink on the way resolved, and the result free of symlinks, so what is checked against the
    /// root is exactly what is opened. After a link, the rest is resolved again from the top (a link's target may
    /// itself pass through linked directories); 40 hops at most, as the kernel's ELOOP limit.
    /// </summary>
    private static string Canonical(string path)
    {
        for (var hops = 0; hops <= 40; hops++)
        {
            var parts = Path.GetFullPath(path).Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries);
            var current = Path.DirectorySeparatorChar.ToString();
            string? relinked = null;
            for (var i = 0; i < parts.Length && relinked is null; i++)
            {
                var next = Path.Combine(current, parts[i]);
                if (new FileInfo(next).LinkTarget is { } target)
                {
                    var rest = string.Join(Path.DirectorySeparatorChar, parts[(i + 1)..]);
                    var absolute = Path.IsPathRooted(target) ? target : Path.Combine(current, target);
                    relinked = rest.Length > 0 ? Path.Combine(absolute, rest) : absolute;
                }

                current = next;
            }

            if (relinked is null)
            {
                return current;
            }

            path = relinked;
        }

        throw new IOException("too many levels of symbolic links");
    }
}

using System.Formats.Tar;
using System.Runtime.InteropServices;

namespace Correctomatic.Shared.Docker;

/// <summary>The archive <see cref="DockerClient.PutFileAsync"/> uploads: one regular file (System.Formats.Tar, PAX).</summary>
internal static class OneFileTar
{
    /// <summary>Written straight into the stream the library sends and then disposes: one copy of the content.</summary>
    public static MemoryStream Create(string fileName, ReadOnlyMemory<byte> content, int mode, int uid, int gid, DateTimeOffset modified)
    {
        var tar = new MemoryStream(content.Length + 2048);
        using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
        using (var data = MemoryMarshal.TryGetArray(content, out var segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(content.ToArray(), writable: false))
        {
            writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, fileName)
            {
                Mode = (UnixFileMode)(mode & 0xFFF), Uid = uid, Gid = gid, ModificationTime = modified, DataStream = data,
            });
        }

        tar.Position = 0;
        return tar;
    }
}

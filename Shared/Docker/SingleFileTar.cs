using System.Formats.Tar;
using System.Runtime.InteropServices;

namespace Correctomatic.Shared.Docker;

/// <summary>A tar holding one regular file, the body the archive API extracts (Engine API "Extract an archive of files or folders").</summary>
internal static class SingleFileTar
{
    public static byte[] Build(string fileName, ReadOnlyMemory<byte> content, int mode, int uid, int gid, DateTimeOffset modified)
    {
        using var tar = new MemoryStream(content.Length + 2048);
        using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
        {
            using var data = MemoryMarshal.TryGetArray(content, out var segment) && segment.Array is not null
                ? new MemoryStream(segment.Array, segment.Offset, segment.Count, writable: false)
                : new MemoryStream(content.ToArray(), writable: false);
            var entry = new PaxTarEntry(TarEntryType.RegularFile, fileName)
            {
                Mode = (UnixFileMode)(mode & 0xFFF),
                Uid = uid,
                Gid = gid,
                ModificationTime = modified,
                DataStream = data,
            };
            writer.WriteEntry(entry);
        }

        return tar.ToArray();
    }
}

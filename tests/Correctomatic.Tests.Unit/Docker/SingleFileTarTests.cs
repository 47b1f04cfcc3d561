using System.Formats.Tar;
using Correctomatic.Shared.Docker;

namespace Correctomatic.Tests.Unit.Docker;

public sealed class SingleFileTarTests
{
    [Fact]
    public void Build_OneFile_ReadBackWithNameModeOwnerAndContent()
    {
        var content = new byte[70_000];
        new Random(4).NextBytes(content);
        var modified = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

        var tar = SingleFileTar.Build("exercise", content.AsMemory(10, 65_000), 0b110_100_000, 1000, 1001, modified);

        using var reader = new TarReader(new MemoryStream(tar));
        var entry = reader.GetNextEntry()!;
        using var data = new MemoryStream();
        entry.DataStream!.CopyTo(data);
        Assert.Equal(TarEntryType.RegularFile, entry.EntryType);
        Assert.Equal("exercise", entry.Name);
        Assert.Equal((UnixFileMode)0b110_100_000, entry.Mode);
        Assert.Equal(1000, entry.Uid);
        Assert.Equal(1001, entry.Gid);
        Assert.Equal(modified, entry.ModificationTime);
        Assert.Equal(content.AsSpan(10, 65_000).ToArray(), data.ToArray());
        Assert.Null(reader.GetNextEntry());
    }
}

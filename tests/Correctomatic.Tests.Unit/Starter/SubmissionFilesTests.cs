using System.Diagnostics;
using System.Text;
using Correctomatic.Shared.Contracts;
using Correctomatic.Starter;

namespace Correctomatic.Tests.Unit.Starter;

public sealed class SubmissionFilesTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("ct-starter-root-").FullName;
    private readonly string _outside = Directory.CreateTempSubdirectory("ct-starter-out-").FullName;

    private SubmissionFiles CreateSut(long maxBytes = 100) => new(_root, maxBytes);

    private static PendingJob Job(string? file = null, string? content = null) =>
        new() { Image = "i", Callback = "http://x", File = file, FileContent = content };

    [Fact]
    public async Task ReadAsync_FileInsideRoot_Bytes()
    {
        var path = Path.Combine(_root, "a.sh");
        await File.WriteAllTextAsync(path, "echo hi");

        var (content, error) = await CreateSut().ReadAsync(Job(path));

        Assert.Null(error);
        Assert.Equal("echo hi", Encoding.UTF8.GetString(content!));
    }

    [Fact]
    public async Task ReadAsync_SymlinkEscapingRoot_Refused()
    {
        var secret = Path.Combine(_outside, "secret");
        await File.WriteAllTextAsync(secret, "s");
        var link = Path.Combine(_root, "link");
        File.CreateSymbolicLink(link, secret);

        var (content, error) = await CreateSut().ReadAsync(Job(link));

        Assert.Null(content);
        Assert.Contains("outside the submissions directory", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_LinkThroughLinkedDirectoryOutside_Refused()
    {
        await File.WriteAllTextAsync(Path.Combine(_outside, "secret"), "s");
        Directory.CreateSymbolicLink(Path.Combine(_root, "dirlink"), _outside);
        var link = Path.Combine(_root, "innocent");
        File.CreateSymbolicLink(link, Path.Combine(_root, "dirlink", "secret"));

        var (content, error) = await CreateSut().ReadAsync(Job(link));

        Assert.Null(content);
        Assert.Contains("outside the submissions directory", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_RelativeLinkInsideRoot_Read()
    {
        Directory.CreateDirectory(Path.Combine(_root, "a"));
        await File.WriteAllTextAsync(Path.Combine(_root, "a", "f"), "inside");
        File.CreateSymbolicLink(Path.Combine(_root, "rel"), "a/f");

        Assert.Equal("inside", Encoding.UTF8.GetString((await CreateSut().ReadAsync(Job(Path.Combine(_root, "rel")))).Content!));
    }

    [Fact]
    public async Task ReadAsync_LinkLoop_RefusedNotHung()
    {
        File.CreateSymbolicLink(Path.Combine(_root, "loop1"), Path.Combine(_root, "loop2"));
        File.CreateSymbolicLink(Path.Combine(_root, "loop2"), Path.Combine(_root, "loop1"));

        Assert.Contains("too many levels", (await CreateSut().ReadAsync(Job(Path.Combine(_root, "loop1")))).Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_DotDotEscape_Refused() =>
        Assert.Contains("outside", (await CreateSut().ReadAsync(Job(Path.Combine(_root, "..", Path.GetFileName(_outside), "x")))).Error, StringComparison.Ordinal);

    [Fact]
    public async Task ReadAsync_Missing_SaysDoesNotExist() =>
        Assert.Contains("does not exist", (await CreateSut().ReadAsync(Job(Path.Combine(_root, "nope")))).Error, StringComparison.Ordinal);

    [Fact]
    public async Task ReadAsync_Directory_NotRegular() =>
        Assert.Contains("directory", (await CreateSut().ReadAsync(Job(Directory.CreateDirectory(Path.Combine(_root, "d")).FullName))).Error, StringComparison.Ordinal);

    [Fact]
    public async Task ReadAsync_Fifo_RefusedWithoutBlocking()
    {
        var fifo = Path.Combine(_root, "fifo");
        using (var mkfifo = Process.Start("mkfifo", fifo))
        {
            await mkfifo.WaitForExitAsync();
        }

        var (_, error) = await CreateSut().ReadAsync(Job(fifo)).WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Contains("not a regular file", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_FileOverCap_SaysSizeAndLimit()
    {
        var path = Path.Combine(_root, "big");
        await File.WriteAllBytesAsync(path, new byte[101]);

        var (_, error) = await CreateSut().ReadAsync(Job(path));

        Assert.Contains("101 bytes, over the limit of 100 bytes", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_NoRootConfigured_AsksForFileContent() =>
        Assert.Contains("file_content", (await new SubmissionFiles(null, 100).ReadAsync(Job("/etc/passwd"))).Error, StringComparison.Ordinal);

    [Fact]
    public async Task ReadAsync_Base64_Decoded()
    {
        var (content, error) = await CreateSut().ReadAsync(Job(content: Convert.ToBase64String(Encoding.UTF8.GetBytes("echo hello"))));

        Assert.Null(error);
        Assert.Equal("echo hello", Encoding.UTF8.GetString(content!));
    }

    [Fact]
    public async Task ReadAsync_Base64OverCap_Refused() =>
        Assert.Contains("over the limit", (await CreateSut().ReadAsync(Job(content: Convert.ToBase64String(new byte[101])))).Error, StringComparison.Ordinal);

    [Fact]
    public async Task ReadAsync_Base64ExactlyAtCap_Accepted() =>
        Assert.Equal(100, (await CreateSut().ReadAsync(Job(content: Convert.ToBase64String(new byte[100])))).Content!.Length);

    [Fact]
    public async Task ReadAsync_BadBase64_Refused() =>
        Assert.Contains("not valid base64", (await CreateSut().ReadAsync(Job(content: "!!!"))).Error, StringComparison.Ordinal);

    public void Dispose()
    {
        Directory.Delete(_root, recursive: true);
        Directory.Delete(_outside, recursive: true);
    }
}

using Correctomatic.Shared.Contracts;
using Correctomatic.Starter;

namespace Correctomatic.Tests.Unit.Starter;

public sealed class ContainerSpecFactoryTests
{
    private static readonly DateTimeOffset s_deadline = DateTimeOffset.FromUnixTimeMilliseconds(1_800_000_000_000);

    private static ValidatedJob Job(string? workId = "w1") => new()
    {
        JobId = "1700000000123-0",
        WorkId = workId,
        Image = "correctomatic/grader-shell:latest",
        Callback = "http://x/y",
        Env = ["EXPECTED=hi"],
        Limits = new EffectiveLimits(TimeSpan.FromSeconds(30), 64, 0.5, 32),
        File = [1],
        QueuedAt = DateTimeOffset.UnixEpoch,
    };

    [Fact]
    public void Create_Defaults_LockedDown()
    {
        var spec = new ContainerSpecFactory("p:", "host-a", new SandboxSettings()).Create(Job(), new ContainerUser("65534:65534", 65534, 65534, 420), s_deadline);
        var host = spec.HostConfig;

        Assert.Equal(ContainerLabels.ContainerName("p:", "1700000000123-0"), spec.Name);
        Assert.Equal("65534:65534", spec.User);
        Assert.True(spec.NetworkDisabled);
        Assert.Equal("none", host.NetworkMode);
        Assert.Equal(64L << 20, host.MemoryBytes);
        Assert.Equal(host.MemoryBytes, host.MemorySwapBytes);
        Assert.Equal(500_000_000, host.NanoCpus);
        Assert.Equal(32, host.PidsLimit);
        Assert.Equal("runc", host.Runtime);
        Assert.Equal(["ALL"], host.CapDrop);
        Assert.Equal(["no-new-privileges"], host.SecurityOpt);
        Assert.True(host.ReadonlyRootfs);
        var mount = Assert.Single(host.Mounts);
        Assert.Equal(("volume", "/tmp", null), (mount.Type, mount.Target, mount.Source));
        Assert.Equal(new Dictionary<string, string> { [ContainerLabels.Managed] = "p:" }, mount.VolumeLabels); // so a leftover can be pruned
        Assert.Equal(ContainerLogPolicy.MinMaxSizeBytes(1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture), host.LogConfig!.Config["max-size"]);
        Assert.Equal("2", host.LogConfig.Config["max-file"]);
        Assert.Equal(
            [new("fsize", 64L << 20, 64L << 20), new("nofile", 1024, 1024), new("nproc", 512 * 32, 512 * 32), new Correctomatic.Shared.Docker.Ulimit("core", 0, 0)],
            host.Ulimits);
        Assert.Equal(["EXPECTED=hi"], spec.Env);
    }

    [Fact]
    public void Create_Labels_CarryWhatTheCompleterNeeds()
    {
        var labels = new ContainerSpecFactory("p:", "host-a", new SandboxSettings()).Create(Job(), new ContainerUser("", 0, 0, 420), s_deadline).Labels;

        Assert.Equal("p:", labels[ContainerLabels.Managed]);
        Assert.Equal("1700000000123-0", labels[ContainerLabels.JobId]);
        Assert.Equal("w1", labels[ContainerLabels.WorkId]);
        Assert.Equal("host-a", labels[ContainerLabels.DockerHost]);
        Assert.Equal(s_deadline, ContainerLabels.ParseDeadline(labels[ContainerLabels.Deadline]));
    }

    [Fact]
    public void Create_NoWorkId_NoWorkIdLabel() =>
        Assert.False(new ContainerSpecFactory("p:", "h", new SandboxSettings()).Create(Job(workId: null), new ContainerUser("", 0, 0, 420), s_deadline)
            .Labels.ContainsKey(ContainerLabels.WorkId));

    [Fact]
    public void Create_Loosened_FollowsSettings()
    {
        var sandbox = new SandboxSettings { NetworkMode = "bridge", ReadonlyRootfs = false, DropAllCapabilities = false, NoNewPrivileges = false, LogMaxSize = null };

        var spec = new ContainerSpecFactory("p:", "h", sandbox).Create(Job(), new ContainerUser("", 0, 0, 420), s_deadline);

        Assert.False(spec.NetworkDisabled);
        Assert.Equal("bridge", spec.HostConfig.NetworkMode);
        Assert.False(spec.HostConfig.ReadonlyRootfs);
        Assert.Empty(spec.HostConfig.Mounts);
        Assert.Empty(spec.HostConfig.CapDrop);
        Assert.Empty(spec.HostConfig.SecurityOpt);
        Assert.Null(spec.HostConfig.LogConfig);
        Assert.Null(spec.User);
    }

    [Fact]
    public void Create_SpawnerImage_RootWithSetuidAndSetgidOnly()
    {
        var spec = new ContainerSpecFactory("p:", "h", new SandboxSettings()).Create(Job(), ContainerUser.Spawner, s_deadline, ImageSandbox.Spawner);

        Assert.Equal("0:0", spec.User);
        Assert.Equal(["ALL"], spec.HostConfig.CapDrop);
        Assert.Equal(["SETUID", "SETGID"], spec.HostConfig.CapAdd);
        Assert.Equal(["no-new-privileges"], spec.HostConfig.SecurityOpt);
        Assert.True(spec.HostConfig.ReadonlyRootfs);
        Assert.True(spec.NetworkDisabled);
    }

    [Fact]
    public void Create_PlainImage_NoCapabilityAdded()
    {
        var spec = new ContainerSpecFactory("p:", "h", new SandboxSettings()).Create(Job(), new ContainerUser("1000", 1000, 1000, 420), s_deadline);

        Assert.Equal("1000", spec.User);
        Assert.Empty(spec.HostConfig.CapAdd);
        Assert.Equal("runc", spec.HostConfig.Runtime); // CONTAINER_RUNTIME, always sent
    }

    [Fact]
    public void Spawner_GraderOwnsTheExercise()
    {
        Assert.Equal((1000, 1000, 0b110_100_100), (ContainerUser.Spawner.FileUid, ContainerUser.Spawner.FileGid, ContainerUser.Spawner.FileMode));
    }

    [Theory]
    [InlineData(null, ImageSandbox.Plain)]
    [InlineData("", ImageSandbox.Plain)]
    [InlineData("spawner", ImageSandbox.Spawner)]
    public void ImageSandboxLabel_KnownValues_Read(string? value, ImageSandbox expected)
    {
        var labels = value is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["correctomatic.sandbox"] = value };

        var (sandbox, error) = ImageSandboxLabel.Read(labels);

        Assert.Equal(expected, sandbox);
        Assert.Null(error);
    }

    [Fact]
    public void ImageSandboxLabel_UnknownValue_ErrorNamesIt()
    {
        var (_, error) = ImageSandboxLabel.Read(new Dictionary<string, string> { ["correctomatic.sandbox"] = "gvisor-please" });

        Assert.Equal("the image's label correctomatic.sandbox='gvisor-please' is not one this Starter knows (only 'spawner')", error);
    }

    [Fact]
    public void Create_Wrapped_StdinOpenBoundedTmpfsAndNoVolume()
    {
        var spec = new ContainerSpecFactory("p:", "host-a", new SandboxSettings { TmpInodes = 4096 }).Create(
            Job() with { Limits = new EffectiveLimits(TimeSpan.FromSeconds(30), 64, 0.5, 32, TmpMb: 16) },
            new ContainerUser("1000:1001", 1000, 1001, 420), s_deadline, wrapped: (["/bin/sh", "-c", "s", "--"], ["grade"]));

        Assert.True(spec.OpenStdin);
        Assert.Equal(["/bin/sh", "-c", "s", "--"], spec.Entrypoint);
        Assert.Equal(["grade"], spec.Cmd);
        Assert.Empty(spec.HostConfig.Mounts);
        Assert.Equal("rw,exec,nosuid,nodev,size=16777216,nr_inodes=4096,mode=1777,uid=1000,gid=1001", spec.HostConfig.Tmpfs["/tmp"]);
    }

    [Theory]
    [InlineData("0:0")] // a spawner: its PID 1 is root and owns the mount already
    [InlineData("grader")] // a name: its uid is only in the image's /etc/passwd
    [InlineData("")]
    public void TmpfsOptions_RootOrNamedUser_NoOwnerOption(string user) =>
        Assert.DoesNotContain("uid=", new ContainerSpecFactory("p:", "h", new SandboxSettings()).TmpfsOptions(Job().Limits, new ContainerUser(user, 0, 0, 420)),
            StringComparison.Ordinal);
}

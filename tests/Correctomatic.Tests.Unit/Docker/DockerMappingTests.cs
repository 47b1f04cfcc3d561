using System.Text.Json;
using Correctomatic.Shared.Docker;

namespace Correctomatic.Tests.Unit.Docker;

/// <summary>Our records to the library's ContainerCreate model: every field reaches the engine under its API name.</summary>
public sealed class DockerMappingTests
{
    private static readonly JsonSerializerOptions s_asTheLibrarySends = new() { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };

    [Fact]
    public void ToCreateParameters_CapAddAndRuntime_SentWhenSetOnly()
    {
        static JsonElement Host(ContainerSpec spec) =>
            JsonDocument.Parse(JsonSerializer.Serialize(DockerMapping.ToCreateParameters(spec), s_asTheLibrarySends)).RootElement.GetProperty("HostConfig");

        var set = Host(new ContainerSpec { Image = "x", HostConfig = new ContainerHostConfig { CapAdd = ["SETUID", "SETGID"], Runtime = "runsc" } });
        var unset = Host(new ContainerSpec { Image = "x" });

        Assert.Equal(["SETUID", "SETGID"], set.GetProperty("CapAdd").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal("runsc", set.GetProperty("Runtime").GetString());
        Assert.Equal(["ALL"], set.GetProperty("CapDrop").EnumerateArray().Select(c => c.GetString()));
        Assert.False(unset.TryGetProperty("CapAdd", out _));
        Assert.False(unset.TryGetProperty("Runtime", out _));
    }

    [Fact]
    public void ToCreateParameters_FullSandbox_EveryFieldUnderItsEngineName()
    {
        var spec = new ContainerSpec
        {
            Image = "correctomatic/grader-shell:latest",
            Name = "ct-1",
            Labels = new Dictionary<string, string> { ["correctomatic.job_id"] = "1-0" },
            Env = ["A=1"],
            Cmd = ["sh", "-c", "true"],
            User = "grader",
            WorkingDir = "/grader",
            HostConfig = new ContainerHostConfig
            {
                MemoryBytes = 1024,
                MemorySwapBytes = 2048,
                NanoCpus = 500_000_000,
                PidsLimit = 64,
                ReadonlyRootfs = true,
                Tmpfs = new Dictionary<string, string> { ["/run"] = "rw,size=1m" },
                Mounts = [new ContainerMount("volume", "/tmp", VolumeLabels: new Dictionary<string, string> { ["correctomatic.managed"] = "p:" })],
                Ulimits = [new Ulimit("nofile", 64, 128)],
                LogConfig = new LogConfig("json-file", new Dictionary<string, string> { ["max-size"] = "2m" }),
            },
        };

        var parameters = DockerMapping.ToCreateParameters(spec);
        using var json = JsonDocument.Parse(JsonSerializer.Serialize(parameters, s_asTheLibrarySends));
        var root = json.RootElement;
        var host = root.GetProperty("HostConfig");

        Assert.Equal("ct-1", parameters.Name); // a query parameter, not in the body
        Assert.Equal("correctomatic/grader-shell:latest", root.GetProperty("Image").GetString());
        Assert.Equal("1-0", root.GetProperty("Labels").GetProperty("correctomatic.job_id").GetString());
        Assert.Equal(["A=1"], Strings(root.GetProperty("Env")));
        Assert.Equal(["sh", "-c", "true"], Strings(root.GetProperty("Cmd")));
        Assert.Equal("grader", root.GetProperty("User").GetString());
        Assert.Equal("/grader", root.GetProperty("WorkingDir").GetString());
        Assert.True(root.GetProperty("NetworkDisabled").GetBoolean());
        Assert.False(root.GetProperty("Tty").GetBoolean());
        Assert.False(root.GetProperty("OpenStdin").GetBoolean());
        Assert.Equal(1024, host.GetProperty("Memory").GetInt64());
        Assert.Equal(2048, host.GetProperty("MemorySwap").GetInt64());
        Assert.Equal(500_000_000, host.GetProperty("NanoCpus").GetInt64());
        Assert.Equal(64, host.GetProperty("PidsLimit").GetInt64());
        Assert.Equal("none", host.GetProperty("NetworkMode").GetString());
        Assert.True(host.GetProperty("ReadonlyRootfs").GetBoolean());
        Assert.Equal("rw,size=1m", host.GetProperty("Tmpfs").GetProperty("/run").GetString());
        var mount = Assert.Single(host.GetProperty("Mounts").EnumerateArray());
        Assert.Equal(("volume", "/tmp", false), (mount.GetProperty("Type").GetString(), mount.GetProperty("Target").GetString(), mount.GetProperty("ReadOnly").GetBoolean()));
        Assert.False(mount.TryGetProperty("Source", out _));
        Assert.Equal("p:", mount.GetProperty("VolumeOptions").GetProperty("Labels").GetProperty("correctomatic.managed").GetString());
        Assert.Equal(["ALL"], Strings(host.GetProperty("CapDrop")));
        Assert.Equal(["no-new-privileges"], Strings(host.GetProperty("SecurityOpt")));
        var ulimit = Assert.Single(host.GetProperty("Ulimits").EnumerateArray());
        Assert.Equal(("nofile", 64L, 128L), (ulimit.GetProperty("Name").GetString(), ulimit.GetProperty("Soft").GetInt64(), ulimit.GetProperty("Hard").GetInt64()));
        Assert.Equal("json-file", host.GetProperty("LogConfig").GetProperty("Type").GetString());
        Assert.Equal("2m", host.GetProperty("LogConfig").GetProperty("Config").GetProperty("max-size").GetString());
    }

    [Fact]
    public void ToCreateParameters_Minimal_UnsetFieldsKeepTheEngineDefaults()
    {
        using var json = JsonDocument.Parse(JsonSerializer.Serialize(DockerMapping.ToCreateParameters(new ContainerSpec { Image = "x" }), s_asTheLibrarySends));
        var host = json.RootElement.GetProperty("HostConfig");

        Assert.False(json.RootElement.TryGetProperty("Cmd", out _));
        Assert.Equal("", json.RootElement.GetProperty("User").GetString()); // "" is the image's user
        Assert.False(host.TryGetProperty("PidsLimit", out _));
        Assert.False(host.TryGetProperty("LogConfig", out _));
        Assert.False(host.TryGetProperty("MaskedPaths", out _)); // an empty list would unmask /proc paths
        Assert.Equal(0, host.GetProperty("Memory").GetInt64());
        Assert.Equal("none", host.GetProperty("NetworkMode").GetString());
    }

    [Fact]
    public void ToCreateParameters_HostileStrings_EscapedNotInjected()
    {
        var json = JsonSerializer.Serialize(DockerMapping.ToCreateParameters(new ContainerSpec { Image = "x", Env = ["A=\"},\"Privileged\":true,\"x\":\""] }), s_asTheLibrarySends);

        using var doc = JsonDocument.Parse(json);
        Assert.False(doc.RootElement.GetProperty("HostConfig").GetProperty("Privileged").GetBoolean());
        Assert.Equal("A=\"},\"Privileged\":true,\"x\":\"", doc.RootElement.GetProperty("Env")[0].GetString());
    }

    [Fact]
    public void ToCreateParameters_OpenStdin_StdinOpenForOneAttach()
    {
        var parameters = DockerMapping.ToCreateParameters(new ContainerSpec { Image = "x", OpenStdin = true });

        Assert.True(parameters.OpenStdin && parameters.StdinOnce && parameters.AttachStdin);
        Assert.False(parameters.Tty);
    }

    [Fact]
    public void Filters_EmptyListsLeftOutAndDuplicatesOnce_MapOfValues()
    {
        var filters = DockerMapping.Filters(("type", ["container"]), ("label", []), ("event", ["die", "oom", "die"]));

        Assert.Equal(["type", "event"], filters.Keys);
        Assert.Equal(["die", "oom"], filters["event"].Keys);
    }

    [Theory]
    [InlineData("busybox", "busybox", "latest")]
    [InlineData("registry:5000/a/b", "registry:5000/a/b", "latest")]
    [InlineData("registry:5000/a/b:v1", "registry:5000/a/b", "v1")]
    [InlineData("a/b@sha256:abc", "a/b", "sha256:abc")]
    public void SplitReference_LikeTheCli_DefaultsToLatest(string image, string repository, string tag)
    {
        Assert.Equal((repository, tag), DockerMapping.SplitReference(image));
    }

    private static string[] Strings(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetString() ?? "")];

    [Fact]
    public void ToCreateParameters_Entrypoint_SentWhenSetOnly()
    {
        Assert.Equal(["/bin/sh", "-c"], DockerMapping.ToCreateParameters(new ContainerSpec { Image = "x", Entrypoint = ["/bin/sh", "-c"] }).Entrypoint);
        Assert.Null(DockerMapping.ToCreateParameters(new ContainerSpec { Image = "x" }).Entrypoint);
    }

    [Theory]
    [InlineData(0x800001FFu, "1777 dir", false)] // Go os.FileMode ModeDir | 0777; the sticky bit (1<<20) is added below
    [InlineData(0x800001EDu, "755 dir", false)]
    [InlineData(0x080001FFu, "777 link", true)]
    public void ToPathStat_GoFileMode_UnixBitsAndKind(uint mode, string expected, bool symlink)
    {
        if (expected.StartsWith("1777", StringComparison.Ordinal))
        {
            mode |= 1u << 20;
        }

        var stat = DockerMapping.ToPathStat(new global::Docker.DotNet.Models.ContainerPathStatResponse { Mode = mode });

        Assert.Equal(expected, $"{Convert.ToString((int)stat.Mode, 8)} {(stat.IsDirectory ? "dir" : stat.IsSymlink ? "link" : "file")}");
        Assert.Equal(symlink, stat.IsSymlink);
    }
}

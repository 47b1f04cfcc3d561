using System.Text;
using Correctomatic.Shared.Docker;

namespace Correctomatic.Tests.Unit.Docker;

/// <summary>The exact ContainerCreate body we send (STYLE habit 9: writer tests pin the bytes).</summary>
public sealed class ContainerSpecWriterTests
{
    [Fact]
    public void Write_FullSandbox_PinsTheEngineFieldNames()
    {
        var spec = new ContainerSpec
        {
            Image = "correctomatic/grader-shell:latest",
            Name = "ignored-here",
            Labels = new Dictionary<string, string> { ["correctomatic.job_id"] = "1-0" },
            Env = ["A=1"],
            Cmd = ["sh", "-c", "true"],
            User = "grader",
            WorkingDir = "/grader",
            HostConfig = new ContainerHostConfig
            {
                MemoryBytes = 1024,
                MemorySwapBytes = 1024,
                NanoCpus = 500_000_000,
                PidsLimit = 64,
                ReadonlyRootfs = true,
                Tmpfs = new Dictionary<string, string> { ["/run"] = "rw,size=1m" },
                Mounts = [new ContainerMount("volume", "/tmp")],
                Ulimits = [new Ulimit("nofile", 64, 128)],
                LogConfig = new LogConfig("json-file", new Dictionary<string, string> { ["max-size"] = "2m" }),
            },
        };

        var json = Encoding.UTF8.GetString(ContainerSpecWriter.Write(spec));

        // Single quotes stand for double quotes, to keep the expected body readable.
        var expected = ("{'Image':'correctomatic/grader-shell:latest','Labels':{'correctomatic.job_id':'1-0'},'Env':['A=1'],'Cmd':['sh','-c','true'],"
            + "'User':'grader','WorkingDir':'/grader','NetworkDisabled':true,'Tty':false,'OpenStdin':false,'AttachStdin':false,"
            + "'HostConfig':{'Memory':1024,'MemorySwap':1024,'NanoCpus':500000000,'PidsLimit':64,'NetworkMode':'none','ReadonlyRootfs':true,"
            + "'Tmpfs':{'/run':'rw,size=1m'},'Mounts':[{'Type':'volume','Target':'/tmp','ReadOnly':false}],'CapDrop':['ALL'],"
            + "'SecurityOpt':['no-new-privileges'],'Ulimits':[{'Name':'nofile','Soft':64,'Hard':128}],"
            + "'LogConfig':{'Type':'json-file','Config':{'max-size':'2m'}}}}").Replace('\'', '"');
        Assert.Equal(expected, json);
    }

    [Fact]
    public void Write_Minimal_LeavesUnsetLimitsAndImageDefaultsOut()
    {
        var json = Encoding.UTF8.GetString(ContainerSpecWriter.Write(new ContainerSpec { Image = "x" }));

        Assert.DoesNotContain("\"Cmd\"", json, StringComparison.Ordinal);
        Assert.DoesNotContain("\"User\"", json, StringComparison.Ordinal);
        Assert.DoesNotContain("\"Memory\"", json, StringComparison.Ordinal);
        Assert.DoesNotContain("\"LogConfig\"", json, StringComparison.Ordinal);
        Assert.Contains("\"NetworkMode\":\"none\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_CapAddAndRuntime_WrittenWhenSetOnly()
    {
        var set = Encoding.UTF8.GetString(ContainerSpecWriter.Write(new ContainerSpec
        {
            Image = "x",
            HostConfig = new ContainerHostConfig { CapAdd = ["SETUID", "SETGID"], Runtime = "runsc" },
        }));
        var unset = Encoding.UTF8.GetString(ContainerSpecWriter.Write(new ContainerSpec { Image = "x" }));

        Assert.Contains("\"CapDrop\":[\"ALL\"],\"CapAdd\":[\"SETUID\",\"SETGID\"],\"Runtime\":\"runsc\"", set, StringComparison.Ordinal);
        Assert.DoesNotContain("\"CapAdd\"", unset, StringComparison.Ordinal);
        Assert.DoesNotContain("\"Runtime\"", unset, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_HostileStrings_EscapedNotInjected()
    {
        var json = ContainerSpecWriter.Write(new ContainerSpec { Image = "x", Env = ["A=\"},\"Privileged\":true,\"x\":\""] });

        using var doc = System.Text.Json.JsonDocument.Parse(json);
        Assert.False(doc.RootElement.TryGetProperty("Privileged", out _));
        Assert.Equal("A=\"},\"Privileged\":true,\"x\":\"", doc.RootElement.GetProperty("Env")[0].GetString());
    }
}

using Correctomatic.Shared.Configuration;
using Correctomatic.Starter;
using Microsoft.Extensions.Configuration;

namespace Correctomatic.Tests.Unit.Starter;

public sealed class StarterSettingsTests
{
    private static (StarterSettings Settings, IReadOnlyList<string> Errors) Read(params (string Key, string Value)[] values)
    {
        var reader = new SettingsReader(new ConfigurationBuilder()
            .AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build());
        return (StarterSettings.Read(reader), reader.Errors);
    }

    [Fact]
    public void Read_RuntimeRunsc_PidsDefault512AndTmpFromItsSettings()
    {
        var (settings, errors) = Read(("CONTAINER_RUNTIME", "runsc"), ("CONTAINER_TMP_MB", "32"), ("CONTAINER_TMP_INODES", "1000"));

        Assert.Empty(errors);
        Assert.Equal(new EffectiveLimits(TimeSpan.FromSeconds(60), 300, 1, 512, 32), settings.Limits.Default);
        Assert.Equal(32, settings.Limits.Maximum.TmpMb);
        Assert.Equal(1000, settings.Sandbox.TmpInodes);
    }

    [Fact]
    public void Read_Nothing_StrictDefaults()
    {
        var (settings, errors) = Read();

        Assert.Empty(errors);
        Assert.Equal(["correctomatic/*"], settings.AllowedImages);
        Assert.Null(settings.SubmissionsDir);
        Assert.False(settings.PullImages);
        Assert.False(settings.RequireJobToken);
        Assert.Equal(new EffectiveLimits(TimeSpan.FromSeconds(60), 300, 1, 128), settings.Limits.Default);
        Assert.Equal(new SandboxSettings(), settings.Sandbox);
        Assert.Equal("none", settings.Sandbox.NetworkMode);
        Assert.True(settings.Sandbox.ReadonlyRootfs && settings.Sandbox.DropAllCapabilities && settings.Sandbox.NoNewPrivileges && settings.Sandbox.RunAsNonRoot);
    }

    [Fact]
    public void Read_RetryDelay_DefaultOneSecondAndTyped()
    {
        Assert.Equal(TimeSpan.FromSeconds(1), Read().Settings.RetryDelay);
        var (settings, errors) = Read(("STARTER_RETRY_DELAY", "250ms"));

        Assert.Empty(errors);
        Assert.Equal(TimeSpan.FromMilliseconds(250), settings.RetryDelay);
    }

    [Theory]
    [InlineData("0s")]
    [InlineData("1h")]
    [InlineData("soon")]
    public void Read_RetryDelayOutOfRange_ErrorNamesIt(string value) =>
        Assert.Contains(Read(("STARTER_RETRY_DELAY", value)).Errors, e => e.StartsWith("STARTER_RETRY_DELAY=", StringComparison.Ordinal));

    [Fact]
    public void Read_RequireTokenWithoutKey_ErrorNamesSettings() =>
        Assert.Contains(Read(("REQUIRE_JOB_TOKEN", "true")).Errors, e => e.Contains("JOB_TOKEN_KEY_FILE", StringComparison.Ordinal));

    [Fact]
    public void Read_MissingKeyFile_ErrorNamesSetting() =>
        Assert.Contains(Read(("JOB_TOKEN_KEY_FILE", "/nonexistent/key.pem")).Errors, e => e.StartsWith("JOB_TOKEN_KEY_FILE=", StringComparison.Ordinal));

    [Theory]
    [InlineData("0")]
    [InlineData("root")]
    [InlineData("0:0")]
    public void Read_RootFallbackUser_Error(string user) =>
        Assert.Contains(Read(("CONTAINER_USER", user)).Errors, e => e.StartsWith("CONTAINER_USER=", StringComparison.Ordinal));

    [Fact]
    public void Read_Runtime_DefaultRuncAndRunscAccepted()
    {
        Assert.Equal("runc", Read().Settings.Sandbox.Runtime);
        var (settings, errors) = Read(("CONTAINER_RUNTIME", "runsc"));
        Assert.Empty(errors);
        Assert.Equal("runsc", settings.Sandbox.Runtime);
    }

    [Theory]
    [InlineData("-runc")]
    [InlineData("run c")]
    [InlineData("runc\"},\"Privileged\":true")]
    public void Read_MalformedRuntime_ErrorNamesSetting(string runtime) =>
        Assert.Contains(Read(("CONTAINER_RUNTIME", runtime)).Errors, e => e.StartsWith("CONTAINER_RUNTIME=", StringComparison.Ordinal));

    [Fact]
    public void Read_BadImagePattern_ErrorNamesSetting() =>
        Assert.Contains(Read(("ALLOWED_IMAGES", "correctomatic/*,bad$pattern")).Errors, e => e.StartsWith("ALLOWED_IMAGES", StringComparison.Ordinal));

    [Fact]
    public void Read_ReclaimIntervalNotBelowMinIdle_Error() =>
        Assert.Contains("STARTER_RECLAIM_INTERVAL must be shorter than STARTER_RECLAIM_MIN_IDLE",
            Read(("STARTER_RECLAIM_INTERVAL", "5m"), ("STARTER_RECLAIM_MIN_IDLE", "1m")).Errors);

    [Fact]
    public void Read_OnlyRegistryUser_Error() =>
        Assert.Contains(Read(("REGISTRY_USERNAME", "u")).Errors, e => e.StartsWith("REGISTRY_USERNAME and REGISTRY_PASSWORD", StringComparison.Ordinal));

    [Fact]
    public void Read_LogSizeZero_EngineDefault() => Assert.Null(Read(("CONTAINER_LOG_MAX_SIZE", "0")).Settings.Sandbox.LogMaxSize);

    [Fact]
    public void Read_BadLogSize_Error() =>
        Assert.Contains(Read(("CONTAINER_LOG_MAX_SIZE", "ten megs")).Errors, e => e.StartsWith("CONTAINER_LOG_MAX_SIZE", StringComparison.Ordinal));

    [Fact]
    public void Read_LogSizeThatRotatesAwayTheOutputLimit_ErrorNamesBoth()
    {
        var errors = Read(("CONTAINER_LOG_MAX_SIZE", "10m"), ("OUTPUT_LIMIT", "1048576")).Errors;

        Assert.Contains(errors, e => e.StartsWith("CONTAINER_LOG_MAX_SIZE=10m must be at least", StringComparison.Ordinal) && e.Contains("OUTPUT_LIMIT=1048576", StringComparison.Ordinal));
    }

    [Fact]
    public void Read_SmallerOutputLimit_SmallerLogAccepted()
    {
        var (settings, errors) = Read(("OUTPUT_LIMIT", "65536"), ("CONTAINER_LOG_MAX_SIZE", "10m"));

        Assert.Empty(errors);
        Assert.Equal("10m", settings.Sandbox.LogMaxSize);
    }

    [Fact]
    public void Read_Ulimits_TakenAndNprocFollowsThePidsMaximum()
    {
        var (settings, errors) = Read(("CONTAINER_ULIMIT_FSIZE_BYTES", "2097152"), ("CONTAINER_ULIMIT_NOFILE", "256"), ("JOB_PIDS_MAX", "100"), ("JOB_PIDS", "50"),
            ("MAX_RUNNING_CONTAINERS", "8"));

        Assert.Empty(errors);
        Assert.Equal(
            [new("fsize", 2097152, 2097152), new("nofile", 256, 256), new("nproc", 800, 800), new Correctomatic.Shared.Docker.Ulimit("core", 0, 0)],
            settings.Sandbox.Ulimits);
    }

    [Theory]
    [InlineData("CONTAINER_ULIMIT_FSIZE_BYTES", "0")]
    [InlineData("CONTAINER_ULIMIT_FSIZE_BYTES", "1e15")]
    [InlineData("CONTAINER_ULIMIT_NOFILE", "-1")]
    [InlineData("CONTAINER_ULIMIT_NOFILE", "99999999999")]
    [InlineData("REFUSED_PARAMS", "GOOD_*,BAD*NAME")]
    [InlineData("REFUSED_PARAMS", "*")]
    public void Read_BadSandboxSetting_ErrorNamesIt(string name, string value) =>
        Assert.Contains(Read((name, value)).Errors, e => e.StartsWith(name, StringComparison.Ordinal));

    [Fact]
    public void Read_RefusedParams_AddedToTheBuiltIns()
    {
        var (settings, errors) = Read(("REFUSED_PARAMS", "GRADER_SECRET,MY_*"));

        Assert.Empty(errors);
        Assert.NotNull(settings.RefusedParams.WhyRefused("GRADER_SECRET"));
        Assert.NotNull(settings.RefusedParams.WhyRefused("MY_HOOK"));
        Assert.NotNull(settings.RefusedParams.WhyRefused("LD_PRELOAD"));
        Assert.Null(settings.RefusedParams.WhyRefused("EXPECTED"));
    }

    [Fact]
    public void Read_Loosened_Taken()
    {
        var (settings, errors) = Read(("CONTAINER_NETWORK", "bridge"), ("CONTAINER_READONLY_ROOTFS", "false"), ("ALLOWED_IMAGES", "*"),
            ("JOB_MEMORY_MB", "512"), ("PULL_IMAGES", "yes"), ("REGISTRY_USERNAME", "u"), ("REGISTRY_PASSWORD", "p"));

        Assert.Empty(errors);
        Assert.Equal("bridge", settings.Sandbox.NetworkMode);
        Assert.False(settings.Sandbox.ReadonlyRootfs);
        Assert.True(new ImageAllowlist(settings.AllowedImages).AllowsAll);
        Assert.Equal(512, settings.Limits.Default.MemoryMb);
        Assert.Equal("u", settings.RegistryCredentials!.Username);
    }
}

using Correctomatic.Starter;

namespace Correctomatic.Tests.Unit.Starter;

public sealed class JobParamsTests
{
    [Fact]
    public void Parse_ValidParams_BecomeEnvInOrder()
    {
        var (env, error) = JobParams.Parse(["EXPECTED=hello world", "_X1=a=b", "EMPTY="]);

        Assert.Null(error);
        Assert.Equal(["EXPECTED=hello world", "_X1=a=b", "EMPTY="], env);
    }

    [Fact]
    public void Parse_Null_Empty() => Assert.Empty(JobParams.Parse(null).Env);

    [Theory]
    [InlineData("NOEQUALS", "params[0] is not KEY=VALUE")]
    [InlineData("=value", "params[0] is not KEY=VALUE")]
    [InlineData("1ABC=x", "not a valid environment variable name")]
    [InlineData("A-B=x", "not a valid environment variable name")]
    [InlineData("PATH=/evil", "set by the starter")]
    [InlineData("A=x\0y", "NUL")]
    public void Parse_BadParam_ErrorNamesTheProblem(string param, string expected)
    {
        var (_, error) = JobParams.Parse([param]);

        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("LD_PRELOAD")]
    [InlineData("LD_LIBRARY_PATH")]
    [InlineData("LD_AUDIT")]
    [InlineData("ld_preload")]
    [InlineData("NODE_OPTIONS")]
    [InlineData("NODE_PATH")]
    [InlineData("PYTHONPATH")]
    [InlineData("PYTHONSTARTUP")]
    [InlineData("PYTHONHOME")]
    [InlineData("PERL5OPT")]
    [InlineData("PERL5LIB")]
    [InlineData("PERLLIB")]
    [InlineData("RUBYOPT")]
    [InlineData("RUBYLIB")]
    [InlineData("BASH_ENV")]
    [InlineData("ENV")]
    [InlineData("JAVA_TOOL_OPTIONS")]
    [InlineData("_JAVA_OPTIONS")]
    [InlineData("JDK_JAVA_OPTIONS")]
    [InlineData("DOTNET_STARTUP_HOOKS")]
    [InlineData("DOTNET_ADDITIONAL_DEPS")]
    [InlineData("CORECLR_PROFILER")]
    [InlineData("CORECLR_ENABLE_PROFILING")]
    public void Parse_LoaderOrInterpreterHook_RefusedNamingIt(string name)
    {
        var (env, error) = JobParams.Parse(["EXPECTED=hi", name + "=/tmp/exercise"]);

        Assert.Empty(env);
        Assert.Equal($"params[1]: {name} is refused: it can make the grader's loader or interpreter run other code (see REFUSED_PARAMS)", error);
    }

    [Theory]
    [InlineData("PATH")]
    [InlineData("HOME")]
    [InlineData("HOSTNAME")]
    public void Parse_StarterOwnedName_RefusedNamingIt(string name) =>
        Assert.Equal($"params[0]: {name} is set by the starter and cannot be a param", JobParams.Parse([name + "=x"]).Error);

    [Theory]
    [InlineData("ENVIRONMENT")]
    [InlineData("LDX")]
    [InlineData("NODE_OPTIONS_X")]
    [InlineData("MY_PYTHON")]
    public void Parse_NameThatOnlyLooksLikeAHook_Accepted(string name) => Assert.Null(JobParams.Parse([name + "=x"]).Error);

    [Fact]
    public void Parse_ExtraRefusedPattern_Refused() =>
        Assert.Contains("GRADER_KEY is refused", JobParams.Parse(["GRADER_KEY=x"], new RefusedParams(["GRADER_*"])).Error, StringComparison.Ordinal);

    [Fact]
    public void Parse_DuplicateKey_Error() => Assert.Contains("given twice", JobParams.Parse(["A=1", "A=2"]).Error, StringComparison.Ordinal);
}

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

    [Fact]
    public void Parse_DuplicateKey_Error() => Assert.Contains("given twice", JobParams.Parse(["A=1", "A=2"]).Error, StringComparison.Ordinal);
}

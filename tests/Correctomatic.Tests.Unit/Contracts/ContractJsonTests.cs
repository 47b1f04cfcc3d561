using Correctomatic.Shared.Contracts;

namespace Correctomatic.Tests.Unit.Contracts;

public sealed class ContractJsonTests
{
    [Fact]
    public void Name_EveryStatus_IsHowTheWireSpellsIt()
    {
        foreach (var status in Enum.GetValues<JobStatus>())
        {
            Assert.Equal(ContractJson.Serialize(status), $"\"{ContractJson.Name(status)}\"");
        }

        Assert.Equal("out_of_memory", ContractJson.Name(JobStatus.OutOfMemory));
    }
}

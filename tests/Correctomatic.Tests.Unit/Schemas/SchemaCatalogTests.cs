using Correctomatic.Shared.Contracts;
using Correctomatic.Shared.Schemas;

namespace Correctomatic.Tests.Unit.Schemas;

public sealed class SchemaCatalogTests
{
    private static IReadOnlyList<string> Validate(SchemaName name, string json) => SchemaCatalog.Default.Validate(name, json);

    // The first two are the responses the original Correctomatic runner documented (one graded, one failed): graders
    // written for it print them, so they must stay valid under our container response schema.
    [Theory]
    [InlineData("""{"success":true,"work_id":"123456","grade":7.98,"comments":["If priests would eat","pebbles from the riveeeer"]}""")]
    [InlineData("""{"success":false,"work_id":"123456","error":"The dog ate my correction"}""")]
    [InlineData("""{"success":true,"grade":3}""")]
    [InlineData("""{"success":true,"comments":[]}""")]
    [InlineData("""{"success":true,"grade":8,"max_grade":10,"tests":[{"name":"t1","status":"passed","score":1,"max_score":1,"output":"ok","visibility":"visible"}]}""")]
    public void ContainerResponse_ValidExamples_HaveNoErrors(string json) =>
        Assert.Empty(Validate(SchemaName.ContainerResponse, json));

    [Theory]
    [InlineData("""{"grade":3}""", "success")]
    [InlineData("""{"success":true}""", "AnyOf")]
    [InlineData("""{"success":false}""", "error")]
    [InlineData("""{"success":"yes","grade":1}""", "Boolean")]
    [InlineData("""{"success":true,"grade":"ten"}""", "Number")]
    [InlineData("""{"success":true,"comments":[1]}""", "String")]
    [InlineData("""{"success":true,"grade":1,"tests":[{"name":"t","status":"maybe"}]}""", "NotInEnumeration")]
    [InlineData("""[1,2]""", "Object")]
    [InlineData("""{"success":true, oops""", "not valid JSON")]
    public void ContainerResponse_InvalidExamples_NameTheProblem(string json, string expected)
    {
        var errors = Validate(SchemaName.ContainerResponse, json);

        Assert.NotEmpty(errors);
        Assert.Contains(errors, e => e.Contains(expected, StringComparison.OrdinalIgnoreCase));
    }

    [Theory]
    [InlineData("""{"image":"correctomatic/grader-shell","callback":"http://lms.example/cb","file":"/srv/ex.sh"}""")]
    [InlineData("""{"image":"g","callback":"https://lms.example/cb","work_id":"42","file_content":"ZWNobyBoaQ==","params":["EXPECTED=hi","A_B="],"limits":{"timeout_seconds":5,"memory_mb":64,"cpus":0.5,"pids":32}}""")]
    public void Pending_ValidExamples_HaveNoErrors(string json) => Assert.Empty(Validate(SchemaName.Pending, json));

    [Theory]
    [InlineData("""{"callback":"http://x/cb","file":"/a"}""")] // no image
    [InlineData("""{"image":"g","file":"/a"}""")] // no callback
    [InlineData("""{"image":"g","callback":"ftp://x/cb","file":"/a"}""")] // not http(s)
    [InlineData("""{"image":"g","callback":"http://x/cb"}""")] // neither file nor file_content
    [InlineData("""{"image":"g","callback":"http://x/cb","file":"/a","file_content":"YQ=="}""")] // both
    [InlineData("""{"image":"g","callback":"http://x/cb","file":"relative/path"}""")]
    [InlineData("""{"image":"g","callback":"http://x/cb","file":"/a","params":["1BAD=x"]}""")]
    [InlineData("""{"image":"g","callback":"http://x/cb","file":"/a","params":["NOEQUALS"]}""")]
    [InlineData("""{"image":"g","callback":"http://x/cb","file":"/a","limits":{"timeout_seconds":-1}}""")]
    [InlineData("""{"image":"g","callback":"http://x/cb","file":"/a","limits":{"disk_mb":1}}""")]
    public void Pending_InvalidExamples_AreRejected(string json) => Assert.NotEmpty(Validate(SchemaName.Pending, json));

    [Fact]
    public void CorrectomaticResponse_SerializedResult_Validates()
    {
        var result = new CorrectionResult
        {
            Success = true, JobId = "1-0", WorkId = "w", Status = JobStatus.Graded, Grade = 7.98, Comments = ["a"], ExitCode = 0,
            Timings = new JobTimings { QueuedAt = DateTimeOffset.UnixEpoch, StartedAt = DateTimeOffset.UnixEpoch, FinishedAt = DateTimeOffset.UnixEpoch, DurationMs = 0 },
        };

        Assert.Empty(Validate(SchemaName.CorrectomaticResponse, ContractJson.Serialize(result)));
    }

    [Theory]
    [InlineData(JobStatus.GraderFailed)]
    [InlineData(JobStatus.Timeout)]
    [InlineData(JobStatus.OutOfMemory)]
    [InlineData(JobStatus.OutputLimit)]
    [InlineData(JobStatus.InvalidOutput)]
    [InlineData(JobStatus.Rejected)]
    [InlineData(JobStatus.Error)]
    public void CorrectomaticResponse_EveryFailureStatus_ValidatesWithAnError(JobStatus status)
    {
        var json = ContractJson.Serialize(new CorrectionResult { Success = false, JobId = "1-0", Status = status, Error = "why" });

        Assert.Empty(Validate(SchemaName.CorrectomaticResponse, json));
    }

    [Theory]
    [InlineData("""{"success":false,"job_id":"1","status":"graded"}""")] // graded must be success
    [InlineData("""{"success":true,"job_id":"1","status":"timeout"}""")] // failures are not success
    [InlineData("""{"success":false,"job_id":"1","status":"timeout"}""")] // failures carry an error
    [InlineData("""{"success":true,"job_id":"1","status":"done"}""")] // unknown status
    [InlineData("""{"success":true,"status":"graded"}""")] // no job id
    public void CorrectomaticResponse_InconsistentBodies_AreRejected(string json) =>
        Assert.NotEmpty(Validate(SchemaName.CorrectomaticResponse, json));

    [Fact]
    public void Status_SerializesInSnakeCase_AndWorkIdIsAlwaysPresent()
    {
        var json = ContractJson.Serialize(new CorrectionResult { JobId = "1", Status = JobStatus.OutOfMemory, Error = "e" });

        Assert.Contains("\"status\":\"out_of_memory\"", json, StringComparison.Ordinal);
        Assert.Contains("\"work_id\":null", json, StringComparison.Ordinal);
    }

    [Fact]
    public void RunningAndFinished_PayloadsWrittenByContracts_Validate()
    {
        var now = DateTimeOffset.UnixEpoch;
        var running = new RunningJob
        {
            JobId = "1-0", ContainerId = "abc", DockerHost = "h", Image = "g", Callback = "http://x/cb", QueuedAt = now, StartedAt = now, Deadline = now,
        };
        var finished = new FinishedJob { JobId = "1-0", Callback = "http://x/cb", Response = CorrectionResult.Rejected("1-0", null, "nope") };

        Assert.Empty(Validate(SchemaName.Running, ContractJson.Serialize(running)));
        Assert.Empty(Validate(SchemaName.Finished, ContractJson.Serialize(finished)));
        Assert.NotEmpty(Validate(SchemaName.Running, """{"job_id":"1"}"""));
        Assert.NotEmpty(Validate(SchemaName.Finished, """{"job_id":"1","callback":"x"}"""));
    }
}

using System.Text;
using System.Text.Json;
using Correctomatic.Notifier.Delivery;
using Correctomatic.Shared.Schemas;

namespace Correctomatic.Tests.Unit.Notifier;

public sealed class CallbackBodyTests
{
    private static CallbackBody CreateSut() => new(SchemaCatalog.Default);

    private static string Finished(string response, string callback = "https://lms.example/api/corrections", string jobId = "1700000000000-0") =>
        $$"""{"job_id":"{{jobId}}","callback":"{{callback}}","response":{{response}}}""";

    [Fact]
    public void Parse_GradedResponse_IsCanonicalSchemaValidAndKeepsEveryField()
    {
        // The callback body the original Correctomatic runner documented (success, work_id, grade, comments), with our
        // fields added: a receiver written for that body still finds every field it reads.
        const string response = """
            {"success": true, "work_id": "123456", "job_id": "1700000000000-0", "status": "graded", "grade": 7.98,
             "comments": ["If priests would eat", "pebbles from the riveeeer"], "exit_code": 0,
             "timings": {"queued_at": "2026-11-22T12:00:00+00:00", "duration_ms": 1200}}
            """;

        var parse = CreateSut().Parse(Finished(response));

        Assert.Null(parse.Error);
        var body = Encoding.UTF8.GetString(parse.Request!.Body.Span);
        Assert.Equal("""{"comments":["If priests would eat","pebbles from the riveeeer"],"exit_code":0,"grade":7.98,"job_id":"1700000000000-0","status":"graded","success":true,"timings":{"duration_ms":1200,"queued_at":"2026-11-22T12:00:00+00:00"},"work_id":"123456"}""", body);
        Assert.Empty(SchemaCatalog.Default.Validate(SchemaName.CorrectomaticResponse, body));
        Assert.Equal("123456", parse.WorkId);
        Assert.Equal(new Uri("https://lms.example/api/corrections"), parse.Request.Callback);
        using var original = JsonDocument.Parse(response);
        using var sent = JsonDocument.Parse(body);
        Assert.True(JsonElement.DeepEquals(original.RootElement, sent.RootElement));
    }

    [Fact]
    public void Parse_ResponseAgainstTheSchema_FailsNamingTheSchema()
    {
        var parse = CreateSut().Parse(Finished("""{"success":false,"work_id":null,"job_id":"1700000000000-0","status":"graded"}"""));

        Assert.Null(parse.Request);
        Assert.Contains("correctomatic_response.json", parse.Error, StringComparison.Ordinal);
        Assert.Equal("1700000000000-0", parse.JobId);
    }

    [Theory]
    [InlineData("ftp://lms.example/x")]
    [InlineData("not a url")]
    public void Parse_CallbackNotHttp_Fails(string callback)
    {
        var parse = CreateSut().Parse(Finished("""{"success":false,"job_id":"1700000000000-0","status":"error","error":"x"}""", callback));

        Assert.Contains("http(s)", parse.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ResponseForAnotherJob_Fails()
    {
        var parse = CreateSut().Parse(Finished("""{"success":false,"job_id":"other","status":"error","error":"x"}"""));

        Assert.Contains("differs", parse.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("{not json")]
    [InlineData("[]")]
    [InlineData("""{"job_id":"1-0"}""")]
    public void Parse_MalformedData_FailsWithoutThrowing(string? data)
    {
        Assert.NotNull(CreateSut().Parse(data).Error);
    }

    [Theory]
    [InlineData("""{"success":true,"job_id":"1700000000000-0","status":"graded","comments":["\ud800"]}""")]
    [InlineData("""{"success":true,"job_id":"1700000000000-0","status":"graded","work_id":"\udc00x"}""")]
    public void Parse_LoneSurrogate_FailsWithTheReasonInsteadOfThrowing(string response)
    {
        var parse = CreateSut().Parse(Finished(response));

        Assert.Null(parse.Request);
        Assert.Contains("cannot be written canonically", parse.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_LoneSurrogateInTheJobId_FailsInsteadOfThrowing()
    {
        var parse = CreateSut().Parse(Finished("""{"success":true,"job_id":"x","status":"graded"}""", jobId: @"\ud800"));

        Assert.Null(parse.Request);
        Assert.NotNull(parse.Error);
    }

    [Fact]
    public void Parse_NestedThreeThousandDeep_FailsInsteadOfThrowing()
    {
        var deep = new string('[', 3000) + new string(']', 3000);

        var parse = CreateSut().Parse(Finished($$"""{"success":true,"job_id":"1700000000000-0","status":"graded","tests":{{deep}}}"""));

        Assert.Null(parse.Request);
        Assert.StartsWith("data is not JSON", parse.Error, StringComparison.Ordinal);
    }
}

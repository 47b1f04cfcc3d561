using System.CommandLine;
using System.Text.Json;
using Correctomatic.Cli.Operations;
using Correctomatic.Completer;
using Correctomatic.Shared.Configuration;
using Correctomatic.Shared.Contracts;
using Correctomatic.Starter;

namespace Correctomatic.Cli.Commands;

/// <summary>
/// <c>try</c>: runs one grader image on one file locally, as the pipeline would, and prints the response and its status.
/// The sandbox and limits come from the same settings as the services; the image given is allowed for this run.
/// </summary>
public static class TryCommand
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Command Create()
    {
        var image = new Option<string>("--image", "-i") { Description = "Grader image to try.", Required = true };
        var file = new Option<string>("--file", "-f") { Description = "Submission file ('-' reads standard input).", Required = true };
        var parameters = new Option<string[]>("--param", "-p") { Description = "KEY=VALUE given to the grader (repeatable)." };
        var timeout = new Option<double?>("--timeout-seconds") { Description = "Wall-clock limit for this run (default JOB_TIMEOUT)." };
        var memory = new Option<long?>("--memory-mb") { Description = "Memory limit for this run (default JOB_MEMORY_MB)." };
        var json = CliOptions.Json();
        var command = new Command("try", "Run a grader image on one file through the pipeline's container code, without queues; print the response and its status.")
        {
            image, file, parameters, timeout, memory, json,
        };
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(async environment =>
        {
            var reader = environment.Settings;
            var starter = StarterSettings.Read(reader) with { AllowedImages = [parse.GetValue(image)!] };
            var completer = CompleterSettings.Read(reader);
            reader.ThrowIfInvalid();
            var job = SubmitCommand.BuildJobs(new PendingJob
            {
                Image = parse.GetValue(image)!,
                Callback = "",
                Params = parse.GetValue(parameters) is { Length: > 0 } p ? p : null,
                Limits = parse.GetValue(timeout) is null && parse.GetValue(memory) is null
                    ? null
                    : new JobLimits { TimeoutSeconds = parse.GetValue(timeout), MemoryMb = parse.GetValue(memory) },
            }, parse.GetValue(file), path: null, batch: null)[0];

            var result = await new GraderTrial(starter, completer, environment.Docker(), TimeProvider.System).RunAsync(job, cancellationToken);
            var body = ContractJson.Serialize(result);
            if (parse.GetValue(json))
            {
                Console.WriteLine(body);
            }
            else
            {
                Console.WriteLine(JsonSerializer.Serialize(JsonDocument.Parse(body).RootElement, Indented));
                Console.WriteLine($"status: {ContractJson.Name(result.Status)}");
            }

            // 0 when the grader itself answered (graded or grader_failed); 1 for every status the pipeline imposed.
            return result.Status is JobStatus.Graded or JobStatus.GraderFailed ? ExitCodes.Ok : ExitCodes.Failed;
        }));
        return command;
    }
}

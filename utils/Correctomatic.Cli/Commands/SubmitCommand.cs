using System.CommandLine;
using System.Text.Json;
using Correctomatic.Cli.Operations;
using Correctomatic.Shared.Contracts;
using Correctomatic.Shared.Signing;
using Spectre.Console;

namespace Correctomatic.Cli.Commands;

/// <summary>
/// <c>submit</c>: pushes one job, or with <c>--batch DIR</c> one job per file (the nightly re-run of every submission
/// after a deadline, against the grade cases instead of the test cases); <c>--wait</c> shows progress until the results
/// are in <c>finished</c>.
/// </summary>
public static class SubmitCommand
{
    public static Command Create()
    {
        var image = new Option<string>("--image", "-i") { Description = "Grader image.", Required = true };
        var callback = new Option<string>("--callback", "-c") { Description = "URL the result is POSTed to.", Required = true };
        var file = new Option<string?>("--file", "-f") { Description = "Submission to send (its content travels in the job); '-' reads standard input." };
        var path = new Option<string?>("--path") { Description = "Absolute path the starter reads the submission from (shared disk) instead of sending it." };
        var batch = new Option<DirectoryInfo?>("--batch") { Description = "Push one job per regular file in this directory; work_id is the file name." };
        var workId = new Option<string?>("--work-id") { Description = "Caller's id, echoed back in the callback." };
        var parameters = new Option<string[]>("--param", "-p") { Description = "KEY=VALUE given to the grader as an environment variable (repeatable).", AllowMultipleArgumentsPerToken = false };
        var timeout = new Option<double?>("--timeout-seconds") { Description = "Lower the job's wall-clock limit." };
        var memory = new Option<long?>("--memory-mb") { Description = "Lower the job's memory limit." };
        var cpus = new Option<double?>("--cpus") { Description = "Lower the job's CPU limit." };
        var pids = new Option<long?>("--pids") { Description = "Lower the job's process limit." };
        var signKey = new Option<FileInfo?>("--sign-key") { Description = "Sign the job (field token) with this ES256 private key (PEM); password from PRIVATE_KEY_PASSWORD." };
        var signSecretEnv = new Option<string?>("--sign-secret-env") { Description = "Sign the job with the HS256 secret in this environment variable." };
        var tokenLifetime = new Option<double>("--token-minutes") { Description = "Lifetime of the job token.", DefaultValueFactory = _ => 60 };
        var wait = new Option<bool>("--wait") { Description = "Wait until every result is in finished, with a progress bar." };
        var waitTimeout = new Option<double>("--wait-minutes") { Description = "Give up waiting after this long.", DefaultValueFactory = _ => 30 };
        var json = CliOptions.Json();
        var command = new Command("submit", "Push a job (or a directory of jobs) to the pending stream.")
        {
            image, callback, file, path, batch, workId, parameters, timeout, memory, cpus, pids, signKey, signSecretEnv, tokenLifetime, wait, waitTimeout, json,
        };
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(async environment =>
        {
            using var key = LoadSigningKey(parse.GetValue(signKey), parse.GetValue(signSecretEnv));
            var template = new PendingJob
            {
                Image = parse.GetValue(image)!,
                Callback = parse.GetValue(callback)!,
                WorkId = parse.GetValue(workId),
                Params = parse.GetValue(parameters) is { Length: > 0 } p ? p : null,
                Limits = Limits(parse.GetValue(timeout), parse.GetValue(memory), parse.GetValue(cpus), parse.GetValue(pids)),
            };
            var jobs = BuildJobs(template, parse.GetValue(file), parse.GetValue(path), parse.GetValue(batch));
            var submitter = new JobSubmitter(await environment.RedisAsync(cancellationToken), environment.Streams, TimeProvider.System);
            var lifetime = TimeSpan.FromMinutes(parse.GetValue(tokenLifetime));
            foreach (var job in jobs)
            {
                submitter.Encode(new JobRequest(job, key, lifetime)); // validate every job before pushing any
            }

            var ids = new List<string>();
            foreach (var job in jobs)
            {
                var id = await submitter.SubmitAsync(new JobRequest(job, key, lifetime), cancellationToken);
                ids.Add(id);
                if (!parse.GetValue(json))
                {
                    Console.WriteLine(jobs.Count == 1 ? id : $"{id}\t{job.WorkId}");
                }
            }

            if (!parse.GetValue(wait))
            {
                if (parse.GetValue(json))
                {
                    Console.WriteLine(JsonSerializer.Serialize(ids.Select((id, i) => new { job_id = id, work_id = jobs[i].WorkId })));
                }

                return ExitCodes.Ok;
            }

            return await WaitAsync(submitter, ids, jobs, TimeSpan.FromMinutes(parse.GetValue(waitTimeout)), parse.GetValue(json), cancellationToken);
        }));
        return command;
    }

    private static async Task<int> WaitAsync(JobSubmitter submitter, List<string> ids, IReadOnlyList<PendingJob> jobs, TimeSpan timeout, bool json,
        CancellationToken cancellationToken)
    {
        IReadOnlyDictionary<string, CorrectionResult> results = new Dictionary<string, CorrectionResult>();
        var wanted = ids.ToHashSet(StringComparer.Ordinal);
        await AnsiConsole.Progress().AutoClear(false).StartAsync(async context =>
        {
            var task = context.AddTask($"waiting for {ids.Count} result(s)", maxValue: ids.Count);
            results = await submitter.WaitForResultsAsync(wanted, ids[0], timeout, done => task.Value = done, cancellationToken);
        });
        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(ids.Select((id, i) => new
            {
                job_id = id, work_id = jobs[i].WorkId,
                result = results.TryGetValue(id, out var r) ? JsonDocument.Parse(ContractJson.Serialize(r)).RootElement : (JsonElement?)null,
            })));
        }
        else
        {
            foreach (var (id, i) in ids.Select((id, i) => (id, i)))
            {
                Console.WriteLine(results.TryGetValue(id, out var r)
                    ? $"{id}\t{jobs[i].WorkId}\t{ContractJson.Name(r.Status)}\t{r.Grade?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"}\t{r.Error}"
                    : $"{id}\t{jobs[i].WorkId}\tno result yet");
            }
        }

        return results.Count == ids.Count ? ExitCodes.Ok : ExitCodes.Failed;
    }

    /// <summary>One job, or one per file of the batch directory (sorted by name, so a re-run is reproducible).</summary>
    public static IReadOnlyList<PendingJob> BuildJobs(PendingJob template, string? file, string? path, DirectoryInfo? batch)
    {
        var sources = (file is null ? 0 : 1) + (path is null ? 0 : 1) + (batch is null ? 0 : 1);
        if (sources != 1)
        {
            throw new InvalidInputException("give exactly one of --file, --path or --batch");
        }

        if (batch is not null)
        {
            if (!batch.Exists)
            {
                throw new InvalidInputException($"{batch.FullName} is not a directory");
            }

            var files = batch.EnumerateFiles().Where(f => !f.Attributes.HasFlag(FileAttributes.ReparsePoint)).OrderBy(f => f.Name, StringComparer.Ordinal).ToList();
            return files.Count == 0
                ? throw new InvalidInputException($"{batch.FullName} holds no files")
                : files.Select(f => template with { WorkId = (template.WorkId is null ? "" : template.WorkId + "/") + f.Name, FileContent = Convert.ToBase64String(File.ReadAllBytes(f.FullName)) }).ToList();
        }

        if (path is not null)
        {
            return Path.IsPathFullyQualified(path) ? [template with { File = path }] : throw new InvalidInputException("--path must be absolute");
        }

        byte[] content;
        if (file == "-")
        {
            using var stdin = Console.OpenStandardInput();
            using var buffer = new MemoryStream();
            stdin.CopyTo(buffer);
            content = buffer.ToArray();
        }
        else
        {
            content = File.Exists(file) ? File.ReadAllBytes(file!) : throw new InvalidInputException($"no file {file}");
        }

        return [template with { FileContent = Convert.ToBase64String(content) }];
    }

    private static JobLimits? Limits(double? timeout, long? memory, double? cpus, long? pids) =>
        timeout is null && memory is null && cpus is null && pids is null
            ? null
            : new JobLimits { TimeoutSeconds = timeout, MemoryMb = memory, Cpus = cpus, Pids = pids };

    private static SigningKey? LoadSigningKey(FileInfo? pem, string? secretVariable)
    {
        if (pem is not null)
        {
            return SigningKey.FromPemFile(pem.FullName, Environment.GetEnvironmentVariable(GenerateKeysCommand.PasswordVariable));
        }

        return secretVariable is null ? null : ReceiverCommand.LoadKey(null, secretVariable);
    }
}

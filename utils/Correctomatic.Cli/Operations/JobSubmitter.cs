using System.Text;
using Correctomatic.Cli.Commands;
using Correctomatic.Shared.Contracts;
using Correctomatic.Shared.Redis;
using Correctomatic.Shared.Schemas;
using Correctomatic.Shared.Signing;

namespace Correctomatic.Cli.Operations;

/// <summary>
/// Pushes jobs to <c>pending</c> in the wire format (schemas/pending.json), validated before they leave, and signed
/// (field <c>token</c>: a JWT over the exact <c>data</c> bytes, with an expiry) when a key is given.
/// </summary>
public sealed class JobSubmitter(RedisConnections redis, StreamNames streams, TimeProvider clock)
{
    /// <summary>Validates, signs and pushes one job; returns its entry id, which is the job id.</summary>
    public async Task<string> SubmitAsync(JobRequest request, CancellationToken cancellationToken = default)
    {
        var fields = Encode(request);
        return await redis.Database.XAddAsync(streams.Pending, fields, cancellationToken);
    }

    /// <summary>The entry's fields: <c>data</c> (and <c>token</c>). Throws <see cref="InvalidInputException"/> listing what is wrong.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Encode(JobRequest request)
    {
        var data = ContractJson.Serialize(request.Job);
        var errors = SchemaCatalog.Default.Validate(SchemaName.Pending, data);
        if (errors.Count > 0)
        {
            throw new InvalidInputException("the job does not match schemas/pending.json: " + string.Join("; ", errors));
        }

        var fields = new List<KeyValuePair<string, string>> { new(StreamFields.Data, data) };
        if (request.SigningKey is { } key)
        {
            fields.Add(new(StreamFields.Token, BodySigner.Sign(key, Encoding.UTF8.GetBytes(data), clock.GetUtcNow(), request.TokenLifetime)));
        }

        return fields;
    }

    /// <summary>
    /// Waits until every job id has an entry in <c>finished</c> (reading the stream from the millisecond of <paramref name="fromId"/> on),
    /// reporting progress; returns the results found, by job id, when all are in or <paramref name="timeout"/> passes.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, CorrectionResult>> WaitForResultsAsync(IReadOnlySet<string> jobIds, string fromId,
        TimeSpan timeout, Action<int>? progress, CancellationToken cancellationToken = default)
    {
        var found = new Dictionary<string, CorrectionResult>(StringComparer.Ordinal);
        // Entry ids are server time: a finished entry is never older than the millisecond of the first job's pending entry,
        // but may share it with a lower sequence number, so the first read starts at {ms}-0, inclusive.
        var start = fromId.Split('-')[0] + "-0";
        var deadline = clock.GetUtcNow() + timeout;
        while (found.Count < jobIds.Count && clock.GetUtcNow() < deadline)
        {
            var entries = await redis.Database.XRangeAsync(streams.Finished, start, "+", count: 500, cancellationToken);
            foreach (var entry in entries)
            {
                start = "(" + entry.Id;
                // One that cannot be read is not ours to judge here: the notifier dead-letters it.
                if (EntryReader.Default.Read<FinishedJob>(entry.Fields, SchemaName.Finished).Record is { } finished
                    && jobIds.Contains(finished.JobId))
                {
                    found[finished.JobId] = finished.Response;
                }
            }

            progress?.Invoke(found.Count);
            if (entries.Count == 0 && found.Count < jobIds.Count)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(250), clock, cancellationToken);
            }
        }

        return found;
    }
}

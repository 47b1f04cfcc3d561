using System.Runtime.CompilerServices;

namespace Correctomatic.Shared.Docker;

/// <summary>Engine events (Engine API v1.41 "Monitor events"), resumed after a dropped connection.</summary>
public sealed partial class DockerClient
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaxRetry = TimeSpan.FromSeconds(5);

    public async IAsyncEnumerable<DockerEvent> GetEventsAsync(DockerEventFilter filter, long? since = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var resume = new EventResumePoint(since);
        var retry = FirstRetry;
        var filters = Filters(("type", filter.Types), ("label", filter.Labels), ("event", filter.Events));
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var path = $"/events?filters={Escape(filters)}" + (resume.SinceParameter is { } s ? "&since=" + s : "");
            using var response = await TryOpenEventsAsync(path, cancellationToken);
            if (response is not null)
            {
                retry = FirstRetry;
                // Without a since, "now" is the engine's clock (its Date header), so a drop before the first event still resumes from here.
                resume.StartAt((response.Headers.Date ?? _time.GetUtcNow()).ToUnixTimeMilliseconds() * 1_000_000);
                await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
                var lines = new JsonLineReader(stream);
                while (await NextLineAsync(lines, cancellationToken) is { } line)
                {
                    var e = DockerJson.ParseEvent(line.Span);
                    if (resume.Accept(e))
                    {
                        yield return e;
                    }
                }
            }

            // The connection dropped (the engine never ends an events stream without "until"): wait, then resume.
            await Task.Delay(retry, _time, cancellationToken);
            retry = retry * 2 < MaxRetry ? retry * 2 : MaxRetry;
        }
    }

    private async Task<HttpResponseMessage?> TryOpenEventsAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            return await OpenAsync(HttpMethod.Get, path, null, cancellationToken);
        }
        catch (DockerUnreachableException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    /// <summary>The next line, or null when the connection ended or broke (cancellation still throws).</summary>
    private static async Task<ReadOnlyMemory<byte>?> NextLineAsync(JsonLineReader lines, CancellationToken cancellationToken)
    {
        try
        {
            return await lines.ReadLineAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException && !cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }
}

using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Docker.DotNet.Models;

namespace Correctomatic.Shared.Docker;

/// <summary>
/// Engine events. The library's MonitorEventsAsync reports through IProgress and ends when the connection drops; this
/// resumes it from the last timeNano seen (<see cref="EventResumePoint"/>) until cancelled.
/// </summary>
public sealed partial class DockerClient
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaxRetry = TimeSpan.FromSeconds(5);

    public async IAsyncEnumerable<DockerEvent> GetEventsAsync(DockerEventFilter filter, long? since = null, Action? dropped = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var resume = new EventResumePoint(since);
        var filters = DockerMapping.Filters(("type", filter.Types), ("label", filter.Labels), ("event", filter.Events));
        var retry = FirstRetry;
        while (true)
        {
            var parameters = new ContainerEventsParameters { Since = resume.SinceParameter, Filters = filters };
            // Without a since the first subscription starts at the engine's "now"; a drop before the first event resumes
            // from our clock's now (the same clock on a unix socket).
            resume.StartAt(_options.TimeProvider.GetUtcNow().ToUnixTimeMilliseconds() * 1_000_000);
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var events = Channel.CreateUnbounded<Message>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
            var monitor = MonitorAsync(parameters, events.Writer, stop.Token);
            try
            {
                await foreach (var message in events.Reader.ReadAllAsync(cancellationToken))
                {
                    retry = FirstRetry;
                    if (DockerMapping.ToEvent(message) is var e && resume.Accept(e))
                    {
                        yield return e;
                    }
                }
            }
            finally
            {
                // The reader stopped (consumer gone, cancelled, or the stream ended): the monitor must not outlive it.
                await stop.CancelAsync();
                await monitor;
            }

            // Without "until" the engine never ends an events stream, so the connection dropped: wait, then resume. The
            // engine replays only its last 256 events (moby daemon/events: eventsLimit), so a long outage can lose some;
            // consumers that must miss none list the labelled containers after a reconnect.
            dropped?.Invoke();
            DockerLog.EventsReconnecting(_options.Logger, Endpoint, resume.SinceParameter, (long)retry.TotalMilliseconds);
            await Task.Delay(retry, _options.TimeProvider, cancellationToken);
            retry = retry * 2 < MaxRetry ? retry * 2 : MaxRetry;
        }
    }

    /// <summary>One subscription, its events written in order on the reading thread (Progress&lt;T&gt; would post them to the pool, unordered).</summary>
    private async Task MonitorAsync(ContainerEventsParameters parameters, ChannelWriter<Message> events, CancellationToken cancellationToken)
    {
        try
        {
            await CallAsync((e, ct) => e.System.MonitorEventsAsync(parameters, new SyncProgress<Message>(m => events.TryWrite(m)), ct), cancellationToken);
        }
        catch (Exception ex) when (ex is DockerUnreachableException or DockerApiException or OperationCanceledException)
        {
            // Unreachable or dropped: the loop reconnects; cancelled: the loop is ending.
            DockerLog.EventsEnded(_options.Logger, Endpoint, ex.Message);
        }
        finally
        {
            events.TryComplete();
        }
    }
}

using Correctomatic.Cli.Operations;

namespace Correctomatic.Cli.Top;

/// <summary>
/// Rates between two samples, the oldest of <c>top</c>'s rate window and the newest (no counters of our own: Redis
/// keeps them). A stream's rate in is the change of its entries-added (XINFO STREAM), which trimming does not lower; a
/// group's rate out is the change of the entries it has finished with, entries-read minus pending (XINFO GROUPS). Null
/// where a sample lacks the counter or no time passed.
/// </summary>
public static class TopRates
{
    /// <summary>Entries added to <paramref name="stream"/> per second between the samples.</summary>
    public static double? Added(TopSample? previous, TopSample current, string stream) =>
        PerSecond(previous, current, s => Find(s, stream)?.EntriesAdded);

    /// <summary>Entries <paramref name="group"/> of <paramref name="stream"/> finished with (handed off, acknowledged or dead-lettered) per second.</summary>
    public static double? Done(TopSample? previous, TopSample current, string stream, string group) =>
        PerSecond(previous, current, s => Find(s, stream)?.Groups.FirstOrDefault(g => g.Name == group) is { EntriesRead: { } read } g ? read - g.Pending : null);

    private static double? PerSecond(TopSample? previous, TopSample current, Func<TopSample, long?> counter)
    {
        if (previous is null || counter(previous) is not { } before || counter(current) is not { } after)
        {
            return null;
        }

        var seconds = (current.At - previous.At).TotalSeconds;
        // A counter that went down was reset (reset-queues, a new group): no rate for this interval.
        return seconds <= 0 || after < before ? null : (after - before) / seconds;
    }

    private static QueueReport? Find(TopSample sample, string stream) => sample.Queues.FirstOrDefault(q => q.Stream == stream && q.Exists);
}

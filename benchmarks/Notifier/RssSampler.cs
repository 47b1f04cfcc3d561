using System.Globalization;

namespace Correctomatic.Benchmarks.Notifier;

/// <summary>Samples a process's resident set (VmRSS in /proc/&lt;pid&gt;/status), keeping the peak, and reads its CPU time.</summary>
internal sealed class RssSampler(int pid)
{
    public double PeakMb { get; private set; }
    public double LastMb { get; private set; }

    /// <summary>User + system CPU time the process has used so far (utime + stime in /proc/&lt;pid&gt;/stat, 100 ticks/s).</summary>
    public TimeSpan CpuTime()
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' '); // after "pid (comm) ": field 3 is fields[0]
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / 100.0);
    }

    public void Sample()
    {
        if (ReadStatusMb("VmRSS:") is { } mb)
        {
            LastMb = mb;
            PeakMb = Math.Max(PeakMb, LastMb);
        }
    }

    /// <summary>The kernel's own peak resident set (VmHWM), which no sampling interval can miss; null once the process has exited.</summary>
    public double? HighWaterMarkMb() => ReadStatusMb("VmHWM:");

    private double? ReadStatusMb(string field)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith(field, StringComparison.Ordinal))
                {
                    return long.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024.0;
                }
            }
        }
        catch (IOException)
        {
            // the process has exited
        }

        return null;
    }
}

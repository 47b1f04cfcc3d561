using System.Globalization;

namespace Correctomatic.Benchmarks.Notifier;

/// <summary>Samples a process's resident set (VmRSS in /proc/&lt;pid&gt;/status) and keeps the peak.</summary>
internal sealed class RssSampler(int pid)
{
    public double PeakMb { get; private set; }
    public double LastMb { get; private set; }

    public void Sample()
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    var kb = long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
                    LastMb = kb / 1024.0;
                    PeakMb = Math.Max(PeakMb, LastMb);
                    return;
                }
            }
        }
        catch (IOException)
        {
            // the process has exited
        }
    }
}

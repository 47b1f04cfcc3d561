namespace Correctomatic.Benchmarks.Pipeline;

/// <summary>One service's memory and CPU over the run.</summary>
internal sealed record ServiceFigures(string Name, double IdleMb, double PeakMb, double HighWaterMb, double IdleAfterMb, double CpuMsPerJob);

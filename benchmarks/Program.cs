if (args is ["redis", ..]) return await Correctomatic.Benchmarks.Redis.RedisBenchmark.RunAsync(args[1..]);
Console.Error.WriteLine("usage: dotnet run --project benchmarks -c Release -- <redis|docker|notifier> (benchmarks land with issues #3, #4, #7)");
return 2;

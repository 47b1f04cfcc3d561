return args.FirstOrDefault() switch
{
    "redis" => await Correctomatic.Benchmarks.Redis.RedisBenchmark.RunAsync(args[1..]),
    "docker" => await Correctomatic.Benchmarks.Docker.DockerBenchmark.RunAsync(args[1..]),
    "notifier" => await Correctomatic.Benchmarks.Notifier.NotifierBenchmark.RunAsync(args[1..]),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: dotnet run --project benchmarks -c Release -- <redis|docker|notifier> [options]   (or utils/bench-redis.sh, bench-docker.sh, bench-notifier.sh)");
    return 2;
}

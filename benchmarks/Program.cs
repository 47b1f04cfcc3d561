return args.FirstOrDefault() switch
{
    "redis" => await Correctomatic.Benchmarks.Redis.RedisBenchmark.RunAsync(args[1..]),
    "docker" => await Correctomatic.Benchmarks.Docker.DockerBenchmark.RunAsync(args[1..]),
    "notifier" => await Correctomatic.Benchmarks.Notifier.NotifierBenchmark.RunAsync(args[1..]),
    "pipeline" => await Correctomatic.Benchmarks.Pipeline.PipelineBenchmark.RunAsync(args[1..]),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: dotnet run --project benchmarks -c Release -- <redis|docker|notifier|pipeline> [options]   (or utils/bench-redis.sh, bench-docker.sh, bench-notifier.sh, bench-pipeline.sh)");
    return 2;
}

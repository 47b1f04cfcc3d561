using Correctomatic.Shared.Configuration;
using Correctomatic.Shared.Hosting;

var builder = ServiceDefaults.CreateBuilder(args);
var common = builder.ReadSettings(CommonSettings.Read);
Console.Error.WriteLine("correctomatic-starter: not implemented yet (see the open issue); settings OK: REDIS_URL, DOCKER_HOST, QUEUE_PREFIX=" + common.QueuePrefix);
return 1;

using Correctomatic.Shared.Hosting;
using Correctomatic.Starter;

var builder = ServiceDefaults.CreateBuilder(args);
builder.AddStarter();
builder.Build().Run();

using Correctomatic.Notifier;
using Correctomatic.Shared.Hosting;

var builder = ServiceDefaults.CreateBuilder(args);
builder.AddNotifier();
builder.Build().Run();

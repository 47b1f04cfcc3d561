using Correctomatic.Completer;
using Correctomatic.Shared.Hosting;

var builder = ServiceDefaults.CreateBuilder(args);
builder.AddCompleter();
builder.Build().Run();

using Correctomatic.Completer;
using Correctomatic.Shared.Hosting;

var builder = ServiceDefaults.CreateBuilder(args);
builder.AddCompleter();
builder.AddOperations(ServiceIdentity.Completer); // health and metrics (issue #16)
return builder.Run(ServiceIdentity.Completer); // 2 with every bad setting named, when settings are invalid

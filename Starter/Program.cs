using Correctomatic.Shared.Hosting;
using Correctomatic.Starter;

var builder = ServiceDefaults.CreateBuilder(args);
builder.AddStarter();
builder.AddOperations(ServiceIdentity.Starter); // health and metrics (issue #16)
return builder.Run(ServiceIdentity.Starter); // 2 with every bad setting named, when settings are invalid

using Correctomatic.Notifier;
using Correctomatic.Shared.Hosting;

var builder = ServiceDefaults.CreateBuilder(args);
builder.AddNotifier();
builder.AddOperations(ServiceIdentity.Notifier); // health and metrics (issue #16)
return builder.Run(ServiceIdentity.Notifier); // 2 with every bad setting named, when settings are invalid

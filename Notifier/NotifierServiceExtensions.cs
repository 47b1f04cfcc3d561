using Correctomatic.Notifier.Addressing;
using Correctomatic.Notifier.Delivery;
using Correctomatic.Notifier.Worker;
using Correctomatic.Shared.Configuration;
using Correctomatic.Shared.Contracts;
using Correctomatic.Shared.Hosting;
using Correctomatic.Shared.Redis;
using Correctomatic.Shared.Schemas;
using Correctomatic.Shared.Signing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Correctomatic.Notifier;

/// <summary>The notifier's wiring (STYLE habit 1): settings validated at start, then one worker on the <c>finished</c> stream.</summary>
public static class NotifierServiceExtensions
{
    public static HostApplicationBuilder AddNotifier(this HostApplicationBuilder builder)
    {
        var settings = builder.ReadSettings(NotifierSettings.Read);
        var redisOptions = builder.ReadSettings(r => RedisSettings.Read(r, clientName: "notifier"));
        var streams = settings.Common.Streams;
        var queueOptions = builder.ReadSettings(r => RedisSettings.ReadQueue(r, streams.Finished, ConsumerGroups.Notifier, streams.Dead))
            with { Consumer = settings.ConsumerName };

        // Refuse to start without a usable signing key: an unsigned callback cannot be told from a forged one (issue #7).
        // A key that cannot be loaded is one more bad setting, reported with the others when the host starts.
        var key = builder.ReadSettings(r =>
        {
            try
            {
                return CallbackSigner.LoadKey(settings);
            }
            catch (InvalidOperationException ex)
            {
                r.AddError(ex.Message);
                return null;
            }
        });

        var services = builder.Services;
        services.AddSingleton(settings);
        services.AddSingleton(_ => key ?? throw new InvalidOperationException("no usable signing key (see the settings errors)"));
        services.AddAdapters(redisOptions, [streams.Finished, streams.Dead]);
        services.AddSingleton<IStreamQueue>(sp => new StreamQueue(sp.GetRequiredService<RedisConnections>(), queueOptions,
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<StreamQueue>>()));
        services.AddSingleton<IAttemptHistory>(sp => new RedisAttemptHistory(sp.GetRequiredService<RedisConnections>().Database, settings.Common.QueuePrefix));
        services.AddSingleton(new CallbackBody(SchemaCatalog.Default));
        services.AddSingleton(_ => CallbackHttpClientFactory.Create(new CallbackAddressPolicy(settings.AllowedNetworks), settings.Concurrency));
        services.AddSingleton(sp => new CallbackSigner(sp.GetRequiredService<SigningKey>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new CallbackSender(sp.GetRequiredService<HttpClient>(), sp.GetRequiredService<CallbackSigner>(),
            sp.GetRequiredService<TimeProvider>(), settings.AttemptTimeout));
        services.AddSingleton(_ => new HostLimiter(settings.MaxInFlightPerHost, settings.PerHostRate));
        services.AddSingleton(sp => new Deliverer(sp.GetRequiredService<CallbackSender>(), sp.GetRequiredService<HostLimiter>(), settings.Concurrency));
        services.AddSingleton(_ => new RetrySchedule(settings.BackoffBase, settings.BackoffMax, settings.MaxAttempts, settings.MaxAge, Random.Shared.NextDouble));
        services.AddHostedService<NotifierWorker>();
        services.Configure<HostOptions>(o =>
        {
            // The host waits for the worker's own staged shutdown (grace for in-flight requests) plus a margin.
            o.ShutdownTimeout = settings.ShutdownGrace + TimeSpan.FromSeconds(10);
        });
        return builder;
    }
}

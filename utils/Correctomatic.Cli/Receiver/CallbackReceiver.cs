using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Correctomatic.Shared.Contracts;
using Correctomatic.Shared.Signing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Correctomatic.Cli.Receiver;

/// <summary>
/// A callback receiver for integrators (issue #8): accepts POSTs on any path, verifies the signature header with the
/// public key alone (BodySigner: the JWT's sha256 claim must match the exact body bytes, its job_id the body's),
/// answers 401 with the reason when it does not, 200 when it does. Retried deliveries (same idempotency key) are
/// acknowledged again and marked duplicate.
/// </summary>
public sealed class CallbackReceiver : IAsyncDisposable
{
    private const int MaxBodyBytes = 4 * 1024 * 1024;
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, bool> _seen = new(StringComparer.Ordinal);

    private CallbackReceiver(WebApplication app) => _app = app;

    /// <summary>
    /// Cancelled when the host is asked to stop: the host's console lifetime takes SIGTERM and Ctrl+C for itself, so
    /// whoever waits on the receiver must watch this too.
    /// </summary>
    public CancellationToken Stopping => _app.Lifetime.ApplicationStopping;

    /// <summary>The address actually bound (useful with port 0).</summary>
    public Uri Address { get; private set; } = null!;

    public static async Task<CallbackReceiver> StartAsync(string listenUrl, SigningKey key, TimeProvider clock,
        Func<ReceivedCallback, Task> onVerified, Func<string, Task> onRefused, CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(listenUrl);
        builder.WebHost.ConfigureKestrel(o => o.Limits.MaxRequestBodySize = MaxBodyBytes);
        var app = builder.Build();
        var receiver = new CallbackReceiver(app);
        // Cast to Delegate: a route handler whose IResult is written to the response (ASP0016), not a RequestDelegate.
        app.MapPost("/{**path}", (Delegate)((HttpContext context) => receiver.HandleAsync(context, key, clock, onVerified, onRefused)));
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver.Address = new Uri(address);
        return receiver;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task<IResult> HandleAsync(HttpContext context, SigningKey key, TimeProvider clock,
        Func<ReceivedCallback, Task> onVerified, Func<string, Task> onRefused)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        var body = buffer.ToArray();
        var token = context.Request.Headers[CallbackHeaders.Signature].ToString();
        var check = await BodySigner.VerifyAsync(key, token, body, clock.GetUtcNow(), requireExpiry: false);
        var jobId = ReadJobId(body);
        var error = check.IsValid ? null : check.Error;
        if (error is null && (jobId is null || !check.Claims!.TryGetValue(CallbackHeaders.JobIdClaim, out var claimed) || claimed?.ToString() != jobId))
        {
            error = "the token's job_id does not match the body's";
        }

        if (error is not null)
        {
            await onRefused($"refused callback on {context.Request.Path}: {error}");
            return Results.Text(error, statusCode: StatusCodes.Status401Unauthorized);
        }

        var idempotencyKey = context.Request.Headers[CallbackHeaders.IdempotencyKey].ToString();
        var duplicate = !_seen.TryAdd(string.IsNullOrEmpty(idempotencyKey) ? jobId! : idempotencyKey, true);
        await onVerified(new ReceivedCallback(jobId!, idempotencyKey, Encoding.UTF8.GetString(body), duplicate, clock.GetUtcNow()));
        return Results.Ok();
    }

    private static string? ReadJobId(byte[] body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("job_id", out var id)
                   && id.ValueKind == JsonValueKind.String ? id.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Correctomatic.Notifier.Addressing;
using Correctomatic.Shared.Contracts;

namespace Correctomatic.Notifier.Delivery;

/// <summary>
/// Makes one delivery attempt and says what it came to (issue #7). Never throws for an expected failure: network
/// errors, timeouts and HTTP statuses all become an <see cref="AttemptOutcome"/> (STYLE habit 7). Only the caller's
/// cancellation (shutdown) is thrown.
/// </summary>
public sealed class CallbackSender(HttpClient http, CallbackSigner signer, TimeProvider timeProvider, TimeSpan attemptTimeout)
{
    private static readonly MediaTypeHeaderValue s_json = new("application/json");

    public string Algorithm => signer.Algorithm;

    public async Task<AttemptOutcome> SendAsync(CallbackRequest request, int attempt, CancellationToken cancellationToken)
    {
        var started = timeProvider.GetUtcNow();
        var clock = Stopwatch.StartNew();
        using var timeout = new CancellationTokenSource(attemptTimeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        using var message = new HttpRequestMessage(HttpMethod.Post, request.Callback)
        {
            Content = new ReadOnlyMemoryContent(request.Body),
        };
        message.Content.Headers.ContentType = s_json;
        message.Headers.TryAddWithoutValidation(CallbackHeaders.IdempotencyKey, request.JobId);
        message.Headers.TryAddWithoutValidation(CallbackHeaders.Signature, signer.Sign(request));
        message.Headers.TryAddWithoutValidation(CallbackHeaders.Attempt, attempt.ToString(CultureInfo.InvariantCulture));

        AttemptOutcome Outcome(AttemptKind kind, int? status, string detail, TimeSpan? retryAfter = null) => new()
        {
            Attempt = attempt, At = started, Kind = kind, StatusCode = status, Detail = detail,
            ElapsedMs = clock.ElapsedMilliseconds, RetryAfterMs = retryAfter is { } r ? (long)r.TotalMilliseconds : null,
        };

        try
        {
            // ResponseHeadersRead + dispose: the receiver's body is not needed, and is never buffered.
            using var response = await http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
            var code = (int)response.StatusCode;
            var kind = RetryClassifier.Classify(response.StatusCode);
            var detail = kind switch
            {
                AttemptKind.Delivered => "delivered",
                AttemptKind.Retry => $"HTTP {code} {response.ReasonPhrase}, will retry",
                _ when code is >= 300 and < 400 => $"HTTP {code} redirect to '{response.Headers.Location}' (redirects are not followed)",
                _ => $"HTTP {code} {response.ReasonPhrase}, final",
            };
            return Outcome(kind, code, detail, kind == AttemptKind.Retry ? RetryAfter(response) : null);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return Outcome(AttemptKind.Retry, null, $"no answer within {attemptTimeout.TotalMilliseconds:0} ms");
        }
        catch (HttpRequestException ex) when (Find<CallbackAddressRefusedException>(ex) is { } refused)
        {
            return Outcome(AttemptKind.Final, null, refused.Message);
        }
        catch (HttpRequestException ex)
        {
            var socket = Find<SocketException>(ex);
            return Outcome(AttemptKind.Retry, null, $"network error: {socket?.SocketErrorCode.ToString() ?? ex.HttpRequestError.ToString()}: {ex.Message}");
        }
    }

    private TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta;
        }

        if (header?.Date is { } date)
        {
            var wait = date - timeProvider.GetUtcNow();
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }

        return null;
    }

    private static T? Find<T>(Exception? ex)
        where T : Exception
    {
        for (; ex is not null; ex = ex.InnerException)
        {
            if (ex is T match)
            {
                return match;
            }
        }

        return null;
    }
}

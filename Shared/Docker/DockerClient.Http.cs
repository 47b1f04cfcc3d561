using System.Net;
using System.Text;

namespace Correctomatic.Shared.Docker;

/// <summary>The request plumbing: versioned paths, timeouts, and every transport failure turned into our exceptions.</summary>
public sealed partial class DockerClient
{
    /// <summary>Error bodies are short JSON; a hostile or broken peer must not make us buffer more than this.</summary>
    private const int MaxErrorBody = 64 * 1024;

    /// <summary>A prompt request (bounded by RequestTimeout): the whole body as a string; <paramref name="accept"/> lists extra non-error statuses.</summary>
    private async Task<string> SendAsync(HttpMethod method, string path, HttpContent? content, CancellationToken cancellationToken,
        bool versioned = true, params HttpStatusCode[] accept)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(_options.RequestTimeout);
        try
        {
            var fullPath = versioned ? await PrefixAsync().WaitAsync(cts.Token) + path : path;
            using var response = await SendRawAsync(method, fullPath, content, null, cts.Token);
            if (Array.IndexOf(accept, response.StatusCode) >= 0)
            {
                return "";
            }

            await EnsureSuccessAsync(response, cts.Token);
            return await response.Content.ReadAsStringAsync(cts.Token);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new DockerUnreachableException($"the Docker engine at {Endpoint} did not answer {method} {path} within {_options.RequestTimeout}", ex);
        }
        catch (Exception ex) when (ex is IOException)
        {
            throw DockerErrors.Unreachable(Endpoint, ex);
        }
    }

    /// <summary>A long or streaming request (wait, events, pull, logs): headers read, body left to the caller; only the caller's token bounds it.</summary>
    private async Task<HttpResponseMessage> OpenAsync(HttpMethod method, string path, HttpContent? content, CancellationToken cancellationToken,
        IReadOnlyDictionary<string, string>? headers = null)
    {
        string prefix;
        using (var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            cts.CancelAfter(_options.RequestTimeout);
            try
            {
                prefix = await PrefixAsync().WaitAsync(cts.Token);
            }
            catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
            {
                throw new DockerUnreachableException($"the Docker engine at {Endpoint} did not answer version negotiation within {_options.RequestTimeout}", ex);
            }
        }

        var response = await SendRawAsync(method, prefix + path, content, headers, cancellationToken);
        try
        {
            await EnsureSuccessAsync(response, cancellationToken);
            return response;
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    private async Task<HttpResponseMessage> SendRawAsync(HttpMethod method, string path, HttpContent? content,
        IReadOnlyDictionary<string, string>? headers, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative)) { Content = content };
        if (headers is not null)
        {
            foreach (var (name, value) in headers)
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }
        }

        try
        {
            return await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            // Socket missing, connection refused or reset, or the engine closed before answering.
            throw DockerErrors.Unreachable(Endpoint, ex);
        }
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode || response.StatusCode == HttpStatusCode.NotModified)
        {
            return;
        }

        throw DockerErrors.FromResponse(response.StatusCode, await ReadBoundedAsync(response, MaxErrorBody, cancellationToken));
    }

    private static async Task<string> ReadBoundedAsync(HttpResponseMessage response, int max, CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[max];
        var total = 0;
        int read;
        while (total < max && (read = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken)) > 0)
        {
            total += read;
        }

        return Encoding.UTF8.GetString(buffer, 0, total);
    }

    private static string Escape(string value) => Uri.EscapeDataString(value);
}

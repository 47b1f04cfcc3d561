using System.Net;
using System.Text;
using System.Text.Json;

namespace Correctomatic.Shared.Docker;

/// <summary>Image operations (Engine API v1.41 "Image" section).</summary>
public sealed partial class DockerClient
{
    public async Task<ImageInfo?> InspectImageAsync(string image, CancellationToken cancellationToken = default)
    {
        try
        {
            return DockerJson.ParseImage(await SendAsync(HttpMethod.Get, $"/images/{Escape(image)}/json", null, cancellationToken));
        }
        catch (DockerApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task PullImageAsync(string image, RegistryCredentials? credentials = null, IProgress<string>? progress = null,
        CancellationToken cancellationToken = default)
    {
        var (repository, tag) = SplitReference(image);
        var headers = credentials is null ? null : new Dictionary<string, string> { ["X-Registry-Auth"] = RegistryAuth(credentials) };
        using var response = await OpenAsync(HttpMethod.Post, $"/images/create?fromImage={Escape(repository)}&tag={Escape(tag)}", null,
            cancellationToken, headers);
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var lines = new JsonLineReader(stream);
        try
        {
            // The answer is 200 even when the pull fails; failure is a progress line with "error" (Engine API "Create an image").
            while (await lines.ReadLineAsync(cancellationToken) is { } line)
            {
                using var doc = JsonDocument.Parse(line);
                var r = doc.RootElement;
                if (DockerJson.Str(r, "error") is { Length: > 0 } error)
                {
                    throw DockerErrors.FromStream(error);
                }

                progress?.Report(string.Join(' ', new[] { DockerJson.Str(r, "id"), DockerJson.Str(r, "status"), DockerJson.Str(r, "progress") }
                    .Where(p => p.Length > 0)));
            }
        }
        catch (IOException ex)
        {
            throw DockerErrors.Unreachable(Endpoint, ex);
        }
    }

    /// <summary>Repository and tag (or digest) as the CLI splits them; no tag means latest (else the API pulls every tag).</summary>
    internal static (string Repository, string Tag) SplitReference(string image)
    {
        var at = image.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            return (image[..at], image[(at + 1)..]);
        }

        var colon = image.LastIndexOf(':');
        return colon > image.LastIndexOf('/') ? (image[..colon], image[(colon + 1)..]) : (image, "latest");
    }

    /// <summary>X-Registry-Auth: base64url of the JSON AuthConfig (Engine API "Authentication"). Never logged.</summary>
    internal static string RegistryAuth(RegistryCredentials credentials)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string>
        {
            ["username"] = credentials.Username,
            ["password"] = credentials.Password,
            ["serveraddress"] = credentials.ServerAddress ?? "",
        });
        return Convert.ToBase64String(json).Replace('+', '-').Replace('/', '_');
    }
}

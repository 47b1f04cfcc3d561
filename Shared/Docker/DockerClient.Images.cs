using System.Net;
using Docker.DotNet.Models;

namespace Correctomatic.Shared.Docker;

/// <summary>Image operations (Engine API "Image" section).</summary>
public sealed partial class DockerClient
{
    public async Task<ImageInfo?> InspectImageAsync(string image, CancellationToken cancellationToken = default)
    {
        try
        {
            return await CallAsync(async (e, ct) =>
            {
                var i = await e.Images.InspectImageAsync(image, ct);
                return new ImageInfo(i.ID, [.. i.RepoTags ?? []], i.Config?.User is { Length: > 0 } user ? user : null, DockerMapping.Map(i.Config?.Labels))
                {
                    Entrypoint = [.. i.Config?.Entrypoint ?? []],
                    Cmd = [.. i.Config?.Cmd ?? []],
                };
            }, cancellationToken);
        }
        catch (DockerApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>
    /// The library sends the credentials as X-Registry-Auth (never logged). The answer is 200 even when the pull fails: the
    /// failure is a progress message with errorDetail (Engine API "Create an image"), thrown here as our typed error.
    /// </summary>
    public Task PullImageAsync(string image, RegistryCredentials? credentials = null, IProgress<string>? progress = null,
        CancellationToken cancellationToken = default)
    {
        var (repository, tag) = SplitReference(image);
        var auth = credentials is null ? null : new AuthConfig
        {
            Username = credentials.Username,
            Password = credentials.Password,
            ServerAddress = credentials.ServerAddress ?? "",
        };
        return CallAsync((e, ct) => e.Images.CreateImageAsync(new ImagesCreateParameters { FromImage = repository, Tag = tag }, auth,
            new PullProgress(progress), ct), cancellationToken);
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

    /// <summary>Throws from inside the library's read loop, which ends the pull there; passes the rest on as one line each.</summary>
    private sealed class PullProgress(IProgress<string>? progress) : IProgress<JSONMessage>
    {
        public void Report(JSONMessage value)
        {
            if (value.Error?.Message is { Length: > 0 } error)
            {
                throw DockerErrors.FromStream(error);
            }

            progress?.Report(string.Join(' ', new[] { value.ID, value.Status }.Where(p => !string.IsNullOrEmpty(p))));
        }
    }
}

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
            return await CallAsync(async (e, ct) => DockerMapping.ToImage(await e.Images.InspectImageAsync(image, ct)), cancellationToken);
        }
        catch (DockerApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>
    /// The library sends the credentials as X-Registry-Auth (never logged). The answer is 200 even when the pull fails: the
    /// failure is a progress message with errorDetail (Engine API "Create an image"), thrown from inside the library's read
    /// loop (which ends the pull there) as our typed error.
    /// </summary>
    public Task PullImageAsync(string image, RegistryCredentials? credentials = null, IProgress<string>? progress = null,
        CancellationToken cancellationToken = default)
    {
        var (repository, tag) = DockerMapping.SplitReference(image);
        var auth = credentials is null ? null : new AuthConfig
        {
            Username = credentials.Username, Password = credentials.Password, ServerAddress = credentials.ServerAddress ?? "",
        };
        var report = new SyncProgress<JSONMessage>(m =>
        {
            if (m.Error?.Message is { Length: > 0 } error)
            {
                throw DockerErrors.FromStream(error);
            }

            progress?.Report(string.Join(' ', new[] { m.ID, m.Status }.Where(p => !string.IsNullOrEmpty(p))));
        });
        return CallAsync((e, ct) => e.Images.CreateImageAsync(new ImagesCreateParameters { FromImage = repository, Tag = tag }, auth, report, ct),
            cancellationToken);
    }
}

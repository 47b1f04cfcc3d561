using Correctomatic.Shared.Clocks;
using Correctomatic.Shared.Contracts;
using Correctomatic.Shared.Docker;
using Microsoft.Extensions.Logging;

namespace Correctomatic.Starter;

/// <summary>
/// Creates, fills and starts one job's container (issue #5). Once a container exists, any failure removes it, so a
/// failed launch leaves nothing behind. The name is fixed by job id: a reclaimed job whose earlier attempt died after
/// create finds that container (name conflict), removes it and creates a fresh one, so no orphan is left. The file is
/// delivered on stdin (ContainerLauncher.Delivery.cs, issue #14).
/// </summary>
public sealed partial class ContainerLauncher(
    IDockerClient docker, ContainerSpecFactory specs, StarterSettings settings, EngineClock timeProvider, ILogger<ContainerLauncher> logger,
    StarterHooks? hooks = null)
{
    // The deadline label is on the engine's clock, so a completer on another host compares it without skew (README "Clocks").
    private static readonly TimeSpan s_clockSyncInterval = TimeSpan.FromMinutes(1);
    private readonly ImageTraitsCache _traits = new();
    private readonly RecentImages _images = new(timeProvider);

    public Task<LaunchResult> LaunchAsync(ValidatedJob job, CancellationToken cancellationToken) => LaunchAsync(job, recentImage: true, cancellationToken);

    private async Task<LaunchResult> LaunchAsync(ValidatedJob job, bool recentImage, CancellationToken cancellationToken)
    {
        var image = await EnsureImageAsync(job, recentImage, cancellationToken);
        if (image.Error is not null)
        {
            return LaunchResult.Fail(image.Error);
        }

        var (imageSandbox, sandboxError) = ImageSandboxLabel.Read(image.Info!.Labels);
        if (sandboxError is not null)
        {
            return LaunchResult.Fail(sandboxError);
        }

        var user = imageSandbox == ImageSandbox.Spawner ? ContainerUser.Spawner : ContainerUser.Choose(image.Info.User, settings.Sandbox);
        await timeProvider.EnsureFreshAsync(s_clockSyncInterval, cancellationToken);
        var deadline = timeProvider.GetUtcNow() + job.Limits.Timeout;
        var traits = _traits.Find(image.Info.Id);
        var spec = Spec(job, user, deadline, imageSandbox, image.Info, traits ?? ImageTraits.Unknown);
        if (spec is null)
        {
            return LaunchResult.Fail($"image '{job.Image}' has neither ENTRYPOINT nor CMD: there is nothing to run");
        }

        string containerId;
        try
        {
            containerId = await CreateReplacingLeftoverAsync(job, spec, cancellationToken);
            if (traits is null)
            {
                (containerId, spec) = await LearnTraitsAsync(job, containerId, spec, () => Spec(job, user, deadline, imageSandbox, image.Info, _traits.Find(image.Info.Id)!)!,
                    image.Info.Id, cancellationToken);
            }
        }
        catch (DockerNoSuchImageException) when (image.Recent)
        {
            // The inspected image went (removed, or its tag moved and the old id was pruned) within RecentImages.MaxAge:
            // look it up again, and pull it if pulling is on, as for a job that found it missing.
            _images.Forget(job.Image);
            return await LaunchAsync(job, recentImage: false, cancellationToken);
        }
        catch (DockerApiException ex)
        {
            return LaunchResult.Fail($"the Docker engine refused to create the container: {ex.EngineMessage}");
        }

        Log.ContainerCreated(logger, job.JobId, job.WorkId, containerId, spec.Name!);
        return await FillAndStartAsync(job, containerId, spec, user, deadline, cancellationToken);
    }

    /// <summary>Removes a container this starter created; never throws (a leftover is found again by name on retry).</summary>
    public async Task RemoveAsync(ValidatedJob job, string containerId)
    {
        try
        {
            await docker.RemoveContainerAsync(containerId, force: true, CancellationToken.None);
            Log.ContainerRemoved(logger, job.JobId, job.WorkId, containerId);
        }
        catch (Exception ex) when (ex is DockerApiException or DockerUnreachableException)
        {
            Log.ContainerRemoveFailed(logger, job.JobId, job.WorkId, containerId, ex.Message);
        }
    }

    private async Task<string> CreateReplacingLeftoverAsync(ValidatedJob job, ContainerSpec spec, CancellationToken cancellationToken)
    {
        try
        {
            return await docker.CreateContainerAsync(spec, cancellationToken);
        }
        catch (DockerConflictException)
        {
            // The name is taken: an earlier attempt at this job (a starter that died after create) left it. Remove it only
            // when its labels say it is this job of this deployment, never someone else's container.
            var leftover = await docker.InspectContainerAsync(spec.Name!, cancellationToken);
            if (!leftover.Labels.TryGetValue(ContainerLabels.Managed, out var prefix) || prefix != settings.Common.QueuePrefix
                || !leftover.Labels.TryGetValue(ContainerLabels.JobId, out var jobId) || jobId != job.JobId)
            {
                throw new DockerApiException(System.Net.HttpStatusCode.Conflict,
                    $"a container named {spec.Name} exists and is not this job's");
            }

            Log.LeftoverReplaced(logger, job.JobId, job.WorkId, leftover.Id, leftover.State.Status);
            await docker.RemoveContainerAsync(leftover.Id, force: true, cancellationToken);
            return await docker.CreateContainerAsync(spec, cancellationToken);
        }
    }

    /// <summary>The job's image, inspected (or recently: <see cref="RecentImages"/>), pulled first if it is missing and pulling is on.</summary>
    private async Task<(ImageInfo? Info, string? Error, bool Recent)> EnsureImageAsync(ValidatedJob job, bool recent, CancellationToken cancellationToken)
    {
        if (recent && _images.Find(job.Image) is { } known)
        {
            return (known, null, true);
        }

        var inspectedAt = timeProvider.GetTimestamp();
        if (await docker.InspectImageAsync(job.Image, cancellationToken) is { } info)
        {
            _images.Remember(job.Image, info, inspectedAt);
            return (info, null, false);
        }

        if (!settings.PullImages)
        {
            return (null, $"image '{job.Image}' is not on this Docker host and pulling is off (PULL_IMAGES=false)", false);
        }

        Log.PullingImage(logger, job.JobId, job.WorkId, job.Image);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(settings.PullTimeout);
        try
        {
            await docker.PullImageAsync(job.Image, settings.RegistryCredentials, progress: null, timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (null, $"pulling image '{job.Image}' took longer than PULL_TIMEOUT ({settings.PullTimeout})", false);
        }
        catch (DockerApiException ex)
        {
            return (null, $"pulling image '{job.Image}' failed: {ex.EngineMessage}", false);
        }

        inspectedAt = timeProvider.GetTimestamp();
        if (await docker.InspectImageAsync(job.Image, cancellationToken) is not { } pulled)
        {
            return (null, $"image '{job.Image}' is still missing after the pull", false);
        }

        _images.Remember(job.Image, pulled, inspectedAt);
        return (pulled, null, false);
    }
}

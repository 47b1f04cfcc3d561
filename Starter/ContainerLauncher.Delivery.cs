using Correctomatic.Shared.Docker;

namespace Correctomatic.Starter;

/// <summary>
/// Getting the file in (issue #14). Images with /bin/sh: attach to stdin before start, start, write the file, close the
/// write side; the wrapper (<see cref="StdinDelivery"/>) writes it to /tmp/exercise, then execs the image's command.
/// Images without: today's archive put into an anonymous /tmp volume before start, kept because nothing in such an
/// image can read stdin into a file, and the other way considered, a static helper bind-mounted from the Starter's host,
/// needs a path on the engine's host that a Starter reaching a remote engine does not have.
/// </summary>
public sealed partial class ContainerLauncher
{
    /// <summary>
    /// The job's container, created from the inspected image's id rather than its name: the user, the command and the
    /// sandbox label read from the inspect (maybe <see cref="RecentImages"/>' copy) are those of the image that runs, even
    /// if the tag has moved since.
    /// </summary>
    private ContainerSpec? Spec(ValidatedJob job, ContainerUser user, DateTimeOffset deadline, ImageSandbox imageSandbox, ImageInfo image, ImageTraits traits)
    {
        if (!traits.HasShell)
        {
            return specs.Create(job, user, deadline, imageSandbox) with { Image = image.Id };
        }

        return StdinDelivery.Wrap(image, openTmp: !traits.TmpIsOpen, job.File.Length) is { } wrapped
            ? specs.Create(job, user, deadline, imageSandbox, wrapped) with { Image = image.Id }
            : null;
    }

    /// <summary>
    /// The first container of an image: stat /bin/sh and /tmp in it before it starts (two HEADs, once per image id). Without
    /// a shell it is replaced by one created for the archive path.
    /// </summary>
    private async Task<(string ContainerId, ContainerSpec Spec)> LearnTraitsAsync(
        ValidatedJob job, string containerId, ContainerSpec spec, Func<ContainerSpec> respec, string imageId, CancellationToken cancellationToken)
    {
        try
        {
            var shell = await docker.StatPathAsync(containerId, "/bin/sh", cancellationToken);
            var tmp = await docker.StatPathAsync(containerId, "/tmp", cancellationToken);
            var open = UnixFileMode.OtherWrite | UnixFileMode.StickyBit;
            _traits.Remember(imageId, new ImageTraits(shell is not null, tmp is { IsDirectory: true } && (tmp.Mode & open) == open));
            if (shell is not null)
            {
                return (containerId, spec);
            }
        }
        catch
        {
            await RemoveAsync(job, containerId);
            throw;
        }

        Log.NoShellArchiveDelivery(logger, job.JobId, job.WorkId, job.Image);
        await docker.RemoveContainerAsync(containerId, force: true, cancellationToken);
        var archiveSpec = respec();
        return (await docker.CreateContainerAsync(archiveSpec, cancellationToken), archiveSpec);
    }

    private async Task<LaunchResult> FillAndStartAsync(
        ValidatedJob job, string containerId, ContainerSpec spec, ContainerUser user, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        Stream? stdin = null;
        try
        {
            if (spec.OpenStdin)
            {
                // Attached before start: with StdinOnce the engine closes the container's stdin when this stream closes.
                stdin = await docker.AttachStdinAsync(containerId, cancellationToken);
            }
            else
            {
                await docker.PutFileAsync(containerId, ContainerSpecFactory.ExercisePath, job.File, user.FileMode, user.FileUid, user.FileGid, cancellationToken);
            }

            if (hooks?.AfterCreate is { } afterCreate)
            {
                await afterCreate(job.JobId, containerId, cancellationToken);
            }

            await docker.StartContainerAsync(containerId, cancellationToken);
            var startedAt = timeProvider.GetUtcNow();
            if (stdin is not null && await DeliverAsync(job, containerId, stdin, cancellationToken) is { } undelivered)
            {
                await RemoveAsync(job, containerId);
                return LaunchResult.Fail(undelivered);
            }

            return LaunchResult.Ok(containerId, startedAt, deadline);
        }
        catch (DockerApiException ex)
        {
            await RemoveAsync(job, containerId);
            return LaunchResult.Fail($"the Docker engine could not start the container: {ex.EngineMessage}");
        }
        catch
        {
            // Unreachable engine or cancellation: the job stays pending for a retry, and the container must not outlive it.
            await RemoveAsync(job, containerId);
            throw;
        }
        finally
        {
            stdin?.Dispose();
        }
    }

    /// <summary>
    /// Writes the file and closes stdin; null when the container took it. The write is bounded by the job's timeout. When
    /// it fails, the container is killed at once (so it never grades a file cut short: a broken attach is an end of file to
    /// its head too) and then judged: if the wrapper had already said it could not write the file (status 125, e.g.
    /// /tmp full or not writable), the Completer reports that, with its stderr, like any grader failure; otherwise the
    /// launch fails and the container is removed.
    /// </summary>
    private async Task<string?> DeliverAsync(ValidatedJob job, string containerId, Stream stdin, CancellationToken cancellationToken)
    {
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(job.Limits.Timeout);
        try
        {
            await stdin.WriteAsync(job.File, bounded.Token);
            if (hooks?.BeforeStdinClose is { } beforeClose)
            {
                await beforeClose(job.JobId, containerId, cancellationToken);
            }

            stdin.Dispose(); // every byte sent; the wrapper stops at the last one and needs no end of file
            return null;
        }
        catch (Exception ex) when (ex is DockerUnreachableException or IOException
            || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            var why = ex is OperationCanceledException ? $"it did not read it within the job's timeout ({job.Limits.Timeout})" : ex.Message;
            if (await WrapperGaveUpAsync(containerId))
            {
                return null;
            }

            Log.DeliveryFailed(logger, job.JobId, job.WorkId, containerId, why);
            return $"the submission could not be delivered to the container on stdin: {why}";
        }
    }

    private async Task<bool> WrapperGaveUpAsync(string containerId)
    {
        try
        {
            await docker.KillContainerAsync(containerId, cancellationToken: CancellationToken.None);
        }
        catch (DockerApiException)
        {
            // Not running any more (409): it stopped by itself, which the inspect below tells.
        }

        var state = (await docker.InspectContainerAsync(containerId, CancellationToken.None)).State;
        return !state.OomKilled && state.ExitCode == StdinDelivery.WriteFailedStatus;
    }
}

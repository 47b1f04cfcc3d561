using System.Collections.Concurrent;

namespace Correctomatic.Starter;

/// <summary>
/// What the launcher must know of an image's filesystem to deliver the file (issue #14), learnt once per image id from
/// its first container (archive stat before start): whether it has <c>/bin/sh</c> for the stdin wrapper, and whether its
/// <c>/tmp</c> is world-writable and sticky (1777), which the tmpfs over it keeps (runc copies the directory's mode).
/// </summary>
public sealed record ImageTraits(bool HasShell, bool TmpIsOpen)
{
    /// <summary>Before the first container of an image: the wrapper, with the chmod that is harmless where /tmp is 1777 already.</summary>
    public static ImageTraits Unknown { get; } = new(HasShell: true, TmpIsOpen: false);
}

/// <summary>
/// Image id → <see cref="ImageTraits"/>. An id names one immutable image, so an entry never goes stale; a retagged
/// image has a new id. Bounded: past <see cref="Capacity"/> ids it starts over (a cleared entry costs one stat again).
/// </summary>
public sealed class ImageTraitsCache
{
    public const int Capacity = 1024;
    private readonly ConcurrentDictionary<string, ImageTraits> _byImageId = new(StringComparer.Ordinal);

    public ImageTraits? Find(string imageId) => _byImageId.TryGetValue(imageId, out var traits) ? traits : null;

    public void Remember(string imageId, ImageTraits traits)
    {
        if (_byImageId.Count >= Capacity)
        {
            _byImageId.Clear();
        }

        _byImageId[imageId] = traits;
    }
}

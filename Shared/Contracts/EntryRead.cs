using System.Diagnostics.CodeAnalysis;

namespace Correctomatic.Shared.Contracts;

/// <summary>What <see cref="EntryReader"/> made of an entry: its typed record, or the reason there is none.</summary>
public sealed record EntryRead<T>
    where T : class
{
    /// <summary>The record read, or (with a null record) the reason; only <see cref="EntryReader"/> makes one.</summary>
    internal EntryRead(T? record, string? reason) => (Record, Reason) = (record, reason);

    public T? Record { get; }

    /// <summary>Why the entry cannot be read, as a sentence for the job's error or the dead letter; null when it was read.</summary>
    public string? Reason { get; }

    [MemberNotNullWhen(true, nameof(Record))]
    [MemberNotNullWhen(false, nameof(Reason))]
    public bool IsRead => Record is not null;
}

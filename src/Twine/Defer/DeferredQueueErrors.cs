namespace Twine.Defer;

/// <summary>
/// <see cref="DeferredQueue{T}.Put"/> found the queue full: nobody waiting and <see cref="DeferredQueue{T}.Size"/>
/// items already pending (P6). Thrown synchronously by <c>Put</c>, not delivered through a Deferred.
/// </summary>
/// <example>
/// <code>
/// try { queue.Put(job); }
/// catch (QueueOverflowException) { RejectJob(job); }
/// </code>
/// </example>
public sealed class QueueOverflowException : InvalidOperationException
{
    /// <summary>Creates the exception for a queue of the given size.</summary>
    public QueueOverflowException(int size) : base($"The DeferredQueue is full: {size} items are already pending.") => Size = size;

    /// <summary>The queue's size limit.</summary>
    public int Size { get; }
}

/// <summary>
/// <see cref="DeferredQueue{T}.Get"/> found too many getters waiting: nothing pending and
/// <see cref="DeferredQueue{T}.Backlog"/> gets already waiting (P6). Thrown synchronously by <c>Get</c>.
/// </summary>
/// <example>
/// <code>
/// try { queue.Get().AddCallback(Handle); }
/// catch (QueueUnderflowException) { Console.WriteLine("too many consumers"); }
/// </code>
/// </example>
public sealed class QueueUnderflowException : InvalidOperationException
{
    /// <summary>Creates the exception for a queue of the given backlog.</summary>
    public QueueUnderflowException(int backlog) : base($"The DeferredQueue has no items and {backlog} gets are already waiting.") => Backlog = backlog;

    /// <summary>The queue's backlog limit.</summary>
    public int Backlog { get; }
}

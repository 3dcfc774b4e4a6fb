namespace Twine.Defer;

/// <summary>
/// Holds one acquisition of a <see cref="DeferredLock"/> or <see cref="DeferredSemaphore"/> and gives it back when
/// disposed (P5): what <see cref="DeferredLock.LockAsync"/> and <see cref="DeferredSemaphore.AcquireAsync"/> fire
/// with, for <c>using</c> and <c>await using</c>. Disposing twice releases once.
/// </summary>
/// <example>
/// <code>
/// async Deferred Append(DeferredLock fileLock, string line)
/// {
///     await using (await fileLock.LockAsync())
///     {
///         await WriteLine(line);   // an exception here still releases the lock, then propagates
///     }
/// }
/// </code>
/// </example>
public sealed class Releaser : IDisposable, IAsyncDisposable
{
    private ConcurrencyPrimitive? _owner;

    internal Releaser(ConcurrencyPrimitive owner) => _owner = owner;

    /// <summary>True once this acquisition has been given back.</summary>
    public bool Released => _owner is null;

    /// <summary>Releases the lock or token this releaser holds; does nothing the second time.</summary>
    public void Dispose()
    {
        var owner = _owner;
        if (owner is null) return;
        _owner = null;
        owner.Release();
    }

    /// <summary>As <see cref="Dispose"/>; releasing is synchronous, so the returned task has always completed.</summary>
    public ValueTask DisposeAsync()
    {
        Dispose();
        return default;
    }
}

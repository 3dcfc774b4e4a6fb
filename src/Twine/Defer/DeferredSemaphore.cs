namespace Twine.Defer;

/// <summary>
/// A semaphore for code that runs on one thread but waits across callbacks (Twisted's <c>DeferredSemaphore</c>,
/// P2–P5): at most <see cref="Limit"/> holders at a time. <see cref="Acquire"/> takes a token or queues, first come
/// first served; <see cref="Release"/> hands the token straight to the next waiter. Not thread-safe.
/// </summary>
/// <example>
/// <code>
/// var downloads = new DeferredSemaphore(4);
/// var pages = urls.Select(u => downloads.Run(() => GetPage(u)));   // at most four at a time
///
/// async Deferred Crawl(string url)
/// {
///     await using var token = await downloads.AcquireAsync();
///     Console.WriteLine(await GetPage(url));
/// }
/// </code>
/// </example>
public sealed class DeferredSemaphore : ConcurrencyPrimitive
{
    private readonly WaiterQueue<DeferredSemaphore> _waiting = new();

    /// <summary>Creates a semaphore with <paramref name="tokens"/> tokens, all available.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="tokens"/> is less than 1 (P4).</exception>
    public DeferredSemaphore(int tokens)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(tokens, 1);
        Limit = tokens;
        Tokens = tokens;
    }

    /// <summary>How many tokens the semaphore has in all.</summary>
    public int Limit { get; }

    /// <summary>How many tokens are available now.</summary>
    public int Tokens { get; private set; }

    /// <summary>How many acquires are waiting for a token.</summary>
    public int WaitingCount => _waiting.Count;

    /// <summary>
    /// Asks for a token (P4). The Deferred fires with this semaphore, immediately when a token is available.
    /// Cancelling a pending acquire withdraws it and fails it with <see cref="CancelledException"/>; cancelling one
    /// that has already fired does nothing (P3).
    /// </summary>
    public Deferred<DeferredSemaphore> Acquire()
    {
        if (Tokens == 0) return _waiting.Add();
        Tokens--;
        return Deferred.Succeed(this);
    }

    /// <summary>As <see cref="Acquire"/>, firing with a <see cref="Releaser"/> for <c>await using</c> (P5).</summary>
    public Deferred<Releaser> AcquireAsync() => Acquire().AddCallback(static s => new Releaser(s));

    /// <summary>
    /// Gives a token back (P4). If anyone is waiting, the oldest waiter gets it at once: its Deferred fires
    /// synchronously, inside this call, and <see cref="Tokens"/> does not change.
    /// </summary>
    /// <exception cref="InvalidOperationException">All tokens are already available: released too many times.</exception>
    public override void Release()
    {
        if (Tokens >= Limit) throw new InvalidOperationException("DeferredSemaphore released too many times: all its tokens are already available.");
        if (_waiting.TryTake(out var next)) next.Callback(this);
        else Tokens++;
    }

    private protected override Deferred AcquireForRun() => Acquire();

    /// <inheritdoc />
    public override string ToString() => $"<DeferredSemaphore {Tokens}/{Limit} available, {WaitingCount} waiting>";
}

namespace Twine.Net.Tls;

/// <summary>
/// Removes the thread's <see cref="SynchronizationContext"/> for the duration of a call into <see cref="System.Net.Security.SslStream"/>.
/// </summary>
/// <remarks>
/// <para>Why: <see cref="System.Net.Security.SslStream"/> awaits its own inner tasks with <c>ConfigureAwait(false)</c>.
/// When such a task completes, the runtime runs the continuation inline only if the completing thread has no
/// synchronization context (or the default one); the reactor installs its own while it runs, and with it present the
/// runtime would queue the continuation to the thread pool — and TLS would then run off the reactor thread.</para>
/// <para>With the context removed, every continuation runs inline on the reactor thread, inside the call that
/// completed it (a <c>Feed</c> of ciphertext, a write). Cost: two thread-static writes per call.</para>
/// </remarks>
internal readonly ref struct InlineScope
{
    private readonly SynchronizationContext? _saved;

    private InlineScope(SynchronizationContext? saved) => _saved = saved;

    /// <summary>Clears the context until <see cref="Dispose"/>.</summary>
    public static InlineScope Enter()
    {
        var saved = SynchronizationContext.Current;
        if (saved is not null) SynchronizationContext.SetSynchronizationContext(null);
        return new InlineScope(saved);
    }

    /// <summary>Puts the saved context back.</summary>
    public void Dispose()
    {
        if (_saved is not null) SynchronizationContext.SetSynchronizationContext(_saved);
    }
}

namespace Twine.Threading;

/// <summary>
/// Something that belongs to a reactor thread and says which: a socket transport, a running reactor's synchronization
/// context, a TLS layer. Layers that wrap a transport (TLS) read it from what they wrap, so they enforce the same thread
/// rule without knowing the reactor.
/// </summary>
internal interface IReactorThreadOwned
{
    /// <summary>The owning thread, or null when the object is not tied to one (in-memory test transports).</summary>
    ReactorThread? OwnerThread { get; }
}

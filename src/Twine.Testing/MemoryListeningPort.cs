using System.Net;
using Twine.Defer;
using Twine.Net;

namespace Twine.Testing;

/// <summary>The fake port <see cref="MemoryReactor"/> returns from its <c>Listen*</c> methods (MR1).</summary>
/// <example>
/// <code>
/// var port = (MemoryListeningPort)reactor.ListenTcp(8080, factory);
/// port.StopListening();
/// Assert.True(port.Stopped);
/// </code>
/// </example>
public sealed class MemoryListeningPort : IListeningPort
{
    /// <summary>Creates a port that reports <paramref name="host"/> as its address.</summary>
    public MemoryListeningPort(EndPoint host)
    {
        ArgumentNullException.ThrowIfNull(host);
        Host = host;
    }

    /// <inheritdoc />
    public EndPoint Host { get; }

    /// <summary>True once <see cref="StopListening"/> was called.</summary>
    public bool Stopped { get; private set; }

    /// <summary>Records the call and returns an already-fired Deferred.</summary>
    public Deferred StopListening()
    {
        Stopped = true;
        return Deferred.Succeed();
    }
}

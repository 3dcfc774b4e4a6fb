using System.Net;

namespace Twine.Net;

/// <summary>
/// A reactor that makes and accepts TCP connections (Twisted's <c>IReactorTCP</c>). Implemented by the real reactor
/// and by <c>Twine.Testing.MemoryReactor</c>, so code that asks for this role can be tested without sockets.
/// </summary>
/// <example>
/// <code>
/// void Serve(IReactorTcp reactor) => reactor.ListenTcp(8000, Factory.ForProtocol&lt;Echo&gt;(), interfaceAddress: "127.0.0.1");
/// void Dial(IReactorTcp reactor) => reactor.ConnectTcp("example.org", 80, ClientFactory.ForProtocol&lt;Greeter&gt;());
/// </code>
/// </example>
public interface IReactorTcp
{
    /// <summary>Listens for TCP connections, building a protocol with <paramref name="factory"/> for each.</summary>
    /// <param name="port">The port; 0 lets the OS choose (read it back from <see cref="IListeningPort.Host"/>).</param>
    /// <param name="factory">Builds one protocol per accepted connection.</param>
    /// <param name="backlog">The listen(2) queue length.</param>
    /// <param name="interfaceAddress">The local address to bind; "" binds all IPv4 interfaces, "::" all IPv6 ones.</param>
    IListeningPort ListenTcp(int port, IProtocolFactory factory, int backlog = ListenBacklog.Default, string interfaceAddress = "");

    /// <summary>
    /// Listens for TCP connections with <paramref name="options"/> (backlog, interface, <c>SO_REUSEPORT</c>). The
    /// default implementation serves reactors that cannot share ports: it refuses <see cref="TcpListenOptions.ReusePort"/>
    /// and otherwise calls the overload above.
    /// </summary>
    /// <exception cref="NotSupportedException">The options ask for <c>SO_REUSEPORT</c> and this reactor cannot set it.</exception>
    IListeningPort ListenTcp(int port, IProtocolFactory factory, TcpListenOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.ReusePort)
            throw new NotSupportedException($"{GetType().Name} cannot listen with SO_REUSEPORT (reusePort=true).");
        return ListenTcp(port, factory, options.Backlog, options.Interface);
    }

    /// <summary>Connects to <paramref name="host"/>:<paramref name="port"/>, reporting to <paramref name="factory"/>.</summary>
    /// <param name="host">A host name or IP address literal.</param>
    /// <param name="port">The port.</param>
    /// <param name="factory">Builds the protocol once connected and hears about failure and loss.</param>
    /// <param name="timeout">How long the attempt may take; null means 30 seconds, as in Twisted.</param>
    /// <param name="bindAddress">A local address to bind before connecting, if any.</param>
    IConnector ConnectTcp(string host, int port, ClientFactory factory, TimeSpan? timeout = null, EndPoint? bindAddress = null);
}

using System.Net;
using Twine.Logging;

namespace Twine.Net;

/// <summary>
/// The base class for UDP protocols, after Twisted's <c>DatagramProtocol</c>: one instance per socket, told about
/// each datagram with its sender. Unlike a stream protocol it can be attached to several ports over its life, so
/// <see cref="StartProtocol"/> and <see cref="StopProtocol"/> are counted like a factory's.
/// </summary>
/// <example>
/// <code>
/// sealed class Echo : DatagramProtocol
/// {
///     public override void DatagramReceived(ReadOnlySpan&lt;byte&gt; data, EndPoint from) => Transport!.Write(data, from);
/// }
/// reactor.ListenUdp(9999, new Echo());
/// </code>
/// </example>
public abstract class DatagramProtocol
{
    /// <summary>The socket this protocol is attached to, or null.</summary>
    public IDatagramTransport? Transport { get; private set; }

    /// <summary>How many ports this protocol is attached to.</summary>
    public int NumPorts { get; private set; }

    /// <summary>Whether starting and stopping are logged. True by default.</summary>
    public bool Noisy { get; set; } = true;

    /// <summary>The prefix for log messages about this protocol: its class name.</summary>
    public virtual string LogPrefix => GetType().Name;

    /// <summary>Attaches the protocol to its socket and starts it (<see cref="DoStart"/>).</summary>
    /// <exception cref="InvalidOperationException">Already attached.</exception>
    public void MakeConnection(IDatagramTransport transport)
    {
        ArgumentNullException.ThrowIfNull(transport);
        if (Transport is not null) throw new InvalidOperationException($"{GetType().Name} is already attached to a transport.");
        Transport = transport;
        DoStart();
    }

    /// <summary>Counts one more port; calls <see cref="StartProtocol"/> on the first.</summary>
    public void DoStart()
    {
        if (NumPorts == 0)
        {
            if (Noisy) Log.Info(LogEventId.FactoryStarting, typeof(DatagramProtocol), $"Starting protocol {this}");
            StartProtocol();
        }
        NumPorts++;
    }

    /// <summary>Counts one port fewer; on the last, calls <see cref="StopProtocol"/> and detaches the transport.</summary>
    public void DoStop()
    {
        if (NumPorts == 0) return;
        NumPorts--;
        if (NumPorts == 0)
        {
            if (Noisy) Log.Info(LogEventId.FactoryStopping, typeof(DatagramProtocol), $"Stopping protocol {this}");
            StopProtocol();
            Transport = null;
        }
    }

    /// <summary>Called when the protocol starts listening; send the first datagram from here.</summary>
    protected virtual void StartProtocol() { }

    /// <summary>Called when the protocol stops listening.</summary>
    protected virtual void StopProtocol() { }

    /// <summary>A datagram arrived from <paramref name="address"/>. <paramref name="data"/> is only valid during the call.</summary>
    public abstract void DatagramReceived(ReadOnlySpan<byte> data, EndPoint address);

    /// <summary>A connected transport's peer refused a datagram (an ICMP port-unreachable). Does nothing by default.</summary>
    public virtual void ConnectionRefused() { }

    /// <summary>The protocol's class name, for log messages.</summary>
    public override string ToString() => GetType().FullName ?? GetType().Name;
}

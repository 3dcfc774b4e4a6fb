using Twine.Reactors;
using System.Net;
using Twine.Net;

namespace Twine.Interop.Tests.Framing;


/// <summary>
/// A Twine server for one framing on 127.0.0.1 (an OS-chosen port) that answers every message with its bytes reversed,
/// and records each connection.
/// </summary>
internal sealed class TwineServer
{
    public TwineServer(Reactor reactor, FramingKind kind)
    {
        var factory = new Factory(() =>
        {
            var recorder = new MessageRecorder
            {
                OnReceived = (m, payload) => m.Send(EdgeCases.Reverse(payload)),
            };
            recorder.OnLost = (_, _) =>
            {
                Open--;
                ConnectionClosed?.Invoke(recorder);
            };
            Connections.Add(recorder);
            Open++;
            return Messengers.Create(kind, recorder);
        }) { Noisy = false };
        ListeningPort = reactor.ListenTcp(0, factory, interfaceAddress: "127.0.0.1");
        Port = ((IPEndPoint)ListeningPort.Host).Port;
    }

    public IListeningPort ListeningPort { get; }

    public int Port { get; }

    /// <summary>Every accepted connection, in order.</summary>
    public List<MessageRecorder> Connections { get; } = [];

    /// <summary>Connections accepted and not yet lost.</summary>
    public int Open { get; private set; }

    public event Action<MessageRecorder>? ConnectionClosed;
}

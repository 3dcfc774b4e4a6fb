using Twine.Reactors;
using Twine.Defer;
using Twine.Net;

namespace Twine.Interop.Tests.Framing;


/// <summary>Connects a Twine receiver of one framing to 127.0.0.1:port and reports to a <see cref="MessageRecorder"/>.</summary>
internal static class TwineClient
{
    /// <summary>
    /// Starts connecting; <paramref name="recorder"/> hears the conversation. If the connection fails,
    /// <paramref name="failed"/> is called with the reason.
    /// </summary>
    public static IConnector Connect(Reactor reactor, FramingKind kind, int port, MessageRecorder recorder, Action<Failure> failed) =>
        reactor.ConnectTcp("127.0.0.1", port, new Factory(kind, recorder, failed) { Noisy = false }, TimeSpan.FromSeconds(10));

    private sealed class Factory(FramingKind kind, MessageRecorder recorder, Action<Failure> failed)
        : ClientFactory(() => Messengers.Create(kind, recorder))
    {
        public override void ClientConnectionFailed(IConnector connector, Failure reason) => failed(reason);
    }
}

using Twine.Net;

namespace Twine.Interop.Tests.Framing;

/// <summary>One framed connection, whatever the framing: the Twine side of every interop conversation.</summary>
internal interface IMessenger
{
    FramingKind Kind { get; }

    ITransport Transport { get; }

    /// <summary>How many times the transport delivered bytes (DataReceived calls).</summary>
    int Reads { get; }

    /// <summary>Sends one message with Twine's framing (SendLine / SendString).</summary>
    void Send(ReadOnlySpan<byte> payload);
}

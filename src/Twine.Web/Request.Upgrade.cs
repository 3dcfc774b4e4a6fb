using Twine.Net;
using Twine.Web.Http;

namespace Twine.Web;

// Switching protocols (RFC 9110 §15.2.2): after a 101 the connection stops being HTTP. The WebSocket resource uses it.
public sealed partial class Request
{
    /// <summary>True when the request asks to switch protocols (<c>Connection: upgrade</c> with an <c>Upgrade</c> field).</summary>
    internal bool WantsUpgrade => _head.Headers.Contains("Upgrade") && HeaderTokens.Contains(_head.Headers.GetAll("Connection"), "upgrade");

    /// <summary>
    /// Answers with <paramref name="responseHead"/> (a complete 101 head, blank line included) and hands the connection
    /// to <paramref name="protocol"/>: the request is finished, and every later byte goes to the new protocol.
    /// </summary>
    /// <exception cref="InvalidOperationException">The response was already started, or the request is not the one being answered.</exception>
    internal void SwitchProtocols(ReadOnlySpan<byte> responseHead, IProtocol protocol)
    {
        ThrowIfStarted();
        if (Finished || _lostReason is not null) throw new InvalidOperationException("The request is already finished or its connection is lost.");
        _headersWritten = true;
        Code = 101;
        Finished = true;
        _channel.Transport.Write(responseHead);
        SentLength = 0;
        _channel.SwitchProtocols(this, protocol);
        if (_more?.Notifications is { } ds)
        {
            _more.Notifications = null;
            foreach (var d in ds) d.Callback(Twine.Unit.Value);
        }
    }
}

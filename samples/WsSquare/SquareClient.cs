using System.Globalization;
using Twine.Defer;
using Twine.Web.WebSockets;

namespace WsSquare;

/// <summary>The client side: <see cref="Ask"/> sends a request and returns a Deferred that fires with its answer.</summary>
public sealed class SquareClient : WebSocketClientProtocol
{
    /// <summary>The subprotocol both sides agree on.</summary>
    public const string Name = "square.v1";

    private readonly Dictionary<int, Deferred<long>> _pending = [];
    private int _next;

    /// <summary>Asks for x²; fails with <see cref="ArgumentOutOfRangeException"/> when the server refuses x.</summary>
    public Deferred<long> Ask(long x)
    {
        int id = ++_next;
        var answer = new Deferred<long>();
        _pending[id] = answer;
        SendMessage($"{id} {x.ToString(CultureInfo.InvariantCulture)}");
        return answer;
    }

    /// <inheritdoc/>
    public override Deferred? OnMessage(byte[] payload, bool isBinary)
    {
        var text = System.Text.Encoding.UTF8.GetString(payload);
        int space = text.IndexOf(' ');
        if (space < 0 || !int.TryParse(text.AsSpan(0, space), CultureInfo.InvariantCulture, out int id) || !_pending.Remove(id, out var answer))
            return null;
        var rest = text[(space + 1)..];
        if (rest.StartsWith("error ", StringComparison.Ordinal)) answer.Errback(new ArgumentOutOfRangeException(null, rest[6..]));
        else answer.Callback(long.Parse(rest, CultureInfo.InvariantCulture));
        return null;
    }

    /// <inheritdoc/>
    public override void OnClose(bool wasClean, int code, string? reason)
    {
        foreach (var d in _pending.Values) d.Errback(new InvalidOperationException($"The connection closed ({code}) before the answer came."));
        _pending.Clear();
    }
}

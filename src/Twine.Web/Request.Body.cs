using Twine.Net;

namespace Twine.Web;

// The streaming side of the request body: DeliverBody, fed by the connection as bytes arrive, or replayed from the
// buffered body.
public sealed partial class Request
{
    /// <summary>The resource this request was routed to when that was decided early (streamed bodies), and how that went.</summary>
    internal IResource? Located => _more?.Located;

    internal Exception? LocateError => _more?.LocateError;

    internal bool IsLocated => _more?.IsLocated ?? false;

    /// <summary>True when the body is streamed to a receiver rather than buffered (see <see cref="IBodyStreamingResource"/>).</summary>
    internal bool StreamsBody => _more?.StreamsBody ?? false;

    /// <summary>True once a streamed body can flow: a receiver is attached.</summary>
    internal bool HasBodyReceiver => _more?.Receiver is not null;

    /// <summary>
    /// Hands the body to <paramref name="receiver"/> piece by piece. For a resource that implements
    /// <see cref="IBodyStreamingResource"/> the pieces are delivered as they arrive, and pausing the flow stops reading
    /// from the client; otherwise (or when the request was pipelined behind another) the buffered body is replayed.
    /// A request without a body finishes at once.
    /// </summary>
    /// <exception cref="InvalidOperationException">Called twice.</exception>
    public void DeliverBody(IBodyReceiver receiver)
    {
        ArgumentNullException.ThrowIfNull(receiver);
        if (_more?.Receiver is not null) throw new InvalidOperationException("The request body is already being delivered.");
        More.Receiver = receiver;
        if (!StreamsBody)
        {
            new BufferedBodyDelivery(Content, receiver).Start();
            return;
        }
        receiver.BodyStarted(new StreamedBodyFlow(this));
        if (More.BodyEnded) receiver.BodyFinished(More.BodyError);
        else _channel.ResumeBody(this);
    }

    internal void Locate(IResource? resource, Exception? error)
    {
        var more = More;
        more.IsLocated = true;
        more.Located = resource;
        more.LocateError = error;
    }

    internal void BeginStreamedBody() => More.StreamsBody = true;

    internal void StreamedBodyData(ReadOnlySpan<byte> data) => More.Receiver!.BodyReceived(data);

    internal void EndStreamedBody(Failure? error)
    {
        var more = More;
        if (more.BodyEnded) return;
        more.BodyEnded = true;
        more.BodyError = error;
        more.Receiver?.BodyFinished(error);
    }

    /// <summary>The flow handed to a receiver of a streamed body: pausing it stops the connection reading.</summary>
    private sealed class StreamedBodyFlow(Request request) : IPushProducer
    {
        public void PauseProducing() => request._channel.PauseBody(request);

        public void ResumeProducing() => request._channel.ResumeBody(request);

        public void StopProducing()
        {
            if (!request._channel.IsClosed) request._channel.Transport.AbortConnection();
        }
    }

    /// <summary>Replays a buffered body in 64 KiB pieces, honouring pause and resume.</summary>
    private sealed class BufferedBodyDelivery(Stream content, IBodyReceiver receiver) : IPushProducer
    {
        private const int Piece = 64 * 1024;
        private byte[]? _buffer;
        private bool _paused;
        private bool _done;
        private bool _delivering;

        public void Start()
        {
            receiver.BodyStarted(this);
            Deliver();
        }

        public void PauseProducing() => _paused = true;

        public void ResumeProducing()
        {
            _paused = false;
            if (!_delivering) Deliver();
        }

        public void StopProducing() => _done = true;

        private void Deliver()
        {
            _delivering = true;
            try
            {
                while (!_paused && !_done)
                {
                    _buffer ??= new byte[(int)Math.Min(Piece, Math.Max(1, content.Length))];
                    int n = content.Read(_buffer);
                    if (n == 0)
                    {
                        _done = true;
                        content.Position = 0;
                        receiver.BodyFinished(null);
                        return;
                    }
                    receiver.BodyReceived(_buffer.AsSpan(0, n));
                }
            }
            finally
            {
                _delivering = false;
            }
        }
    }
}

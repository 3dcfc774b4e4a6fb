using System.IO.Compression;

namespace Twine.Web.WebSockets;

/// <summary>
/// Limits, timeouts and extensions for WebSocket connections; one instance is shared by a factory's connections.
/// The defaults are what a public server would ship with.
/// </summary>
/// <example>
/// <code>
/// var options = new WebSocketOptions { MaxMessageSize = 1 &lt;&lt; 20, PingInterval = TimeSpan.FromSeconds(30) };
/// var factory = new WebSocketServerFactory&lt;Echo&gt;(reactor, options);
/// </code>
/// </example>
public sealed class WebSocketOptions
{
    /// <summary>The largest frame payload accepted; a larger frame fails the connection with 1009. Default 16 MiB.</summary>
    public long MaxFrameSize { get; init; } = 16L << 20;

    /// <summary>
    /// The largest message accepted, counted after decompression (so it is also the decompression limit); a larger
    /// message fails the connection with 1009. Default 16 MiB. Streaming receivers that handle any size set it to
    /// <see cref="long.MaxValue"/>.
    /// </summary>
    public long MaxMessageSize { get; init; } = 16L << 20;

    /// <summary>How long the opening handshake may take from connection to 101; then the connection is dropped. Default 10 s.</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long to wait for the peer's close frame (and, for a server, the TCP close) after sending ours. Default 5 s.</summary>
    public TimeSpan CloseTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>When set, a ping is sent after this much time without any frame from the peer. Default off.</summary>
    public TimeSpan? PingInterval { get; init; }

    /// <summary>How long a keep-alive ping may wait for any frame in answer before the connection is dropped. Default 10 s.</summary>
    public TimeSpan PingTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Messages longer than this are sent as several frames of at most this size; 0 (the default) sends every
    /// message as one frame.
    /// </summary>
    public int AutoFragmentSize { get; init; }

    /// <summary>Whether permessage-deflate (RFC 7692) is offered (client) or accepted (server). Default true.</summary>
    public bool PerMessageDeflate { get; init; } = true;

    /// <summary>
    /// Compress every message from a fresh window (and ask for the same of the peer when offering). Costs ratio,
    /// saves the ~300 KiB of compressor state per connection between messages. Default false.
    /// </summary>
    public bool NoContextTakeover { get; init; }

    /// <summary>The zlib level for outgoing messages. Default <see cref="CompressionLevel.Fastest"/>.</summary>
    public CompressionLevel CompressionLevel { get; init; } = CompressionLevel.Fastest;

    /// <summary>Messages shorter than this are sent uncompressed even when compression is on (RSV1 is per message). Default 64 bytes.</summary>
    public int CompressionThreshold { get; init; } = 64;

    /// <summary>The shared defaults.</summary>
    public static WebSocketOptions Default { get; } = new();
}

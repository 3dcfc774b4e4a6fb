namespace Twine.Web.Server;

/// <summary>
/// Every limit and timeout of the HTTP server in one place, with the defaults a production server would ship. Each
/// limit answers with the status RFC 9110 names for it: request line → 414, header section or field count → 431,
/// body → 413, slow headers or body → 408.
/// </summary>
/// <example>
/// <code>
/// var site = new Site(root, reactor, new HttpServerOptions { MaxBodyLength = 1 &lt;&lt; 20, IdleTimeout = TimeSpan.FromSeconds(30) });
/// </code>
/// </example>
public sealed record HttpServerOptions
{
    /// <summary>The longest request line, in bytes (414 beyond). Default 8 KiB.</summary>
    public int MaxRequestLineLength { get; init; } = 8 * 1024;

    /// <summary>The largest header section (the field lines), in bytes (431 beyond). Default 32 KiB.</summary>
    public int MaxHeaderSectionLength { get; init; } = 32 * 1024;

    /// <summary>The most header fields (431 beyond). Default 100.</summary>
    public int MaxHeaderFields { get; init; } = 100;

    /// <summary>The largest request body, in bytes (413 beyond). Default 16 MiB.</summary>
    public long MaxBodyLength { get; init; } = 16L * 1024 * 1024;

    /// <summary>Bodies larger than this are spooled to a temporary file instead of memory, as Twisted does. Default 100 KB.</summary>
    public int BodySpoolThreshold { get; init; } = 100_000;

    /// <summary>The longest chunk-size line of a chunked body, extensions included (400 beyond). Default 1 KiB.</summary>
    public int MaxChunkSizeLine { get; init; } = 1024;

    /// <summary>How long a client may take to send a request head once it started (408 and close after). Default 30 s.</summary>
    public TimeSpan HeaderTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long an idle keep-alive connection stays open between requests. Default 120 s.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>
    /// The slowest a request body may arrive, in bytes per second, measured over each
    /// <see cref="MinBodyDataRateGracePeriod"/> (408 and close when slower). Default 240 B/s; 0 turns the check off.
    /// </summary>
    public double MinBodyDataRate { get; init; } = 240;

    /// <summary>The interval over which <see cref="MinBodyDataRate"/> is checked. Default 5 s.</summary>
    public TimeSpan MinBodyDataRateGracePeriod { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The most requests read ahead on one connection while earlier ones are still being answered; past it the server
    /// stops reading from the connection until a response completes. Default 16.
    /// </summary>
    public int MaxPipelinedRequests { get; init; } = 16;

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxRequestLineLength, 16);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxHeaderSectionLength, 0);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxHeaderFields, 0);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxBodyLength, 0);
        ArgumentOutOfRangeException.ThrowIfLessThan(BodySpoolThreshold, 0);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxChunkSizeLine, 8);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxPipelinedRequests, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(MinBodyDataRate, 0);
    }
}

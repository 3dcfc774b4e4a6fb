using System.Globalization;
using System.Net;
using Twine.Defer;
using Twine.Net;
using Twine.Net.Endpoints;
using Twine.Reactors;

namespace Twine.Cli;

/// <summary>
/// Runs a server command (<c>twine echo</c>, <c>twine web</c>) on <see cref="Workers"/> reactors of a
/// <see cref="ReactorGroup"/>, each listening on its own socket. With more than one worker, TCP endpoints get
/// <c>reusePort=true</c> and the kernel spreads connections over the workers; <c>systemd:</c> and <c>adopt:</c>
/// endpoints are adopted by every worker, which then share one accept queue.
/// </summary>
/// <remarks>
/// Worker 0 listens first; the others listen once it has, on the port it got. So <c>tcp:0</c> means one port chosen by
/// the OS for all workers (not one port each), and a port that cannot be used is reported once.
/// </remarks>
internal sealed class ServerWorkers
{
    /// <summary>The command's name in messages: "twine echo".</summary>
    public required string Tool { get; init; }

    /// <summary>The --listen endpoint string.</summary>
    public required string Listen { get; init; }

    /// <summary>How many reactors (--workers).</summary>
    public int Workers { get; init; } = 1;

    /// <summary>Whether to print a line per connection, with the worker that accepted it (--verbose).</summary>
    public bool Verbose { get; init; }

    /// <summary>Builds a worker's protocol factory on its reactor thread.</summary>
    public required Func<Reactor, IProtocolFactory> Factory { get; init; }

    /// <summary>What the "listening" line says after the tool's name: "listening on 127.0.0.1:8000".</summary>
    public required Func<EndPoint, string> Describe { get; init; }

    /// <summary>
    /// Runs until the group stops (Ctrl-C, SIGTERM, or a reactor's Stop). <paramref name="onListening"/> (tests) hears
    /// each worker's reactor and port once it listens.
    /// </summary>
    public int Run(TextWriter output, TextWriter error, ReactorOptions options, Action<Reactor, IListeningPort>? onListening = null)
    {
        if (Workers < 1)
            return Usage(error, $"--workers must be at least 1, not {Workers.ToString(CultureInfo.InvariantCulture)}");
        if (Workers > 1 && !CanShare(Listen, out var why))
            return Usage(error, $"--workers {Workers.ToString(CultureInfo.InvariantCulture)} needs an endpoint every worker can listen on (tcp:, tcp6:, ssl:, systemd: or adopt:): {why}");
        // Workers write from their own threads.
        output = TextWriter.Synchronized(output);
        error = TextWriter.Synchronized(error);
        var firstHost = new TaskCompletionSource<EndPoint?>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var group = ReactorGroup.Create(Workers, options);
        try
        {
            group.Run((reactor, worker) => StartWorker(reactor, worker, firstHost, output, onListening));
        }
        catch (AggregateException e)
        {
            var first = e.InnerExceptions.OfType<ReactorWorkerException>().OrderBy(w => w.Worker).First().InnerException!;
            if (first is BadListenException bad) return Usage(error, bad.Message);
            error.WriteLine($"{Tool}: cannot listen on '{Listen}': {first.Message}");
            return ExitCodes.Failure;
        }
        output.WriteLine($"{Tool}: stopped");
        return ExitCodes.Success;
    }

    private async Deferred StartWorker(Reactor reactor, int worker, TaskCompletionSource<EndPoint?> firstHost,
        TextWriter output, Action<Reactor, IListeningPort>? onListening)
    {
        try
        {
            EndPoint? host = null;
            if (worker > 0)
            {
                // Resumes on this reactor's thread (its synchronization context) once worker 0 listens.
                host = await firstHost.Task;
                if (host is null) return;   // worker 0 failed and reports it
            }
            IStreamServerEndpoint endpoint;
            try
            {
                endpoint = Endpoints.Server(reactor, ForWorker(Listen, Workers, host));
            }
            catch (Exception e) when (e is ArgumentException or FormatException or NotSupportedException)
            {
                throw new BadListenException($"bad --listen '{Listen}': {e.Message}", e);
            }
            var factory = Factory(reactor);
            if (Verbose) factory = new WorkerFactory(factory, peer => output.WriteLine($"{Tool}: worker {worker}: connection from {peer}"));
            var port = await endpoint.Listen(factory);
            if (worker == 0) firstHost.TrySetResult(port.Host);
            output.WriteLine(Workers == 1
                ? $"{Tool}: {Describe(port.Host)} (Ctrl-C stops)"
                : $"{Tool}: worker {worker} {Describe(port.Host)} (Ctrl-C stops)");
            output.Flush();
            onListening?.Invoke(reactor, port);
        }
        catch
        {
            if (worker == 0) firstHost.TrySetResult(null);
            throw;
        }
    }

    private int Usage(TextWriter error, string message)
    {
        error.WriteLine($"{Tool}: {message}");
        error.WriteLine($"Run '{Tool} --help' for usage.");
        return ExitCodes.Usage;
    }

    private static bool IsTcp(string type) =>
        type is "tcp" or "ssl" || type.Equals("tcp6", StringComparison.OrdinalIgnoreCase);

    private static bool IsAdopted(string type) =>
        type.Equals("systemd", StringComparison.OrdinalIgnoreCase) || type.Equals("adopt", StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether several workers can listen on <paramref name="listen"/>; if not, why.</summary>
    internal static bool CanShare(string listen, out string why)
    {
        string type = Endpoints.Parse(listen).Positional[0];
        why = type switch
        {
            _ when IsTcp(type) || IsAdopted(type) => "",
            "unix" => "a Unix socket's path can be bound once",
            _ => $"'{type}' endpoints cannot be shared",
        };
        return why.Length == 0;
    }

    /// <summary>
    /// The endpoint string worker N uses: for one worker, <paramref name="listen"/> itself; for several, TCP types get
    /// <c>reusePort=true</c> and, once worker 0 listens (<paramref name="firstHost"/>), its port in place of the given one.
    /// </summary>
    internal static string ForWorker(string listen, int workers, EndPoint? firstHost)
    {
        if (workers == 1) return listen;
        var parsed = Endpoints.Parse(listen);
        string type = parsed.Positional[0];
        if (!IsTcp(type)) return listen;
        var positional = parsed.Positional.Skip(1).ToList();
        var keywords = new Dictionary<string, string>(parsed.Keywords, StringComparer.Ordinal) { ["reusePort"] = "true" };
        if (firstHost is IPEndPoint ip)
        {
            string port = ip.Port.ToString(CultureInfo.InvariantCulture);
            if (keywords.ContainsKey("port") || positional.Count == 0) keywords["port"] = port;
            else positional[0] = port;
        }
        static string Quote(string s) => Endpoints.QuoteStringArgument(s).Replace("=", "\\=", StringComparison.Ordinal);
        return string.Join(':', new[] { type }
            .Concat(positional.Select(Quote))
            .Concat(keywords.Select(k => $"{Quote(k.Key)}={Endpoints.QuoteStringArgument(k.Value)}")));
    }

    /// <summary>A --listen that does not parse: a usage error, not a failure to listen.</summary>
    private sealed class BadListenException(string message, Exception inner) : Exception(message, inner);

    /// <summary>A factory that reports each connection before its own factory builds the protocol (--verbose).</summary>
    private sealed class WorkerFactory(IProtocolFactory inner, Action<EndPoint> onConnection) : IProtocolFactory
    {
        public IProtocol? BuildProtocol(EndPoint address)
        {
            onConnection(address);
            return inner.BuildProtocol(address);
        }

        public void DoStart() => inner.DoStart();

        public void DoStop() => inner.DoStop();
    }
}

using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography;
using Twine.Defer;
using Twine.Net.Tls;
using Twine.Reactors;
using Twine.Web.Client;

namespace Twine.Cli;

/// <summary>
/// <c>twine get URL</c>: a small curl on Twine's HTTP client. The body goes to stdout or <c>-o FILE</c>; <c>-v</c> prints
/// the request and response heads to stderr; writing to a file draws a progress bar on a terminal (a byte count
/// otherwise). Exit codes: 0 for 2xx and 3xx, 1 for an error status (the body is still written), 2 for bad arguments,
/// 3 for a network or protocol error (one line on stderr).
/// </summary>
internal static class GetCommand
{
    /// <summary>A network or protocol error: no usable response.</summary>
    public const int NetworkError = 3;

    /// <summary>What one run was asked to do.</summary>
    internal sealed record GetOptions(
        string Url, string? Output, string Method, IReadOnlyList<KeyValuePair<string, string>> Headers, byte[]? Body,
        bool Head, bool Follow, bool Verbose, TimeSpan? Timeout, bool Insecure, string? CaCert);

    public static Command Create(bool installSignalHandlers)
    {
        var url = new Argument<string>("url") { Description = "The http:// or https:// URL to fetch." };
        var output = new Option<string?>("--output", "-o") { Description = "Write the body to FILE instead of stdout.", HelpName = "FILE" };
        var method = new Option<string?>("--request", "-X") { Description = "The method (default GET, or POST with -d).", HelpName = "METHOD" };
        var headers = new Option<string[]>("--header", "-H")
        {
            Description = "An extra request header, \"Name: value\" (repeatable).",
            HelpName = "HEADER",
            AllowMultipleArgumentsPerToken = false,
        };
        var data = new Option<string?>("--data", "-d") { Description = "Send DATA as the request body (UTF-8).", HelpName = "DATA" };
        var dataFile = new Option<string?>("--data-file") { Description = "Send the contents of FILE as the request body.", HelpName = "FILE" };
        var head = new Option<bool>("--head", "-I") { Description = "Send HEAD and print the response head." };
        var location = new Option<bool>("--location", "-L") { Description = "Follow redirects (at most 20; never from https to http)." };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Print the request and response heads to stderr." };
        var timeout = new Option<double?>("--timeout") { Description = "Give up after SECONDS (the whole transfer).", HelpName = "SECONDS" };
        var insecure = new Option<bool>("--insecure", "-k") { Description = "Do not verify the server's certificate (https)." };
        var cacert = new Option<string?>("--cacert") { Description = "Trust the CA certificates in this PEM file instead of the system's.", HelpName = "FILE" };
        var get = new Command("get", "Fetch a URL over HTTP/1.1 or HTTPS, like a small curl.")
        {
            url, output, method, headers, data, dataFile, head, location, verbose, timeout, insecure, cacert,
        };
        get.SetAction(parse =>
        {
            var error = parse.InvocationConfiguration.Error;
            if (parse.GetValue(data) is not null && parse.GetValue(dataFile) is not null)
                return Usage(error, "-d/--data and --data-file cannot be used together.");
            var parsedHeaders = new List<KeyValuePair<string, string>>();
            foreach (var h in parse.GetValue(headers) ?? [])
            {
                int colon = h.IndexOf(':');
                if (colon <= 0) return Usage(error, $"bad header '{h}': expected \"Name: value\".");
                parsedHeaders.Add(new(h[..colon].Trim(), h[(colon + 1)..].Trim()));
            }
            byte[]? body = null;
            if (parse.GetValue(data) is { } d) body = System.Text.Encoding.UTF8.GetBytes(d);
            if (parse.GetValue(dataFile) is { } file)
            {
                try
                {
                    body = File.ReadAllBytes(file);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    return Usage(error, $"cannot read --data-file '{file}': {e.Message}");
                }
            }
            var seconds = parse.GetValue(timeout);
            if (seconds is <= 0 or double.NaN) return Usage(error, "--timeout must be a positive number of seconds.");
            bool isHead = parse.GetValue(head);
            var options = new GetOptions(parse.GetValue(url)!, parse.GetValue(output),
                parse.GetValue(method) ?? (isHead ? "HEAD" : body is null ? "GET" : "POST"), parsedHeaders, body, isHead,
                parse.GetValue(location), parse.GetValue(verbose), seconds is { } s ? TimeSpan.FromSeconds(s) : null,
                parse.GetValue(insecure), parse.GetValue(cacert));
            bool toConsole = ReferenceEquals(parse.InvocationConfiguration.Output, Console.Out);
            bool terminal = ReferenceEquals(error, Console.Error) && !Console.IsErrorRedirected;
            return Run(options, parse.InvocationConfiguration.Output, toConsole ? Console.OpenStandardOutput() : null, error, terminal,
                new ReactorOptions { InstallSignalHandlers = installSignalHandlers });
        });
        return get;
    }

    private static int Usage(TextWriter error, string message)
    {
        error.WriteLine($"twine get: {message}");
        error.WriteLine("Run 'twine get --help' for usage.");
        return ExitCodes.Usage;
    }

    /// <summary>
    /// Fetches as <paramref name="options"/> say. The body goes to the file, to <paramref name="stdout"/> when given (the
    /// real standard output, bytes as they are), or else to <paramref name="output"/> as UTF-8 text (tests).
    /// </summary>
    public static int Run(GetOptions options, TextWriter output, Stream? stdout, TextWriter error, bool terminal, ReactorOptions reactorOptions)
    {
        if (!Uri.TryCreate(options.Url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            return Usage(error, $"'{options.Url}' is not an http:// or https:// URL.");
        Func<string, TlsClientOptions> tls;
        try
        {
            var roots = options.CaCert is { } path ? TlsClientOptions.LoadTrustRoots(path) : null;
            tls = host => new TlsClientOptions { HostName = host, VerifyCertificate = !options.Insecure, TrustRoots = roots };
        }
        catch (Exception e) when (e is IOException or CryptographicException or ArgumentException or UnauthorizedAccessException)
        {
            return Usage(error, $"cannot load --cacert '{options.CaCert}': {e.Message}");
        }

        using var reactor = Reactor.Create(reactorOptions);
        int exit = NetworkError;
        reactor.CallWhenRunning(() => Fetch(reactor, options, tls, output, stdout, error, terminal).AddBoth(outcome =>
        {
            if (outcome.Failure is { } failure)
            {
                var cause = failure.Value is DeferredTimeoutException or CancelledException
                    ? $"timed out after {options.Timeout?.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s"
                    : OneLine(failure.Value);
                error.WriteLine($"twine get: {cause}");
                exit = NetworkError;
            }
            else exit = outcome.Value;
            reactor.Stop();
        }));
        reactor.Run();
        return exit;
    }

    private static Deferred<int> Fetch(Reactor reactor, GetOptions options, Func<string, TlsClientOptions> tls,
        TextWriter output, Stream? stdout, TextWriter error, bool terminal)
    {
        IAgent agent = new Agent(reactor, tlsOptions: tls);
        if (options.Follow) agent = new RedirectAgent(agent);
        if (options.Verbose) WriteRequestHead(error, options);
        Deferred<Unit>? bodyDone = null;
        BodyWriter? writer = null;
        var request = agent.Request(options.Method, options.Url, options.Headers, options.Body is null ? null : new BytesBodyProducer(options.Body));
        var result = request.AddCallback(response =>
        {
            if (options.Verbose) WriteResponseHead(error, response);
            if (options.Head)
            {
                WriteResponseHead(output, response, prefix: "");
                output.Flush();
            }
            Stream target = options.Output is { } file ? File.Create(file) : stdout ?? new MemoryStream();
            writer = new BodyWriter(target, options.Output is not null ? new DownloadProgress(error, terminal, response.Length, options.Output) : null);
            bodyDone = writer.Done;
            response.DeliverBody(writer);
            return writer.Done.AddBoth(outcome =>
            {
                writer.Close();
                if (options.Output is null && stdout is null) output.Write(System.Text.Encoding.UTF8.GetString(((MemoryStream)target).ToArray()));
                output.Flush();
                outcome.Failure?.RaiseException();
                return response.Code >= 400 ? ExitCodes.Failure : ExitCodes.Success;
            });
        });
        if (options.Timeout is { } limit)
        {
            var timer = reactor.CallLater(limit, () =>
            {
                if (!request.Called) request.Cancel();
                else writer?.Stop(new TimeoutException($"timed out after {limit.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s"));
            });
            result.AddBoth(() =>
            {
                if (timer.IsActive) timer.Cancel();
            });
        }
        return result;
    }

    private static void WriteRequestHead(TextWriter error, GetOptions options)
    {
        var uri = new Uri(options.Url);
        error.WriteLine($"> {options.Method} {uri.PathAndQuery} HTTP/1.1");
        if (!options.Headers.Any(h => h.Key.Equals("Host", StringComparison.OrdinalIgnoreCase)))
            error.WriteLine($"> Host: {uri.Authority}");
        foreach (var (name, value) in options.Headers) error.WriteLine($"> {name}: {value}");
        if (options.Body is { } body) error.WriteLine($"> Content-Length: {body.Length}");
        error.WriteLine(">");
    }

    private static void WriteResponseHead(TextWriter writer, Response response, string prefix = "< ")
    {
        writer.WriteLine($"{prefix}HTTP/{response.Version.Major}.{response.Version.Minor} {response.Code} {response.Phrase}".TrimEnd());
        foreach (var (name, value) in response.Headers) writer.WriteLine($"{prefix}{name}: {value}");
        writer.WriteLine(prefix.TrimEnd());
    }

    /// <summary>The error's message on one line, with its type when the message alone is vague.</summary>
    private static string OneLine(Exception e)
    {
        var message = e.Message.ReplaceLineEndings(" ");
        return e is HttpClientException || e.InnerException is null ? message : $"{message} ({OneLine(e.InnerException)})";
    }
}

using System.Net;
using System.Net.Sockets;
using System.Text;
using Twine.Defer;
using Twine.Interop.Tests.Framing;
using Twine.Interop.Tests.Peers;
using Twine.Web.Client;

namespace Twine.Interop.Tests.Web;

/// <summary>
/// Twine's Agent with a persistent pool against servers nobody here wrote, on 127.0.0.1: nginx (Debian's, started
/// in the foreground with a generated configuration in a temporary directory) for static files, ranges and keep-alive,
/// and Node's <c>http</c> module for chunked bodies over keep-alive (HC1, HC7).
/// </summary>
public sealed class AgentPeerServersTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("twine-agent-peers-").FullName;
    private readonly byte[] _data = Enumerable.Range(0, 300_000).Select(i => (byte)(i * 7 + (i >> 9))).ToArray();

    public AgentPeerServersTests()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "www"));
        File.WriteAllBytes(Path.Combine(_dir, "www", "data.bin"), _data);
        File.WriteAllText(Path.Combine(_dir, "www", "hello.txt"), "hello from nginx");
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>An ephemeral port that was free a moment ago (nginx needs a number in its configuration).</summary>
    private static int FreePort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    private ChildProcess StartNginx(out int port)
    {
        Assert.True(File.Exists("/usr/sbin/nginx"), "nginx is missing: install Debian's nginx (listed in .ci/packages/http-client.txt).");
        port = FreePort();
        var conf = Path.Combine(_dir, "nginx.conf");
        File.WriteAllText(conf, $$"""
            daemon off;
            master_process off;
            pid {{_dir}}/nginx.pid;
            error_log stderr notice;
            events { worker_connections 256; }
            http {
                access_log off;
                client_body_temp_path {{_dir}}/body;
                proxy_temp_path {{_dir}}/proxy;
                fastcgi_temp_path {{_dir}}/fastcgi;
                uwsgi_temp_path {{_dir}}/uwsgi;
                scgi_temp_path {{_dir}}/scgi;
                keepalive_requests 10000;
                server {
                    listen 127.0.0.1:{{port}};
                    root {{_dir}}/www;
                }
            }
            """);
        var nginx = new ChildProcess("/usr/sbin/nginx", ["-e", "stderr", "-p", _dir, "-c", conf]);
        // Logged once the listening socket is open and the event loop is set up.
        nginx.WaitForStderr("using the");
        return nginx;
    }

    [Fact]
    public void AgentReadsStaticFilesRangesAndErrorsFromNginxOverKeptAliveConnections()
    {
        using var nginx = StartNginx(out int port);
        var url = $"http://127.0.0.1:{port}";
        using var reactor = InteropReactor.Create();
        Failure? failure = null;
        byte[]? data = null, range = null;
        string? contentRange = null;
        int rangeCode = 0, maxOpen = 0, idleAfter = 0;
        List<string>? hellos = null;
        Exception? missing = null;
        reactor.CallWhenRunning(() => Scenario().AddErrback(f => { failure = f; }).AddBoth(() => InteropReactor.StopSoon(reactor)));
        InteropReactor.RunGuarded(reactor, nginx.Report);
        failure?.RaiseException();

        Assert.Equal(_data, data);
        Assert.Equal(206, rangeCode);
        Assert.Equal($"bytes 1000-1999/{_data.Length}", contentRange);
        Assert.Equal(_data.AsSpan(1000, 1000).ToArray(), range);
        Assert.Equal(200, hellos!.Count);
        Assert.All(hellos, h => Assert.Equal("hello from nginx", h));
        Assert.InRange(maxOpen, 1, 2);
        Assert.InRange(idleAfter, 1, 2);
        Assert.Equal(404, Assert.IsType<HttpErrorStatusException>(missing).Code);

        async Deferred Scenario()
        {
            var pool = new HttpConnectionPool(reactor) { MaxConnectionsPerHost = 2 };
            var agent = new Agent(reactor, pool);
            data = await agent.GetPage($"{url}/data.bin");
            var ranged = await agent.Request("GET", $"{url}/data.bin", [new("Range", "bytes=1000-1999")]);
            rangeCode = ranged.Code;
            contentRange = ranged.Headers.Get("Content-Range");
            range = await ranged.ReadBody(10_000);
            var pages = Enumerable.Range(0, 200).Select(_ => agent.GetPage($"{url}/hello.txt")
                .AddCallback(p =>
                {
                    maxOpen = Math.Max(maxOpen, pool.OpenConnections);
                    return Encoding.UTF8.GetString(p);
                })).ToList();
            hellos = [.. await Deferred.GatherResults(pages)];
            try
            {
                await agent.GetPage($"{url}/missing.txt");
            }
            catch (HttpErrorStatusException e)
            {
                missing = e;
            }
            idleAfter = pool.IdleConnections;
            await pool.CloseIdleConnections();
        }
    }

    [Fact]
    public void AgentReadsChunkedAndFixedBodiesFromNodeOverOneConnection()
    {
        Assert.True(File.Exists("/usr/bin/node"), "node is missing: install Debian's nodejs (listed in .ci/packages/http-client.txt).");
        const string script = """
            const http = require('http');
            const server = http.createServer((req, res) => {
              if (req.url === '/chunked') {
                res.writeHead(200, {'Content-Type': 'text/plain'});
                for (let i = 0; i < 50; i++) res.write('chunk ' + i + ';');
                res.end();
              } else if (req.url === '/peer') {
                res.end(String(req.socket.remotePort));
              } else {
                let body = '';
                req.on('data', d => body += d);
                req.on('end', () => res.end(req.method + ' ' + (req.headers['transfer-encoding'] || 'length') + ' ' + body));
              }
            });
            server.keepAliveTimeout = 60000;
            server.listen(0, '127.0.0.1', () => console.log('PORT ' + server.address().port));
            """;
        using var node = new ChildProcess("/usr/bin/node", ["-e", script]);
        var line = node.WaitForLine(l => l.StartsWith("PORT ", StringComparison.Ordinal), "its PORT line");
        var url = $"http://127.0.0.1:{int.Parse(line.AsSpan(5), System.Globalization.CultureInfo.InvariantCulture)}";

        using var reactor = InteropReactor.Create();
        Failure? failure = null;
        string? chunked = null, coding = null, posted = null;
        var peers = new List<string>();
        reactor.CallWhenRunning(() => Scenario().AddErrback(f => { failure = f; }).AddBoth(() => InteropReactor.StopSoon(reactor)));
        InteropReactor.RunGuarded(reactor, node.Report);
        failure?.RaiseException();

        Assert.Equal(string.Concat(Enumerable.Range(0, 50).Select(i => $"chunk {i};")), chunked);
        Assert.Equal("chunked", coding);
        Assert.Equal("POST chunked streamed body", posted);
        Assert.Single(peers.Distinct());

        async Deferred Scenario()
        {
            var pool = new HttpConnectionPool(reactor) { MaxConnectionsPerHost = 1 };
            var agent = new Agent(reactor, pool);
            peers.Add(Encoding.UTF8.GetString(await agent.GetPage($"{url}/peer")));
            var response = await agent.Request("GET", $"{url}/chunked");
            coding = response.Headers.Get("Transfer-Encoding");
            chunked = Encoding.UTF8.GetString(await response.ReadBody(100_000));
            var post = await agent.Request("POST", $"{url}/echo", null, new Streamed(["streamed ", "body"]));
            posted = Encoding.UTF8.GetString(await post.ReadBody(1000));
            peers.Add(Encoding.UTF8.GetString(await agent.GetPage($"{url}/peer")));
            await pool.CloseIdleConnections();
        }
    }

    /// <summary>A body of unknown length, so it goes chunked.</summary>
    private sealed class Streamed(string[] pieces) : IBodyProducer
    {
        public long? Length => null;

        public Deferred<Unit> StartProducing(Twine.Net.IConsumer consumer)
        {
            foreach (var piece in pieces) consumer.Write(Encoding.UTF8.GetBytes(piece));
            return Deferred.Succeed();
        }

        public void PauseProducing() { }
        public void ResumeProducing() { }
        public void StopProducing() { }
    }
}

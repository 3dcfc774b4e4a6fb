using System.Text;
using Twine.Net;
using Twine.Testing;
using Twine.Time;
using Twine.Web.Server;

namespace Twine.Web.Tests;

/// <summary>One server connection over a MemoryTransport, on manual time: send bytes, read parsed responses.</summary>
internal sealed class HttpHarness
{
    public HttpHarness(IResource? root = null, HttpServerOptions? options = null)
    {
        Clock = new Clock();
        Root = root ?? new RecordingResource();
        Site = new Site(Root, Clock, options, new FixedTime()) { LogRequests = false };
        Transport = new MemoryTransport();
        Protocol = Site.BuildProtocol(Transport.Peer)!;
        Protocol.MakeConnection(Transport);
    }

    public Clock Clock { get; }
    public IResource Root { get; }
    public Site Site { get; }
    public MemoryTransport Transport { get; }
    public IProtocol Protocol { get; }

    public RecordingResource Recorder => (RecordingResource)Root;

    public HttpHarness Send(string text)
    {
        Protocol.DataReceived(Encoding.Latin1.GetBytes(text));
        return this;
    }

    public HttpHarness Send(byte[] bytes)
    {
        Protocol.DataReceived(bytes);
        return this;
    }

    /// <summary>Sends <paramref name="text"/> one byte at a time.</summary>
    public HttpHarness Trickle(string text)
    {
        foreach (var b in Encoding.Latin1.GetBytes(text)) Protocol.DataReceived([b]);
        return this;
    }

    public string Output => Transport.ValueAsString();

    public List<WireResponse> Responses(params string[] requestMethods) => WireResponse.ParseAll(Transport.Value(), requestMethods);

    public WireResponse Single(string method = "GET")
    {
        var all = Responses(method);
        Assert.Single(all);
        return all[0];
    }

    public bool Closed => Transport.Disconnecting;

    /// <summary>A wall clock stuck at a known instant, so Date headers are predictable.</summary>
    private sealed class FixedTime : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => new(2026, 12, 2, 10, 0, 0, TimeSpan.Zero);
    }
}

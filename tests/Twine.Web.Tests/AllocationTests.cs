using System.Text;
using Twine.Testing;
using Twine.Time;

namespace Twine.Web.Tests;

/// <summary>
/// What one keep-alive request costs the garbage collector on the server path (parse, dispatch, render a fixed body,
/// respond). Bytes are counted, not time, so the check does not depend on the machine's load.
/// </summary>
public class AllocationTests
{
    private static readonly byte[] s_body = "OK"u8.ToArray();

    private sealed class Fixed : Resource
    {
        public override bool IsLeaf => true;
        protected override RenderResult RenderGet(Request request) => s_body;
    }

    [Fact]
    public void AKeepAliveGetAllocatesLittleBeyondTheRequestObject()
    {
        var site = new Site(new Fixed(), new Clock()) { LogRequests = false };
        var transport = new MemoryTransport();
        var protocol = site.BuildProtocol(transport.Peer)!;
        protocol.MakeConnection(transport);
        var request = Encoding.ASCII.GetBytes("GET /plaintext HTTP/1.1\r\nHost: localhost:8080\r\nUser-Agent: bench\r\nAccept: */*\r\n\r\n");
        for (int i = 0; i < 1000; i++)
        {
            protocol.DataReceived(request);      // warm up: caches, status lines, the Date line, JIT tiers
            transport.Clear();
        }
        const int n = 10_000;
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < n; i++)
        {
            protocol.DataReceived(request);
            transport.Clear();
        }
        long perRequest = (GC.GetAllocatedBytesForCurrentThread() - before) / n;
        Assert.Contains("HTTP/1.1 200 OK", Encoding.ASCII.GetString(transport.Value().Length == 0 ? Send(protocol, transport, request) : transport.Value()));
        // Measured at 440 bytes (about 830 before the response header list, the path segment lists and the rarely used
        // request state were made on first use, and the closure and boxed enumerator per request went): the Request,
        // its RequestHead, the copied head bytes, the field index and the header view. The bound sits just above, to
        // catch regressions (a string per header, a closure or timer per request).
        Assert.True(perRequest <= 464, $"{perRequest} bytes allocated per request");
    }

    private static byte[] Send(Twine.Net.IProtocol protocol, MemoryTransport transport, byte[] request)
    {
        protocol.DataReceived(request);
        return transport.Value();
    }
}

using System.Diagnostics;
using System.Text;
using Twine.Testing;
using Twine.Time;

namespace Twine.Web.Tests;

/// <summary>
/// Hundreds of thousands of random and mutated requests, each fed in random pieces to a fresh connection: the server
/// must never throw, never hang, and every connection must end in well-formed responses or a close, once the timers
/// have had their say.
/// </summary>
public class RandomInputTests
{
    private static readonly string[] s_seeds =
    [
        "GET / HTTP/1.1\r\nHost: a\r\n\r\n",
        "POST /p?x=1 HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello",
        "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5;e=1\r\nhello\r\n0\r\nT: 1\r\n\r\n",
        "GET http://x/y HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
        "PUT /u HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\nok",
        "OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\nHEAD / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n",
    ];

    private static readonly byte[] s_interesting = "\r\n :;,\t\0\x7f\"\\/%0123456789abcdefABCDEF-+?#*"u8.ToArray();

    [Fact]
    public void RandomAndMutatedRequestsEndInResponsesOrAClose()
    {
        var random = new Random(9);
        var options = new HttpServerOptionsForFuzz().Options;
        var root = new DelegateResource(r => r.Method == "HEAD" ? "" : r.ReadBody(1000));
        var clock = new Clock();
        var site = new Site(root, clock, options) { LogRequests = false };
        var stopwatch = Stopwatch.StartNew();
        int cases = 0;
        for (; cases < 300_000; cases++)
        {
            var input = cases % 10 == 0 ? RandomBytes(random) : Mutate(random, Encoding.Latin1.GetBytes(s_seeds[random.Next(s_seeds.Length)]));
            var transport = new MemoryTransport();
            var protocol = site.BuildProtocol(transport.Peer)!;
            protocol.MakeConnection(transport);
            for (int pos = 0; pos < input.Length && !transport.Disconnecting;)
            {
                int n = Math.Min(input.Length - pos, 1 + random.Next(input.Length));
                protocol.DataReceived(input.AsSpan(pos, n));
                pos += n;
            }
            clock.Advance(TimeSpan.FromMinutes(5));   // every header, body and idle timer is due by now
            if (!transport.Disconnecting) Assert.Fail($"Connection left open after {Escape(input)}");
            var wire = transport.Value();
            // Every byte written parses as complete responses (skipped when a HEAD may be among them: its body is absent).
            if (wire.Length > 0 && !Encoding.Latin1.GetString(input).Contains("HEAD"))
            {
                try
                {
                    Assert.All(WireResponse.ParseAll(wire, ["GET"]), r => Assert.InRange(r.Code, 100, 599));
                }
                catch (FormatException e)
                {
                    Assert.Fail($"Malformed output for {Escape(input)}: {e.Message}\n{Escape(wire)}");
                }
            }
            protocol.ConnectionLost(new Twine.Failure(new Twine.Net.ConnectionDoneException()));
        }
        Assert.Equal(300_000, cases);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromMinutes(2), $"took {stopwatch.Elapsed}");
    }

    private static byte[] RandomBytes(Random random)
    {
        var bytes = new byte[random.Next(1, 200)];
        for (int i = 0; i < bytes.Length; i++)
            bytes[i] = random.Next(3) == 0 ? s_interesting[random.Next(s_interesting.Length)] : (byte)random.Next(256);
        return bytes;
    }

    private static byte[] Mutate(Random random, byte[] seed)
    {
        var list = new List<byte>(seed);
        int mutations = 1 + random.Next(4);
        for (int m = 0; m < mutations && list.Count > 0; m++)
        {
            int at = random.Next(list.Count);
            switch (random.Next(6))
            {
                case 0: list[at] = s_interesting[random.Next(s_interesting.Length)]; break;
                case 1: list.RemoveAt(at); break;
                case 2: list.Insert(at, s_interesting[random.Next(s_interesting.Length)]); break;
                case 3: list[at] = (byte)random.Next(256); break;
                case 4: list.RemoveRange(at, Math.Min(list.Count - at, random.Next(1, 10))); break;     // truncate a piece
                default: list.InsertRange(at, list.GetRange(0, Math.Min(at, random.Next(1, 40)))); break;  // duplicate a piece
            }
        }
        return list.ToArray();
    }

    private static string Escape(byte[] bytes) =>
        string.Concat(bytes.Select(b => b is >= 0x20 and < 0x7f ? ((char)b).ToString() : $"\\x{b:x2}"));

    private sealed class HttpServerOptionsForFuzz
    {
        // Small limits so random input reaches them often.
        public Twine.Web.Server.HttpServerOptions Options { get; } = new()
        {
            MaxRequestLineLength = 64,
            MaxHeaderSectionLength = 128,
            MaxHeaderFields = 6,
            MaxBodyLength = 64,
            MaxChunkSizeLine = 16,
            MaxPipelinedRequests = 3,
        };
    }
}

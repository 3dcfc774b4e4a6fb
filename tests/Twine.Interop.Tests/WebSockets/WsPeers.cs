using System.Globalization;
using System.Reflection;
using Twine.Interop.Tests.Peers;

namespace Twine.Interop.Tests.WebSockets;

/// <summary>Starts the WebSocket peers: ws_peer.py (websockets, Autobahn on Twisted and on asyncio) and ws_peer.js (Node's ws).</summary>
internal static class WsPeers
{
    public const string Node = "/usr/bin/node";

    /// <summary>Where .ci/install-node-ws.sh puts Node's ws: next to this project's sources.</summary>
    private static string NodeModules => Path.Combine(
        typeof(WsPeers).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().First(a => a.Key == "InteropSourceDir").Value!, "node", "node_modules");

    public static ChildProcess Start(string library, string[] args)
    {
        if (library == "node")
        {
            if (!File.Exists(Path.Combine(NodeModules, "ws", "package.json")))
                Assert.Fail($"Node's ws is not installed in {NodeModules}: run `bash .ci/install-node-ws.sh` (bash .ci/run does).");
            return new ChildProcess(Node, [Path.Combine(TwistedPeer.PeersDirectory, "ws_peer.js"), .. args], TwistedPeer.PeersDirectory,
                new Dictionary<string, string?> { ["NODE_PATH"] = NodeModules });
        }
        TwistedPeer.RequireTwisted();
        return new ChildProcess(TwistedPeer.Python, ["-u", Path.Combine(TwistedPeer.PeersDirectory, "ws_peer.py"), args[0], library, .. args[1..]],
            TwistedPeer.PeersDirectory, new Dictionary<string, string?> { ["PYTHONNOUSERSITE"] = "1", ["PYTHONPATH"] = null });
    }

    /// <summary>Starts an echo server; <paramref name="mode"/> is plain, deflate or deflate10 (websockets and node only).</summary>
    public static (ChildProcess Peer, int Port) StartServer(string library, string mode)
    {
        var peer = Start(library, ["server", mode]);
        try
        {
            var line = peer.WaitForLine(l => l.StartsWith("PORT ", StringComparison.Ordinal), "its PORT line");
            return (peer, int.Parse(line.AsSpan(5), CultureInfo.InvariantCulture));
        }
        catch
        {
            peer.Dispose();
            throw;
        }
    }

    /// <summary>Sizes every peer exchanges; 16 MiB goes to the peers fast enough at it (Autobahn validates UTF-8 in Python).</summary>
    public static int[] Sizes(string library) => library.StartsWith("autobahn", StringComparison.Ordinal)
        ? [0, 1, 125, 126, 65535, 65536, 1 << 20]
        : [0, 1, 125, 126, 65535, 65536, 1 << 20, 16 << 20];

    public static (byte[] Data, string Text) Payloads(int size, Random random)
    {
        var data = new byte[size];
        random.NextBytes(data.AsSpan(0, size / 2));
        // "twine-é€-" is 12 UTF-8 bytes; repeat it, then trim whole characters until the byte count fits.
        var text = string.Concat(Enumerable.Repeat("twine-é€-", size / 12 + 1));
        int chars = Math.Min(text.Length, size);
        while (System.Text.Encoding.UTF8.GetByteCount(text.AsSpan(0, chars)) > size) chars--;
        text = text[..chars];
        return (data, text);
    }
}

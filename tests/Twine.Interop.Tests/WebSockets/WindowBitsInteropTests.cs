namespace Twine.Interop.Tests.WebSockets;

/// <summary>
/// WS18: .NET 10 cannot compress with a window under 15 bits, so Twine's server declines a permessage-deflate offer that
/// requires it (<c>server_max_window_bits</c> &lt; 15): against real clients, the handshake still succeeds, without
/// compression, or with the client's next offer when it made several.
/// </summary>
public class WindowBitsInteropTests
{
    [Theory]
    [InlineData("websockets", "smwb10", false)]
    [InlineData("websockets", "smwb10,plain", true)]
    [InlineData("websockets", "smwb9,smwb15", true)]
    [InlineData("autobahn-twisted", "smwb10", false)]
    [InlineData("autobahn-twisted", "smwb10,plain", true)]
    [InlineData("autobahn-twisted", "smwb12,smwb15", true)]
    public void AnOfferOfASmallServerWindowIsDeclinedAndTheHandshakeSucceeds(string library, string offers, bool compressed)
    {
        TwineEcho.RunPeerClient(null, url => WsPeers.Start(library, ["offer", url, offers]), (client, servers) =>
        {
            var lines = client.Lines;
            Assert.True(lines.Contains("OK 1") && lines.Contains("CLOSE 1000"), $"the {library} client did not complete{client.Report()}");
            // Twine compresses with 15 bits: an answer states no window, or 15 when the accepted offer named one.
            var extensions = Assert.Single(lines, l => l.StartsWith("EXT ", StringComparison.Ordinal));
            if (compressed) Assert.StartsWith("EXT permessage-deflate", extensions, StringComparison.Ordinal);
            else Assert.Equal("EXT none", extensions);
            Assert.DoesNotMatch("server_max_window_bits=(9|1[0-4])", extensions);
            Assert.Equal(offers.EndsWith("smwb15", StringComparison.Ordinal), extensions.Contains("server_max_window_bits=15", StringComparison.Ordinal));
            Assert.Equal(compressed, Assert.Single(servers).Compressed);
        });
    }
}

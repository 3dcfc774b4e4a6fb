using Twine.Net;

namespace EchoServer;

/// <summary>Twisted's classic echo protocol: whatever arrives is written straight back, bytes untouched.</summary>
public sealed class Echo : Protocol
{
    public override void DataReceived(ReadOnlySpan<byte> data) => Transport.Write(data);
}

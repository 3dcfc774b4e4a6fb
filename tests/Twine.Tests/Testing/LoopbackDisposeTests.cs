using Twine.Protocols;
using Twine.Testing;

namespace Twine.Tests.Testing;

/// <summary>ADISP1 on the in-memory transports: the loopback pump delivers the loss; a memory transport has none to wait for.</summary>
public sealed class LoopbackDisposeTests
{
    [Fact]
    public void ADISP1_LoopbackDisposalCompletesWhenThePumpDeliversTheLoss()
    {
        var server = new AccumulatingProtocol();
        var client = new AccumulatingProtocol();
        var pair = LoopbackPump.Connect(server, client);
        pair.ServerTransport.Write("last words"u8);

        var disposal = pair.ServerTransport.DisposeAsync();
        Assert.False(disposal.IsCompleted);
        Assert.True(pair.ServerTransport.Disconnecting);

        pair.Flush();
        Assert.True(disposal.IsCompletedSuccessfully);
        Assert.True(pair.ServerTransport.Closed);
        Assert.Equal("last words"u8.ToArray(), client.Data);
        Assert.True(pair.ServerTransport.DisposeAsync().IsCompletedSuccessfully);
    }

    [Fact]
    public void ADISP1_MemoryTransportDisposalLosesTheConnectionAndCompletesAtOnce()
    {
        var transport = new MemoryTransport();
        Assert.True(transport.DisposeAsync().IsCompletedSuccessfully);
        Assert.True(transport.Disconnecting);
    }
}

using System.Net;
using System.Text;
using Twine.Net;
using Twine.Protocols;
using Twine.Testing;

namespace Twine.Guide.Tests;

// docs/guide/protocols.md: a line protocol with state shared through its factory.

/// <summary>A tiny key-value store: "SET key value" answers "OK", "GET key" answers the value or "?".</summary>
public sealed class StoreProtocol : LineReceiver
{
    private readonly StoreFactory _factory;

    public StoreProtocol(StoreFactory factory) => _factory = factory;

    public override void ConnectionMade() => _factory.Connected++;

    public override void ConnectionLost(Failure reason) => _factory.Connected--;

    protected override void LineReceived(ReadOnlySpan<byte> line)
    {
        var words = Encoding.UTF8.GetString(line).Split(' ', 3);
        switch (words)
        {
            case ["SET", var key, var value]:
                _factory.Values[key] = value;
                SendLine("OK");
                break;
            case ["GET", var key]:
                SendLine(_factory.Values.GetValueOrDefault(key, "?"));
                break;
            default:
                SendLine("ERROR unknown command");
                Transport.LoseConnection();   // bad input closes this connection only
                break;
        }
    }
}

/// <summary>One per listening port: the state every connection shares, and the protocol each one gets.</summary>
public sealed class StoreFactory : Factory
{
    public Dictionary<string, string> Values { get; } = new();

    public int Connected { get; set; }

    public override IProtocol? BuildProtocol(EndPoint address) => new StoreProtocol(this) { Factory = this };
}

public sealed class Protocols
{
    [Fact]
    public void TheStoreRemembersAcrossConnections()
    {
        var factory = new StoreFactory();
        var first = new MemoryTransport();
        var protocol = factory.BuildProtocol(first.Peer)!;
        protocol.MakeConnection(first);
        protocol.DataReceived("SET colour blue\r\nGET colour\r\n"u8);
        Assert.Equal("OK\r\nblue\r\n", first.ValueAsString());

        var second = new MemoryTransport();
        var other = factory.BuildProtocol(second.Peer)!;
        other.MakeConnection(second);
        other.DataReceived("GET colour\r\nGET size\r\n"u8);
        Assert.Equal("blue\r\n?\r\n", second.ValueAsString());
        Assert.Equal(2, factory.Connected);
    }

    [Fact]
    public void AnUnknownCommandClosesOnlyThatConnection()
    {
        var factory = new StoreFactory();
        var transport = new MemoryTransport();
        var protocol = factory.BuildProtocol(transport.Peer)!;
        protocol.MakeConnection(transport);
        protocol.DataReceived("FROB\r\n"u8);
        Assert.Equal("ERROR unknown command\r\n", transport.ValueAsString());
        Assert.True(transport.Disconnecting);
    }
}

using System.Net;
using ChatServer;
using Twine.Testing;

namespace Twine.Interop.Tests.Samples;

/// <summary>The chat server's factory with users connected in memory, one loopback pump each.</summary>
internal sealed class ChatRoom
{
    private readonly List<ConnectedPair<Chat, ChatTerminal>> _pairs = [];

    public ChatFactory Factory { get; } = new() { Noisy = false };

    /// <summary>Connects a new user (built by the factory, as a port would) and delivers the greeting.</summary>
    public ConnectedPair<Chat, ChatTerminal> Join()
    {
        var chat = (Chat)Factory.BuildProtocol(new IPEndPoint(IPAddress.Loopback, 40000 + _pairs.Count))!;
        var pair = LoopbackPump.Connect(chat, new ChatTerminal());
        _pairs.Add(pair);
        Flush();
        return pair;
    }

    /// <summary>Connects a user and picks <paramref name="name"/>; the greeting and welcome are consumed.</summary>
    public ChatTerminal JoinAs(string name)
    {
        var pair = Join();
        Say(pair.Client, name);
        Assert.Equal(["What's your name?", $"Welcome, {name}!"], pair.Client.Take());
        return pair.Client;
    }

    public void Say(ChatTerminal user, string line)
    {
        user.SendLine(line);
        Flush();
    }

    public ConnectedPair<Chat, ChatTerminal> PairOf(ChatTerminal user) => _pairs.Single(p => p.Client == user);

    /// <summary>Pumps every connection until the whole room is quiet (a broadcast crosses several pumps).</summary>
    public void Flush()
    {
        bool any;
        do
        {
            any = false;
            foreach (var pair in _pairs) any |= pair.Flush();
        } while (any);
    }
}

using System.Text;
using Twine.Net;

namespace Twine.Interop.Tests.Samples;

/// <summary>The chat server sample (samples/ChatServer), Twisted's classic LineReceiver chat, tested in memory.</summary>
public sealed class ChatServerTests
{
    [Fact]
    public void NewConnection_IsAskedForAName()
    {
        var room = new ChatRoom();
        var pair = room.Join();
        Assert.Equal(["What's your name?"], pair.Client.Take());
        Assert.Empty(room.Factory.Users);
    }

    [Fact]
    public void ChoosingAName_WelcomesAndJoins()
    {
        var room = new ChatRoom();
        room.JoinAs("alice");
        Assert.Equal(["alice"], room.Factory.Users.Keys);
    }

    [Fact]
    public void Message_GoesToEveryoneElse_NotTheSender()
    {
        var room = new ChatRoom();
        var alice = room.JoinAs("alice");
        var bob = room.JoinAs("bob");
        var carol = room.JoinAs("carol");

        room.Say(alice, "hi all");

        Assert.Empty(alice.Take());
        Assert.Equal(["<alice> hi all"], bob.Take());
        Assert.Equal(["<alice> hi all"], carol.Take());
    }

    [Fact]
    public void TakenName_IsRefused_AndAnotherCanBeChosen()
    {
        var room = new ChatRoom();
        var alice = room.JoinAs("alice");
        var pair = room.Join();

        room.Say(pair.Client, "alice");
        Assert.Equal(["What's your name?", "Name taken, please choose another."], pair.Client.Take());
        room.Say(pair.Client, "alice2");
        Assert.Equal(["Welcome, alice2!"], pair.Client.Take());

        room.Say(pair.Client, "hello");
        Assert.Equal(["<alice2> hello"], alice.Take());
    }

    [Fact]
    public void UserWithoutAName_HearsNothing()
    {
        var room = new ChatRoom();
        var alice = room.JoinAs("alice");
        var lurker = room.Join();
        lurker.Client.Take();

        room.Say(alice, "anyone?");

        Assert.Empty(lurker.Client.Take());
    }

    [Fact]
    public void Leaving_FreesTheName_AndStopsDelivery()
    {
        var room = new ChatRoom();
        var alice = room.JoinAs("alice");
        var bob = room.JoinAs("bob");

        room.PairOf(alice).ClientTransport.LoseConnection();
        room.Flush();
        Assert.True(alice.Lost);
        Assert.Equal(["bob"], room.Factory.Users.Keys);

        room.Say(bob, "still there?");
        Assert.Empty(alice.Take());

        var newAlice = room.JoinAs("alice");       // the name is free again
        room.Say(bob, "welcome back");
        Assert.Equal(["<bob> welcome back"], newAlice.Take());
    }

    [Fact]
    public void RefusedDuplicate_Leaving_DoesNotLogTheOwnerOut()
    {
        var room = new ChatRoom();
        room.JoinAs("alice");
        var impostor = room.Join();
        room.Say(impostor.Client, "alice");

        impostor.ClientTransport.LoseConnection();
        room.Flush();

        Assert.Equal(["alice"], room.Factory.Users.Keys);
    }

    // LR1: lines split anywhere (here, a byte at a time) and UTF-8 names and messages.
    [Fact]
    public void LinesArrivingByteByByte_AndUtf8_AreHandled_LR1()
    {
        var room = new ChatRoom();
        var bob = room.JoinAs("bob");
        var pair = room.Join();
        pair.Client.Take();

        foreach (var b in Encoding.UTF8.GetBytes("Zoë\r\nça va ? ✓\r\n"))
        {
            pair.ClientTransport.Write([b]);
            room.Flush();
        }

        Assert.Equal(["Welcome, Zoë!"], pair.Client.Take());
        Assert.Equal(["<Zoë> ça va ? ✓"], bob.Take());
    }

    // LR2: a line over LineReceiver's 16384-byte limit closes that user's connection only.
    [Fact]
    public void OverlongLine_ClosesOnlyThatUser_LR2()
    {
        var room = new ChatRoom();
        var alice = room.JoinAs("alice");
        var bob = room.JoinAs("bob");

        room.Say(alice, new string('x', 16385));

        Assert.True(alice.Lost);
        Assert.IsType<ConnectionDoneException>(room.PairOf(alice).ServerTransport.CloseReason?.Value);
        Assert.Empty(bob.Take());
        Assert.Equal(["bob"], room.Factory.Users.Keys);
        var carol = room.JoinAs("carol");
        room.Say(bob, "fine here");
        Assert.Equal(["<bob> fine here"], carol.Take());
    }
}

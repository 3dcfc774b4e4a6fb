using System.Text;
using Twine.Logging;
using Twine.Protocols;
using Twine.Testing;

namespace Twine.Tests.Protocols;

public sealed class StatefulStringProtocolTests
{
    private sealed class Login : Int16StringReceiver
    {
        public readonly List<string> Log = new();
        public readonly StatefulStringProtocol States;

        public Login()
        {
            States = new StatefulStringProtocol(this)
            {
                ["init"] = user => { Log.Add("user " + Encoding.ASCII.GetString(user)); return "password"; },
                ["password"] = pw => { Log.Add("pw " + Encoding.ASCII.GetString(pw)); return pw.SequenceEqual("ok"u8) ? "ready" : "done"; },
                ["ready"] = cmd => { Log.Add("cmd " + Encoding.ASCII.GetString(cmd)); return cmd.SequenceEqual("bye"u8) ? "done" : "ready"; },
            };
        }

        protected override void StringReceived(ReadOnlySpan<byte> payload) => States.StringReceived(payload);
    }

    private static byte[] Msg(string s) => [0, (byte)s.Length, .. Encoding.ASCII.GetBytes(s)];

    [Fact]
    public void IN6_DispatchesByStateAndTheReturnValueIsTheNextState()
    {
        var p = new Login();
        var t = new MemoryTransport();
        p.MakeConnection(t);
        Assert.Equal("init", p.States.State);
        p.DataReceived([.. Msg("alice"), .. Msg("ok"), .. Msg("ls")]);
        Assert.Equal(["user alice", "pw ok", "cmd ls"], p.Log);
        Assert.Equal("ready", p.States.State);
        Assert.False(t.Disconnecting);
    }

    [Fact]
    public void IN6_DoneLosesTheConnection()
    {
        var p = new Login();
        var t = new MemoryTransport();
        p.MakeConnection(t);
        p.DataReceived([.. Msg("alice"), .. Msg("wrong")]);
        Assert.Equal(StatefulStringProtocol.Done, p.States.State);
        Assert.True(t.Disconnecting);
    }

    [Fact]
    public void IN6_AnUnknownStateIsLoggedAndTheStringDropped()
    {
        var events = new List<LogEvent>();
        void Observe(LogEvent e) { lock (events) events.Add(e); }
        Log.Observed += Observe;
        try
        {
            var p = new Login();
            var t = new MemoryTransport();
            p.MakeConnection(t);
            p.States.State = "nowhere-xyzzy";
            p.DataReceived(Msg("hello"));
            Assert.Empty(p.Log);
            Assert.Equal("nowhere-xyzzy", p.States.State);
            lock (events) Assert.Contains(events, e => e.Message == "callback nowhere-xyzzy not found");
            Assert.False(t.Disconnecting);
        }
        finally
        {
            Log.Observed -= Observe;
        }
    }

    [Fact]
    public void IN6_WorksWithNetstringsToo()
    {
        var received = new List<string>();
        var p = new NetstringStates(received);
        var t = new MemoryTransport();
        p.MakeConnection(t);
        p.DataReceived("1:a,1:b,"u8);
        Assert.Equal(["first a", "second b"], received);
        Assert.True(t.Disconnecting);
    }

    private sealed class NetstringStates : NetstringReceiver
    {
        private readonly StatefulStringProtocol _states;
        public NetstringStates(List<string> received) =>
            _states = new StatefulStringProtocol(this, initialState: "first")
            {
                { "first", s => { received.Add("first " + Encoding.ASCII.GetString(s)); return "second"; } },
                { "second", s => { received.Add("second " + Encoding.ASCII.GetString(s)); return "done"; } },
            };
        protected override void StringReceived(ReadOnlySpan<byte> payload) => _states.StringReceived(payload);
    }
}

using System.Net;
using System.Text.RegularExpressions;
using Twine.Defer;
using Twine.Interop.Tests.Framing;
using Twine.Interop.Tests.Peers;
using Twine.Net;
using Twine.Net.Endpoints;

namespace Twine.Interop.Tests.Samples;

/// <summary>
/// The network samples over real loopback sockets: the echo server and client in one reactor, the same two as the
/// README runs them (separate processes), and the chat server with two users.
/// </summary>
public sealed partial class SampleProgramTests
{
    [Fact]
    public void EchoServerAndClient_InOneReactor_EchoEveryLine()
    {
        var output = new StringWriter { NewLine = "\n" };
        RunScenario(async reactor =>
        {
            var port = await EchoServer.Program.Listen(reactor, "tcp:0:interface=127.0.0.1");
            var client = await EchoClient.Program.Connect(reactor, $"tcp:host=127.0.0.1:port={PortOf(port)}", output);
            client.Send("hello");
            client.Send("wörld ✓");
            client.Send("");
            client.Finish();
            await client.Done;
            Assert.Equal(0, client.Unanswered);
            await port.StopListening();
        });
        Assert.Equal("echo: hello\necho: wörld ✓\necho: \n", output.ToString());
    }

    [Fact]
    public void EchoServerAndClient_AsTheReadmeRunsThem()
    {
        using var server = Dotnet("EchoServer.dll", "tcp:0:interface=127.0.0.1");
        var listening = server.WaitForLine(l => l.StartsWith("Echo server listening on ", StringComparison.Ordinal), "where it listens");
        var port = int.Parse(ListeningPort().Match(listening).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        var endpoint = $"tcp:host=127.0.0.1:port={port}";

        using (var client = Dotnet("EchoClient.dll", "--connect", endpoint, "hello", "wörld ✓"))
        {
            client.WaitForExit();
            Assert.True(client.ExitCode == 0, $"EchoClient exited with {client.ExitCode}{client.Report()}");
            Assert.Equal(["echo: hello", "echo: wörld ✓"], client.Lines);
        }

        using (var client = Dotnet("EchoClient.dll", "--connect", endpoint))
        {
            client.StandardInput.Write("from\nstandard input\n");
            client.StandardInput.Close();
            client.WaitForExit();
            Assert.True(client.ExitCode == 0, $"EchoClient exited with {client.ExitCode}{client.Report()}");
            Assert.Equal(["echo: from", "echo: standard input"], client.Lines);
        }

        // Ctrl-C and SIGTERM take the same path (RE9); SIGTERM is used because a test runner started in the
        // background may hand its children an ignored SIGINT.
        server.Signal(15);
        server.WaitForExit();
        Assert.Equal(128 + 15, server.ExitCode);
    }

    [Fact]
    public void ChatServer_OverLoopback_RelaysBetweenUsers()
    {
        RunScenario(async reactor =>
        {
            var factory = new ChatServer.ChatFactory { Noisy = false };
            var port = await Endpoints.Server(reactor, "tcp:0:interface=127.0.0.1").Listen(factory);
            var endpoint = Endpoints.Client(reactor, $"tcp:host=127.0.0.1:port={PortOf(port)}");
            var alice = await Endpoints.ConnectProtocol(endpoint, new ChatTerminal());
            var bob = await Endpoints.ConnectProtocol(endpoint, new ChatTerminal());

            Assert.Equal("What's your name?", await alice.NextLine());
            Assert.Equal("What's your name?", await bob.NextLine());
            alice.SendLine("alice");
            Assert.Equal("Welcome, alice!", await alice.NextLine());
            bob.SendLine("alice");
            Assert.Equal("Name taken, please choose another.", await bob.NextLine());
            bob.SendLine("bob");
            Assert.Equal("Welcome, bob!", await bob.NextLine());

            alice.SendLine("hi bob");
            Assert.Equal("<alice> hi bob", await bob.NextLine());
            bob.SendLine("hi alice");
            Assert.Equal("<bob> hi alice", await alice.NextLine());
            Assert.Empty(alice.Lines);
            Assert.Empty(bob.Lines);

            alice.Transport.LoseConnection();
            bob.Transport.LoseConnection();
            await port.StopListening();
        });
    }

    /// <summary>Runs <paramref name="scenario"/> on a real reactor (started once the loop runs), failing the test if it fails.</summary>
    private static void RunScenario(Func<Twine.Reactors.Reactor, Deferred> scenario)
    {
        using var reactor = InteropReactor.Create();
        Failure? failure = null;
        reactor.CallWhenRunning(() => scenario(reactor)
            .AddErrback(f => { failure = f; })
            .AddBoth(() => InteropReactor.StopSoon(reactor)));
        InteropReactor.RunGuarded(reactor, () => failure is null ? "." : $": {failure.GetTraceback(TracebackDetail.Default)}");
        if (failure is not null) failure.RaiseException();
    }

    private static int PortOf(IListeningPort port) => ((IPEndPoint)port.Host).Port;

    /// <summary>Runs a sample's dll (copied next to this assembly by the project reference) with the current dotnet host.</summary>
    private static ChildProcess Dotnet(string dll, params string[] args)
    {
        var host = Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet" ? path : "dotnet";
        return new ChildProcess(host, [Path.Combine(AppContext.BaseDirectory, dll), .. args]);
    }

    [GeneratedRegex(@":(\d+) ")]
    private static partial Regex ListeningPort();
}

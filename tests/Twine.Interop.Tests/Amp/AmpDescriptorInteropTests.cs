using System.IO.Pipes;
using System.Text;
using Twine.Defer;
using Twine.Net;
using Twine.Net.Endpoints;
using Twine.Interop.Tests.Peers;
using Twine.Protocols.Amp;

namespace Twine.Interop.Tests.Amp;

/// <summary>
/// File descriptors passed as AMP <c>Descriptor</c> arguments over a Unix socket between Twine and Twisted's own AMP, in
/// both directions (peers/amp_fd_server.py, peers/amp_fd_client.py): the receiver claims each by its ordinal and writes
/// into it (AMP12, UX1).
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class AmpDescriptorInteropTests
{
    private sealed record WriteToArgs(int Fd, string Text);

    private sealed record Written(long Count);

    private static readonly AmpCommand<WriteToArgs, Written> WriteTo = new("WriteTo",
        AmpSchema.Of(
            AmpType.Descriptor.Field("fd", (WriteToArgs a) => a.Fd),
            AmpType.Unicode.Field("text", (WriteToArgs a) => a.Text),
            (fd, text) => new WriteToArgs(fd, text)),
        AmpSchema.Of(AmpType.Integer.Field("count", (Written w) => w.Count), c => new Written(c)));

    [Fact]
    public void TwistedsAmpReceivesADescriptorFromTwine()
    {
        string dir = Directory.CreateTempSubdirectory("twine-ampfd-").FullName;
        try
        {
            string path = Path.Combine(dir, "amp.sock");
            using var peer = AmpInterop.Start("amp_fd_server.py", path);
            peer.WaitForLine(l => l == "READY", "its READY line");
            using var pipe = new AnonymousPipeServerStream(PipeDirection.In);
            int writeEnd = (int)pipe.ClientSafePipeHandle.DangerousGetHandle();
            var counts = new List<long>();
            AmpInterop.Run(async reactor =>
            {
                var amp = await Endpoints.ConnectProtocol(Endpoints.Client(reactor, $"unix:path={path}"), new AmpProtocol());
                // Two calls in flight at once: the ordinals 0 and 1 must pair with the right descriptors.
                var first = amp.CallRemote(WriteTo, new WriteToArgs(writeEnd, "hello "));
                var second = amp.CallRemote(WriteTo, new WriteToArgs(writeEnd, "twisted"));
                counts.Add((await first).Count);
                counts.Add((await second).Count);
                amp.Transport.LoseConnection();
            }, () => peer.Stderr);
            pipe.DisposeLocalCopyOfClientHandle();   // Twisted closed its copies: only ours kept the pipe open
            using var reader = new StreamReader(pipe, Encoding.UTF8);
            Assert.Equal("hello twisted", reader.ReadToEnd());
            Assert.Equal([6L, 7L], counts);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void TwineReceivesDescriptorsFromTwistedsAmp()
    {
        string dir = Directory.CreateTempSubdirectory("twine-ampfd-").FullName;
        ChildProcess? peer = null;
        try
        {
            string path = Path.Combine(dir, "amp.sock");
            var responders = new AmpResponders().Add(WriteTo, args =>
            {
                // The received descriptor is the responder's to close.
                using var file = new FileStream(new Microsoft.Win32.SafeHandles.SafeFileHandle(args.Fd, ownsHandle: true), FileAccess.Write, 1);
                var bytes = Encoding.UTF8.GetBytes(args.Text);
                file.Write(bytes);
                return new Written(bytes.Length);
            });
            AmpInterop.Run(async reactor =>
            {
                var lost = new Deferred<Unit>();
                var port = await Endpoints.Server(reactor, $"unix:{path}").Listen(Factory.ForProtocol(() => new ServerAmp(responders, lost)));
                peer = AmpInterop.Start("amp_fd_client.py", path);
                await lost;     // the client hangs up once it has read the pipe
                await port.StopListening();
            }, () => peer?.Stderr ?? "");
            var line = peer!.WaitForLine(l => l.StartsWith("GOT ", StringComparison.Ordinal) || l.StartsWith("ERROR ", StringComparison.Ordinal), "its GOT line");
            Assert.Equal("GOT hello twine|6,5", line);
        }
        finally
        {
            peer?.Dispose();
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>An AMP server protocol that says when its connection is gone.</summary>
    private sealed class ServerAmp(AmpResponders responders, Deferred<Unit> lost) : AmpProtocol(responders)
    {
        public override void ConnectionLost(Failure reason)
        {
            base.ConnectionLost(reason);
            if (!lost.Called) lost.Callback(Unit.Value);
        }
    }
}

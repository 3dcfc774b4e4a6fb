using System.IO.Pipes;
using System.Text;
using Twine.Net.Endpoints;
using Twine.Protocols.Amp;

namespace Twine.Interop.Tests.Amp;

/// <summary>
/// A Twine AMP client passing a file descriptor to Twisted's own AMP server over a Unix socket (peers/amp_fd_server.py):
/// Twisted's <c>amp.Descriptor</c> claims it by ordinal and writes into it (AMP12, UX1).
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
}

using System.Text;
using Twine.Net;
using Twine.Protocols;
using Twine.Testing;

namespace Twine.Tests.Protocols;

public sealed class FileSenderTests
{
    private static MemoryStream Source() => new(Encoding.ASCII.GetBytes("Test content"));

    [Fact]
    public void FS1_RegistersAsANonStreamingProducer()
    {
        var consumer = new MemoryTransport();
        var sender = new FileSender();
        sender.BeginFileTransfer(Source(), consumer);
        Assert.Same(sender, consumer.Producer);
        Assert.False(consumer.Streaming);
        Assert.IsAssignableFrom<IPullProducer>(sender);
    }

    [Fact]
    public void FS1_TransferFiresWithTheLastByteAfterReadingAtEof()
    {
        var consumer = new MemoryTransport();
        var sender = new FileSender();
        var d = sender.BeginFileTransfer(Source(), consumer);
        sender.ResumeProducing();
        Assert.False(d.Called);
        // It only finishes after trying to read at the end of the file.
        sender.ResumeProducing();
        Assert.Null(consumer.Producer);
        Assert.Equal((byte)'t', d.Result.Value);
        Assert.Equal("Test content", consumer.ValueAsString());
    }

    [Fact]
    public void FS1_TransferInMultipleChunks()
    {
        var consumer = new MemoryTransport();
        var sender = new FileSender { ChunkSize = 4 };
        var d = sender.BeginFileTransfer(Source(), consumer);
        sender.ResumeProducing();
        Assert.Equal("Test", consumer.ValueAsString());
        sender.ResumeProducing();
        Assert.Equal("Test con", consumer.ValueAsString());
        sender.ResumeProducing();
        Assert.Equal("Test content", consumer.ValueAsString());
        sender.ResumeProducing();
        Assert.Equal((byte)'t', d.Result.Value);
    }

    [Fact]
    public void FS1_DefaultChunkSizeIs16384()
    {
        Assert.Equal(16384, new FileSender().ChunkSize);
        var consumer = new MemoryTransport();
        var sender = new FileSender();
        sender.BeginFileTransfer(new MemoryStream(new byte[40000]), consumer);
        sender.ResumeProducing();
        Assert.Equal(16384, consumer.Value().Length);
    }

    [Fact]
    public void FS1_TransformIsAppliedToEachChunk()
    {
        var consumer = new MemoryTransport();
        var sender = new FileSender();
        var d = sender.BeginFileTransfer(Source(), consumer, chunk =>
            Encoding.ASCII.GetBytes(new string(Encoding.ASCII.GetString(chunk.Span).Select(c => char.IsUpper(c) ? char.ToLowerInvariant(c) : char.ToUpperInvariant(c)).ToArray())));
        sender.ResumeProducing();
        sender.ResumeProducing();
        Assert.Equal((byte)'T', d.Result.Value);
        Assert.Equal("tEST CONTENT", consumer.ValueAsString());
    }

    [Fact]
    public void FS1_StopProducingErrbacks()
    {
        var consumer = new MemoryTransport();
        var sender = new FileSender();
        var d = sender.BeginFileTransfer(Source(), consumer);
        sender.StopProducing();
        var failure = d.Result.Failure!;
        Assert.True(failure.Check<ConsumerStoppedException>());
        Assert.Equal("Consumer asked us to stop producing", failure.Value.Message);
    }

    [Fact]
    public void FS1_EmptyFileFiresWithNull()
    {
        var consumer = new MemoryTransport();
        var sender = new FileSender();
        var d = sender.BeginFileTransfer(new MemoryStream(), consumer);
        sender.ResumeProducing();
        Assert.True(d.Called);
        Assert.Null(d.Result.Value);
        Assert.Null(consumer.Producer);
    }

    [Fact]
    public void FS1_ThroughALoopbackPumpTheTransportDrivesTheSender()
    {
        var content = new byte[100_000];
        new Random(7).NextBytes(content);
        var server = new FileServer(content);
        var pair = LoopbackPump.Connect(server, new AccumulatingProtocol());
        Assert.Equal(content, pair.Client.Data);
        Assert.Equal(content[^1], server.LastByte);
        Assert.True(pair.Client.Closed);
        Assert.True(pair.Client.ClosedReason!.Check<ConnectionDoneException>());
    }

    private sealed class FileServer(byte[] content) : Protocol
    {
        public byte? LastByte;
        public override void ConnectionMade() =>
            new FileSender().BeginFileTransfer(new MemoryStream(content), Transport)
                .AddCallback(last => { LastByte = last; Transport.LoseConnection(); });
    }
}

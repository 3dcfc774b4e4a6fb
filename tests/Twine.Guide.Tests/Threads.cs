using Twine.Defer;
using Twine.Protocols;
using Twine.Testing;
using Twine.Threading;

namespace Twine.Guide.Tests;

/// <summary>docs/guide/threads.md: blocking work off the reactor thread, and results back onto it.</summary>
public sealed class Threads
{
    // File.ReadAllLines blocks: it runs on the reactor's pool, and the Deferred fires on the reactor thread.
    public static Deferred<int> CountLines(IReactorThreads threads, string path) =>
        threads.DeferToThread(() => File.ReadAllLines(path).Length);

    // A thread of your own (here: blocking console reads) hands each result to the reactor thread, where
    // protocols and transports may be used.
    public static Thread ForwardStandardInput(IReactorFromThreads reactor, LineReceiver client, TextReader input)
    {
        var reader = new Thread(() =>
        {
            while (input.ReadLine() is { } line) reactor.CallFromThread(() => client.SendLine(line));
        }) { IsBackground = true, Name = "stdin" };
        reader.Start();
        return reader;
    }

    [Fact]
    public void DeferToThreadDeliversTheResultAsADeferred()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllLines(path, ["one", "two", "three"]);
            var reactor = new MemoryReactor();   // runs pool work at once, so the test needs no threads
            Assert.Equal(3, CountLines(reactor, path).Result.Value);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void CallFromThreadRunsOnTheReactor()
    {
        var reactor = new MemoryReactor();
        var pair = LoopbackPump.Connect(new LineCollector(), new LineCollector());
        var reader = ForwardStandardInput(reactor, pair.Client, new StringReader("a\nb\n"));
        Assert.True(reader.Join(TimeSpan.FromSeconds(30)), "the reader thread ends at the end of its input");
        pair.Flush();
        Assert.Equal(["a", "b"], pair.Server.Lines);
    }
}

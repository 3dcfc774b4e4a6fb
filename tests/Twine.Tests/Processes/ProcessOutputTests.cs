using System.Text;
using Twine.Processes;
using Twine.Tests.Reactors;
using static Twine.Tests.Processes.ProcessTesting;

namespace Twine.Tests.Processes;

/// <summary>GetProcessOutput and GetProcessOutputAndValue (Twisted's utils).</summary>
[Collection(ProcessCollection.Name)]
public sealed class ProcessOutputTests
{
    [Fact]
    public void GetProcessOutputReturnsStdoutWhateverTheExitCode()
    {
        using var reactor = Create();
        byte[]? output = null;
        ProcessOutput.GetProcessOutput(reactor, "/bin/sh", ["-c", "printf 'a b'; exit 2"])
            .AddCallback(o => { output = o; reactor.Stop(); });
        ReactorTesting.RunGuarded(reactor);
        Assert.Equal("a b", Encoding.ASCII.GetString(output!));
    }

    [Fact]
    public void GetProcessOutputFailsOnAnythingOnStderr()
    {
        // PR6
        using var reactor = Create();
        Failure? failure = null;
        ProcessOutput.GetProcessOutput(reactor, "/bin/sh", ["-c", "echo oops >&2; read x"])
            .AddErrback(f => { failure = f; StopWhenNoChildren(reactor); });
        ReactorTesting.RunGuarded(reactor);
        var error = Assert.IsType<ProcessStderrException>(failure!.Value);
        Assert.Equal("oops\n", Encoding.ASCII.GetString(error.Stderr));
        Assert.Contains("got stderr", error.Message);
    }

    [Fact]
    public void GetProcessOutputOfAMissingProgramFails()
    {
        using var reactor = Create();
        Failure? failure = null;
        ProcessOutput.GetProcessOutput(reactor, "/no/such/thing").AddErrback(f => failure = f);
        Assert.IsType<FileNotFoundException>(failure!.Value);
    }

    [Fact]
    public void GetProcessOutputAndValueReturnsBothStreamsAndTheCode()
    {
        using var reactor = Create();
        (byte[] Out, byte[] Err, int Code)? result = null;
        ProcessOutput.GetProcessOutputAndValue(reactor, "/bin/sh", ["-c", "echo out; echo err >&2; exit 3"])
            .AddCallback(r => { result = r; reactor.Stop(); });
        ReactorTesting.RunGuarded(reactor);
        Assert.Equal("out\n", Encoding.ASCII.GetString(result!.Value.Out));
        Assert.Equal("err\n", Encoding.ASCII.GetString(result.Value.Err));
        Assert.Equal(3, result.Value.Code);
    }

    [Fact]
    public void GetProcessOutputAndValueFailsWhenKilledBySignal()
    {
        // PR7. Native layer (the default on Linux): only a wait status tells a signal from an exit code.
        using var reactor = Create();
        Failure? failure = null;
        ProcessOutput.GetProcessOutputAndValue(reactor, "/bin/sh", ["-c", "echo partial; kill -KILL $$"])
            .AddErrback(f => { failure = f; reactor.Stop(); });
        ReactorTesting.RunGuarded(reactor);
        var error = Assert.IsType<ProcessSignalledException>(failure!.Value);
        Assert.Equal(9, error.Signal);
        Assert.Equal("partial\n", Encoding.ASCII.GetString(error.Out));
    }
}

using Twine.Defer;
using Twine.Logging;
using Twine.Native;
using Twine.Net;
using Twine.Reactors.Io;

namespace Twine.Processes;

/// <summary>
/// A spawned child and its pipes, driving one <see cref="ProcessProtocol"/> (Twisted's <c>Process</c>). Loop thread only.
/// </summary>
/// <remarks>
/// Two independent things must both happen before <see cref="ProcessProtocol.ProcessEnded"/>: the child is reaped
/// (<see cref="ExitWatcher"/>) and every pipe has closed (<see cref="PipeReader"/>, <see cref="PipeWriter"/>). Whichever
/// comes last fires it (PR1).
/// </remarks>
internal sealed class ChildProcess : IProcessTransport, IPipeOwner
{
    private readonly IIoLoop _loop;
    private readonly ProcessProtocol _protocol;
    private readonly Dictionary<int, PipeReader> _readers = [];
    private readonly Dictionary<int, PipeWriter> _writers = [];
    private readonly ProcessEnding _ending;
    private bool _paused;
    private ExitWatcher? _watcher;

    private ChildProcess(IIoLoop loop, ProcessProtocol protocol)
    {
        _loop = loop;
        _protocol = protocol;
        _ending = new ProcessEnding(protocol);
    }

    /// <inheritdoc />
    public int? Pid { get; private set; }

    /// <summary>Watches the exit (tests: whether a pidfd is in use).</summary>
    internal ExitWatcher? Watcher => _watcher;

    /// <summary>Bytes buffered for the child's stdin (tests).</summary>
    internal long StdinBuffered => _writers.TryGetValue(0, out var w) ? w.BufferedBytes : 0;

    /// <summary>Creates the pipes, spawns, closes the child's ends here, registers everything and connects the protocol.</summary>
    public static ChildProcess Spawn(IIoLoop loop, ProcessProtocol protocol, string executable, IReadOnlyList<string> args,
        IReadOnlyDictionary<string, string>? env, string? workingDirectory, IReadOnlyDictionary<int, ChildFd>? childFds,
        ChildReaping reaping = ChildReaping.Auto)
    {
        ArgumentNullException.ThrowIfNull(protocol);
        ArgumentException.ThrowIfNullOrEmpty(executable);
        ArgumentNullException.ThrowIfNull(args);
        if (!OperatingSystem.IsLinux()) throw new PlatformNotSupportedException("The native process layer needs Linux (posix_spawn constants, pidfd); use ProcessLayer.Portable.");
        if (workingDirectory is not null && !Directory.Exists(workingDirectory))
            throw new FileNotFoundException($"Cannot start {executable}: the working directory {workingDirectory} does not exist.", workingDirectory);

        var envList = env is null
            ? Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>().Select(e => $"{e.Key}={e.Value}").ToList()
            : env.Select(e => $"{e.Key}={e.Value}").ToList();
        string? searchPath = env is null ? Environment.GetEnvironmentVariable("PATH") : env.GetValueOrDefault("PATH");
        string path = Spawner.Resolve(executable, searchPath);
        var argv = args.Count == 0 ? [executable] : args;

        var process = new ChildProcess(loop, protocol);
        var map = new List<(int Target, int Source)>();
        var childEnds = new List<int>();
        var parentEnds = new List<(int ChildFd, int Fd, bool Reads)>();
        try
        {
            foreach (var (target, what) in childFds ?? ChildFd.Default)
            {
                ArgumentOutOfRangeException.ThrowIfNegative(target, nameof(childFds));
                if (what.Kind == ChildFdKind.Inherit)
                {
                    map.Add((target, what.ParentFd));
                    continue;
                }
                var (read, write) = MakePipe();
                bool parentReads = what.Kind == ChildFdKind.Read;
                childEnds.Add(parentReads ? write : read);
                parentEnds.Add((target, parentReads ? read : write, parentReads));
                map.Add((target, parentReads ? write : read));
            }
            process.Pid = Spawner.Spawn(path, argv, envList, workingDirectory, map);
        }
        catch
        {
            foreach (var (_, fd, _) in parentEnds) LibC.Close(fd);
            throw;
        }
        finally
        {
            // The child has its copies (or was never started): the parent's copies of the child's ends must go, or
            // the parent would never see EOF on its own reading ends.
            foreach (var fd in childEnds) LibC.Close(fd);
        }

        foreach (var (childFd, fd, reads) in parentEnds)
        {
            ProcessNative.SetNonBlocking(fd);
            if (reads) process._readers[childFd] = new PipeReader(loop, fd, childFd, process);
            else process._writers[childFd] = new PipeWriter(loop, fd, childFd, process);
        }
        process._ending.OpenPipes = parentEnds.Count;
        foreach (var reader in process._readers.Values) reader.Start(paused: false);
        foreach (var writer in process._writers.Values) writer.Start();
        process._watcher = new ExitWatcher(loop, process.Pid.Value, process.Exited, reaping);
        process._watcher.Start();
        try
        {
            protocol.MakeConnection(process);
        }
        catch (Exception ex)
        {
            process.ProtocolFailed("MakeConnection", ex);
        }
        return process;
    }

    private static unsafe (int Read, int Write) MakePipe()
    {
        int* fds = stackalloc int[2];
        // Close-on-exec on both ends: the child gets its end through dup2 (which clears the flag on the copy), and no
        // other child started meanwhile inherits either end. Only the parent's end is made non-blocking, afterwards.
        if (LibC.Pipe2(fds, ProcessNative.O_CLOEXEC) != 0) throw LibC.Error("pipe2");
        return (fds[0], fds[1]);
    }

    /// <inheritdoc />
    public void PipeData(int childFd, ReadOnlySpan<byte> data) => _protocol.ChildDataReceived(childFd, data);

    /// <inheritdoc />
    public void PipeClosed(int childFd, Failure reason) => _ending.PipeClosed(childFd);

    /// <inheritdoc />
    public void ProtocolFailed(string where, Exception error)
    {
        // As a socket transport does with a protocol that throws: log it and drop the connection (the pipes). The
        // child is not signalled; it sees its pipes close and decides for itself.
        Log.Error($"Unhandled error in {_protocol.GetType().Name}.{where} for process {Pid}; closing its pipes", new Failure(error));
        foreach (var reader in _readers.Values.ToList()) reader.Close(new Failure(error));
        foreach (var writer in _writers.Values.ToList()) writer.Close(new Failure(error));
    }

    private void Exited(int? status)
    {
        var (exitCode, signal) = status is { } s ? ProcessNative.DecodeStatus(s) : (null, null);
        if (status is null) Log.Error($"Process {Pid} was reaped by something else in this program; its exit status is unknown.");
        Pid = null;
        _ending.ProcessExited(ProcessEnding.Reason(exitCode, signal));
    }

    /// <inheritdoc />
    public void Write(ReadOnlySpan<byte> data) => WriteToChild(0, data);

    /// <inheritdoc />
    public void WriteSequence(IEnumerable<ReadOnlyMemory<byte>> data)
    {
        ArgumentNullException.ThrowIfNull(data);
        foreach (var chunk in data) Write(chunk.Span);
    }

    /// <inheritdoc />
    public void WriteToChild(int childFd, ReadOnlySpan<byte> data)
    {
        if (_writers.TryGetValue(childFd, out var writer)) writer.Write(data);
        else if (_readers.ContainsKey(childFd)) throw new ArgumentException($"Child descriptor {childFd} is a pipe the parent reads, not one it writes.", nameof(childFd));
        // Writing to a pipe that was not asked for is a mistake; writing to one that has closed is silently dropped,
        // as a closed socket drops writes.
        else throw new ArgumentException($"Child descriptor {childFd} has no pipe from the parent.", nameof(childFd));
    }

    /// <inheritdoc />
    public void RegisterProducer(IProducer producer, bool streaming)
    {
        if (!_writers.TryGetValue(0, out var stdin)) throw new InvalidOperationException("The child has no stdin pipe to produce into.");
        stdin.RegisterProducer(producer, streaming);
    }

    /// <inheritdoc />
    public void UnregisterProducer()
    {
        if (_writers.TryGetValue(0, out var stdin)) stdin.UnregisterProducer();
    }

    /// <inheritdoc />
    public void CloseStdin() => CloseChildFd(0);

    /// <inheritdoc />
    public void CloseStdout() => CloseChildFd(1);

    /// <inheritdoc />
    public void CloseStderr() => CloseChildFd(2);

    /// <inheritdoc />
    public void CloseChildFd(int childFd)
    {
        if (_writers.TryGetValue(childFd, out var writer)) writer.LoseConnection();
        else if (_readers.TryGetValue(childFd, out var reader)) reader.Close(Protocol.ConnectionDone);
    }

    /// <inheritdoc />
    public void LoseConnection()
    {
        CloseStdin();
        CloseStderr();
        CloseStdout();
    }

    /// <inheritdoc />
    public void SignalProcess(string signal) => SignalProcess(SignalNames.Parse(signal));

    /// <inheritdoc />
    public void SignalProcess(int signal)
    {
        if (Pid is not { } pid) throw new ProcessExitedAlreadyException();
        if (ProcessNative.Kill(pid, signal) != 0)
        {
            int errno = ProcessNative.LastError;
            // ESRCH: it has exited but is not reaped yet (the watcher will report it shortly).
            if (errno == ProcessNative.ESRCH) throw new ProcessExitedAlreadyException();
            throw new IOException($"kill({pid}, {signal}) failed: {Net.Native.SocketNative.Describe(errno)}", errno);
        }
    }

    /// <inheritdoc />
    public void PauseProducing()
    {
        _paused = true;
        foreach (var reader in _readers.Values) reader.Pause();
    }

    /// <inheritdoc />
    public void ResumeProducing()
    {
        _paused = false;
        foreach (var reader in _readers.Values) reader.Resume();
    }

    /// <summary>Stops reading for good: closes the output pipes, as Twisted's does.</summary>
    public void StopProducing()
    {
        foreach (var reader in _readers.Values) reader.Close(Protocol.ConnectionDone);
    }

    /// <summary>True while reading is paused (tests).</summary>
    internal bool Paused => _paused;

    /// <inheritdoc />
    public override string ToString() => $"<ChildProcess pid={Pid}>";
}

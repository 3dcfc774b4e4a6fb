using System.ComponentModel;
using System.Diagnostics;
using Twine.Defer;
using Twine.Logging;
using Twine.Net;
using Twine.Reactors.Io;

namespace Twine.Processes.Portable;

/// <summary>
/// A child process on the portable layer (<c>ProcessLayer.Portable</c>): started by <see cref="Process"/> with
/// redirected standard streams, which are read and written asynchronously; every completion, and the exit, is posted to
/// the loop, so the <see cref="ProcessProtocol"/> hears exactly what the native layer would tell it, in the same order
/// (<see cref="ProcessEnding"/>). Loop thread only.
/// </summary>
/// <remarks>
/// <para><b>What differs from the native layer</b>, because <see cref="Process"/> decides it:</para>
/// <list type="bullet">
/// <item>Only descriptors 0, 1 and 2 exist: each is a pipe or inherited from the same descriptor of this process; any
/// other map is refused with <see cref="NotSupportedException"/>.</item>
/// <item><c>args[0]</c> is not passed: the child's own name (argv[0]) is the resolved program path.</item>
/// <item>The exit status is <see cref="Process.ExitCode"/>. On Unix the runtime folds a death by signal into exit code
/// 128 + the signal, as a shell shows it, so <see cref="ProcessTerminatedException.Signal"/> is always null here.</item>
/// <item>A stream cannot notice the child closing its stdin while nothing is written: stdin is closed, once what was
/// written has gone, when the child exits (a grandchild still reading it sees EOF then).</item>
/// <item>On Unix the child inherits this runtime's ignored SIGPIPE (the native layer resets every signal to its default),
/// so a child writing to a closed pipe gets EPIPE instead of dying.</item>
/// <item>Signals: KILL is <see cref="Process.Kill()"/>; on Unix the others go through <c>kill(2)</c>; on Windows TERM
/// also kills (TerminateProcess) and any other signal throws <see cref="NotSupportedException"/>.</item>
/// </list>
/// </remarks>
internal sealed class PortableProcess : IProcessTransport, IPipeOwner, IIoHandler
{
    private static readonly Action<PortableProcess> s_exited = static p => p.OnExited();

    private readonly IIoLoop _loop;
    private readonly ProcessProtocol _protocol;
    private readonly Process _process;
    private readonly ProcessEnding _ending;
    private readonly Dictionary<int, StreamPipeReader> _readers = [];
    private StreamPipeWriter? _stdin;
    private IDisposable? _tracking;
    private bool _finished;

    private PortableProcess(IIoLoop loop, ProcessProtocol protocol, Process process)
    {
        _loop = loop;
        _protocol = protocol;
        _process = process;
        _ending = new ProcessEnding(protocol);
    }

    /// <inheritdoc />
    public int? Pid { get; private set; }

    /// <summary>Bytes buffered for the child's stdin (tests).</summary>
    internal long StdinBuffered => _stdin?.BufferedBytes ?? 0;

    /// <summary>Starts the program, connects its streams and the protocol; throws as the native layer does for a program that cannot start.</summary>
    public static PortableProcess Spawn(IIoLoop loop, ProcessProtocol protocol, string executable, IReadOnlyList<string> args,
        IReadOnlyDictionary<string, string>? env, string? workingDirectory, IReadOnlyDictionary<int, ChildFd>? childFds)
    {
        ArgumentNullException.ThrowIfNull(protocol);
        ArgumentException.ThrowIfNullOrEmpty(executable);
        ArgumentNullException.ThrowIfNull(args);
        var map = childFds ?? ChildFd.Default;
        bool stdin = Standard(map, 0, ChildFdKind.Write), stdout = Standard(map, 1, ChildFdKind.Read), stderr = Standard(map, 2, ChildFdKind.Read);
        if (workingDirectory is not null && !Directory.Exists(workingDirectory))
            throw new FileNotFoundException($"Cannot start {executable}: the working directory {workingDirectory} does not exist.", workingDirectory);

        string path = executable;
        if (!OperatingSystem.IsWindows())
            path = Spawner.Resolve(executable, env is null ? Environment.GetEnvironmentVariable("PATH") : env.GetValueOrDefault("PATH"));
        var info = new ProcessStartInfo(path)
        {
            UseShellExecute = false,
            RedirectStandardInput = stdin,
            RedirectStandardOutput = stdout,
            RedirectStandardError = stderr,
        };
        for (int i = 1; i < args.Count; i++) info.ArgumentList.Add(args[i]);
        if (workingDirectory is not null) info.WorkingDirectory = workingDirectory;
        if (env is not null)
        {
            info.Environment.Clear();
            foreach (var (key, value) in env) info.Environment[key] = value;
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var transport = new PortableProcess(loop, protocol, process);
        process.Exited += transport.OnExitedEvent;
        try
        {
            process.Start();
        }
        catch (Win32Exception ex)
        {
            process.Exited -= transport.OnExitedEvent;
            process.Dispose();
            throw StartError(path, ex);
        }
        transport.Pid = process.Id;
        transport.Connect(stdin, stdout, stderr);
        return transport;
    }

    /// <summary>True when <paramref name="fd"/> is to be a pipe; false when it is inherited; throws for anything the portable layer cannot do.</summary>
    private static bool Standard(IReadOnlyDictionary<int, ChildFd> map, int fd, ChildFdKind pipe)
    {
        foreach (var key in map.Keys)
        {
            if (key is < 0 or > 2)
                throw new NotSupportedException($"The portable process layer has only descriptors 0, 1 and 2; child descriptor {key} needs ProcessLayer.Native (Linux).");
        }
        if (!map.TryGetValue(fd, out var what))
            throw new NotSupportedException($"The portable process layer cannot close the child's descriptor {fd}; map it to a pipe or ChildFd.Inherit({fd}).");
        if (what.Kind == pipe) return true;
        if (what.Kind == ChildFdKind.Inherit && what.ParentFd == fd) return false;
        throw new NotSupportedException($"The portable process layer cannot connect the child's descriptor {fd} to {what}; use {(pipe == ChildFdKind.Write ? "ChildFd.Write" : "ChildFd.Read")} or ChildFd.Inherit({fd}).");
    }

    private static Exception StartError(string path, Win32Exception error)
    {
        int code = error.NativeErrorCode;
        bool windows = OperatingSystem.IsWindows();
        // ENOENT is 2, as is Windows' ERROR_FILE_NOT_FOUND (ERROR_PATH_NOT_FOUND is 3 there).
        if (code == 2 || (windows && code == 3)) return new FileNotFoundException($"Cannot start {path}: no such file.", path);
        // EACCES on Unix, ERROR_ACCESS_DENIED on Windows.
        if (code == (windows ? 5 : 13)) return new UnauthorizedAccessException($"Cannot start {path}: permission denied.");
        return new ProcessSpawnException(path, code, error.Message);
    }

    private void Connect(bool stdin, bool stdout, bool stderr)
    {
        if (stdin) _stdin = new StreamPipeWriter(_loop, _process.StandardInput.BaseStream, 0, this);
        if (stdout) _readers[1] = new StreamPipeReader(_loop, _process.StandardOutput.BaseStream, 1, this);
        if (stderr) _readers[2] = new StreamPipeReader(_loop, _process.StandardError.BaseStream, 2, this);
        _ending.OpenPipes = _readers.Count + (stdin ? 1 : 0);
        _tracking = _loop.Track(this);
        foreach (var reader in _readers.Values) reader.Start(paused: false);
        try
        {
            _protocol.MakeConnection(this);
        }
        catch (Exception ex)
        {
            ProtocolFailed("MakeConnection", ex);
        }
    }

    /// <summary>On a runtime thread: the child has exited (and <see cref="Process"/> has reaped it).</summary>
    private void OnExitedEvent(object? sender, EventArgs e)
    {
        try
        {
            _loop.Post(s_exited, this);
        }
        catch (ObjectDisposedException)
        {
            // The reactor is gone.
        }
    }

    private void OnExited()
    {
        if (_ending.Exited || _finished) return;
        int code = _process.ExitCode;
        Pid = null;
        _ending.ProcessExited(ProcessEnding.Reason(code, null));
        // Nothing else would ever close stdin now (see the remarks): close it once what was written has gone.
        _stdin?.LoseConnection();
        FinishIfEnded();
    }

    /// <inheritdoc />
    public void PipeData(int childFd, ReadOnlySpan<byte> data) => _protocol.ChildDataReceived(childFd, data);

    /// <inheritdoc />
    public void PipeClosed(int childFd, Failure reason)
    {
        _ending.PipeClosed(childFd);
        FinishIfEnded();
    }

    /// <inheritdoc />
    public void ProtocolFailed(string where, Exception error)
    {
        Log.Error($"Unhandled error in {_protocol.GetType().Name}.{where} for process {Pid}; closing its pipes", new Failure(error));
        foreach (var reader in _readers.Values.ToList()) reader.Close(new Failure(error));
        _stdin?.Close(new Failure(error));
    }

    private void FinishIfEnded()
    {
        if (_ending.Exited && _ending.OpenPipes == 0) Finish();
    }

    /// <summary>Lets go of the <see cref="Process"/> (its handle, its exit watch) and of the loop.</summary>
    private void Finish()
    {
        if (_finished) return;
        _finished = true;
        _process.Exited -= OnExitedEvent;
        _process.Dispose();
        _tracking?.Dispose();
    }

    /// <inheritdoc />
    public void OnIoReady(IoEvents events)
    {
        // Tracked without a descriptor: never ready.
    }

    /// <inheritdoc />
    public void OnReactorShutdown()
    {
        // As the native layer: the pipes close, the child is left running and no longer watched.
        var lost = new Failure(new ConnectionLostException());
        foreach (var reader in _readers.Values.ToList()) reader.Close(lost);
        _stdin?.Close(lost);
        Finish();
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
        if (childFd == 0 && _stdin is not null) _stdin.Write(data);
        else if (_readers.ContainsKey(childFd)) throw new ArgumentException($"Child descriptor {childFd} is a pipe the parent reads, not one it writes.", nameof(childFd));
        else throw new ArgumentException($"Child descriptor {childFd} has no pipe from the parent.", nameof(childFd));
    }

    /// <inheritdoc />
    public void RegisterProducer(IProducer producer, bool streaming)
    {
        if (_stdin is null) throw new InvalidOperationException("The child has no stdin pipe to produce into.");
        _stdin.RegisterProducer(producer, streaming);
    }

    /// <inheritdoc />
    public void UnregisterProducer() => _stdin?.UnregisterProducer();

    /// <inheritdoc />
    public void CloseStdin() => CloseChildFd(0);

    /// <inheritdoc />
    public void CloseStdout() => CloseChildFd(1);

    /// <inheritdoc />
    public void CloseStderr() => CloseChildFd(2);

    /// <inheritdoc />
    public void CloseChildFd(int childFd)
    {
        if (childFd == 0) _stdin?.LoseConnection();
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
        if (Pid is not { } pid || _process.HasExited) throw new ProcessExitedAlreadyException();
        if (signal == SignalNames.Kill || (OperatingSystem.IsWindows() && signal == SignalNames.Term))
        {
            // Process.Kill checks that this very process is still there: no risk of hitting a recycled pid.
            _process.Kill();
            return;
        }
        if (OperatingSystem.IsWindows())
            throw new NotSupportedException($"Windows has no signal {signal} to send; a child can only be killed there (\"KILL\" or \"TERM\").");
        if (ProcessNative.Kill(pid, signal) != 0)
        {
            int errno = ProcessNative.LastError;
            if (errno == ProcessNative.ESRCH) throw new ProcessExitedAlreadyException();
            throw new IOException($"kill({pid}, {signal}) failed: errno {errno}", errno);
        }
    }

    /// <inheritdoc />
    public void PauseProducing()
    {
        foreach (var reader in _readers.Values) reader.Pause();
    }

    /// <inheritdoc />
    public void ResumeProducing()
    {
        foreach (var reader in _readers.Values) reader.Resume();
    }

    /// <summary>Stops reading for good: closes the output pipes, as Twisted's does.</summary>
    public void StopProducing()
    {
        foreach (var reader in _readers.Values.ToList()) reader.Close(Protocol.ConnectionDone);
    }

    /// <inheritdoc />
    public override string ToString() => $"<PortableProcess pid={Pid}>";
}

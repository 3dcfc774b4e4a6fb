using Twine.Native;
using System.Runtime.InteropServices;

namespace Twine.Reactors.Io;

/// <summary>
/// The portable backend: poll(2), available on every Unix, woken by a self-pipe. O(n) per wait in the number of
/// descriptors, which is fine for the few hundred connections of a typical non-Linux development machine.
/// </summary>
/// <remarks>
/// The <c>pollfd</c> array is kept compact (removal moves the last entry into the hole) and handed to the kernel as is.
/// Ready entries are copied out before any is dispatched, because a handler may add or remove descriptors and so
/// reshuffle the array mid-batch.
/// </remarks>
internal sealed unsafe class PollBackend : IPollBackend
{
    private readonly PipeWaker _waker;
    private LibC.PollFd[] _fds = new LibC.PollFd[16];
    private ulong[] _tokens = new ulong[16];
    private (ulong Token, IoEvents Events)[] _ready = new (ulong, IoEvents)[16];
    private readonly Dictionary<int, int> _slotByFd = [];
    private int _count;
    private bool _disposed;

    public PollBackend()
    {
        _waker = new PipeWaker();
        // Slot 0 is always the waker.
        _fds[0] = new LibC.PollFd { Fd = _waker.PollFd, Events = LibC.POLLIN };
        _count = 1;
    }

    /// <inheritdoc />
    public string Name => "poll";

    /// <inheritdoc />
    public void Add(int fd, IoEvents interest, ulong token)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_slotByFd.ContainsKey(fd)) throw new IOException($"poll backend: descriptor {fd} is already watched.");
        if (_count == _fds.Length)
        {
            Array.Resize(ref _fds, _count * 2);
            Array.Resize(ref _tokens, _count * 2);
        }
        _fds[_count] = new LibC.PollFd { Fd = fd, Events = ToPoll(interest) };
        _tokens[_count] = token;
        _slotByFd[fd] = _count++;
    }

    /// <inheritdoc />
    public void Modify(int fd, IoEvents interest, ulong token)
    {
        if (!_slotByFd.TryGetValue(fd, out int slot)) throw new IOException($"poll backend: descriptor {fd} is not watched.");
        _fds[slot].Events = ToPoll(interest);
        _tokens[slot] = token;
    }

    /// <inheritdoc />
    public void Remove(int fd)
    {
        if (!_slotByFd.Remove(fd, out int slot)) throw new IOException($"poll backend: descriptor {fd} is not watched.");
        int last = --_count;
        if (slot != last)
        {
            _fds[slot] = _fds[last];
            _tokens[slot] = _tokens[last];
            _slotByFd[_fds[slot].Fd] = slot;
        }
        _fds[last] = default;
    }

    /// <inheritdoc />
    public int Poll(int timeoutMs, IIoDispatcher dispatcher)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        int n;
        fixed (LibC.PollFd* fds = _fds) n = LibC.Poll(fds, (nuint)_count, timeoutMs);
        if (n < 0)
        {
            if (Marshal.GetLastPInvokeError() == Errno.EINTR) return 0;
            throw LibC.Error("poll");
        }
        if (n == 0) return 0;

        if (_ready.Length < n) _ready = new (ulong, IoEvents)[Math.Max(n, _ready.Length * 2)];
        int ready = 0;
        bool woken = false;
        for (int slot = 0; slot < _count && ready + (woken ? 1 : 0) < n; slot++)
        {
            short revents = _fds[slot].REvents;
            if (revents == 0) continue;
            _fds[slot].REvents = 0;
            if (slot == 0) woken = true;
            else _ready[ready++] = (_tokens[slot], FromPoll(revents));
        }
        if (woken) _waker.Drain();
        for (int i = 0; i < ready; i++) dispatcher.Dispatch(_ready[i].Token, _ready[i].Events);
        return ready;
    }

    /// <inheritdoc />
    public void Wake() => _waker.Wake();

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _waker.Dispose();
    }

    private static short ToPoll(IoEvents interest)
    {
        short events = 0;
        if ((interest & IoEvents.Readable) != 0) events |= LibC.POLLIN;
        if ((interest & IoEvents.Writable) != 0) events |= LibC.POLLOUT;
        return events;
    }

    private static IoEvents FromPoll(short revents)
    {
        var events = IoEvents.None;
        if ((revents & LibC.POLLIN) != 0) events |= IoEvents.Readable;
        if ((revents & LibC.POLLOUT) != 0) events |= IoEvents.Writable;
        if ((revents & (LibC.POLLERR | LibC.POLLNVAL)) != 0) events |= IoEvents.Error;
        if ((revents & LibC.POLLHUP) != 0) events |= IoEvents.HangUp;
        return events;
    }
}

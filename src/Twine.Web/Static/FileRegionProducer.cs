using Microsoft.Win32.SafeHandles;
using Twine.Net;

namespace Twine.Web.Static;

/// <summary>
/// Sends a file range with zero copies: the region is queued on a transport that can <c>sendfile</c>, and the
/// request finishes once the transport has drained it (a pull producer is asked for more only when the buffer is
/// empty). The process never holds the file's bytes, so a 1 GiB download costs what a 1 KiB one does.
/// </summary>
/// <remarks>Finishing only after the region left also means a pipelined request behind it waits its turn, rather than
/// queuing file after file behind a client that does not read.</remarks>
internal sealed class FileRegionProducer(SafeFileHandle file, long offset, long count, Request request, IFileSendingTransport transport)
    : IPullProducer
{
    private bool _queued;
    private bool _done;

    public void Start() => request.RegisterProducer(this, streaming: false);

    public void ResumeProducing()
    {
        if (_done) return;
        if (!_queued)
        {
            _queued = true;
            request.WriteFileRegion(transport, file, offset, count);     // the transport owns the handle now
            return;
        }
        // Pulled again: the buffer is empty, so the whole region has been handed to the kernel.
        _done = true;
        request.UnregisterProducer();
        request.Finish();
    }

    public void StopProducing()
    {
        if (!_queued) file.Dispose();
        _queued = _done = true;
    }
}

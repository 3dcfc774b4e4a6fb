using Twine.Net;

namespace Twine.Web.Static;

/// <summary>
/// Sends <c>length</c> bytes of a file from its current position to a request, one chunk each time the connection
/// drains (a pull producer), so a 1 GiB file costs one chunk of memory. Closes the file when done or stopped.
/// </summary>
internal sealed class FileRangeProducer(Stream file, long length, Request request) : IPullProducer
{
    private const int ChunkSize = 64 * 1024;

    private byte[]? _chunk = new byte[(int)Math.Min(ChunkSize, Math.Max(1, length))];
    private long _remaining = length;

    public void Start() => request.RegisterProducer(this, streaming: false);

    public void ResumeProducing()
    {
        if (_chunk is null) return;
        int read = _remaining == 0 ? 0 : file.Read(_chunk, 0, (int)Math.Min(_chunk.Length, _remaining));
        if (read == 0)
        {
            // Done (or the file shrank under us: the Content-Length is already sent, so end here and let the client see it short).
            Close();
            request.UnregisterProducer();
            if (_remaining == 0) request.Finish();
            else request.Channel.Transport.AbortConnection();
            return;
        }
        _remaining -= read;
        request.Write(_chunk.AsSpan(0, read));
    }

    public void StopProducing() => Close();

    private void Close()
    {
        _chunk = null;
        file.Dispose();
    }
}

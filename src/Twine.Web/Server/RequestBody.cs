namespace Twine.Web.Server;

/// <summary>
/// Collects a request body as it arrives: in memory while small, spooled to a temporary file past the threshold (as
/// Twisted's <c>Request.gotLength</c> does), then handed to the application as a seekable stream at position 0.
/// </summary>
internal sealed class RequestBody(int spoolThreshold) : IDisposable
{
    private Stream _stream = new MemoryStream();

    public long Length { get; private set; }

    public void Append(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty) return;
        if (_stream is MemoryStream memory && Length + data.Length > spoolThreshold)
        {
            // Delete-on-close: the file disappears when the request is done, or if the process dies.
            var file = new FileStream(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None,
                4096, FileOptions.DeleteOnClose);
            memory.Position = 0;
            memory.CopyTo(file);
            _stream = file;
        }
        _stream.Write(data);
        Length += data.Length;
    }

    public bool IsSpooled => _stream is FileStream;

    /// <summary>The body, rewound for reading.</summary>
    public Stream Complete()
    {
        _stream.Position = 0;
        return _stream;
    }

    public void Dispose() => _stream.Dispose();
}

namespace Twine.Web.Http;

/// <summary>
/// Finds the end of a message head (start line, field lines, empty line) in bytes that arrive a piece at a time, and
/// checks each line as soon as it is complete: bare LF, the start-line limit, the field count and the header-section
/// size fail early instead of after a slow client has sent everything. Scanning resumes where it stopped, so a head
/// sent one byte at a time costs linear work. The same scanner serves requests and (for a client) responses.
/// </summary>
internal sealed class HeadScanner(int maxStartLine, int maxHeaderSection, int maxFields, int startLineTooLongStatus)
{
    // Leading empty lines before a request line are tolerated (RFC 9112 §2.2), but not without bound.
    private const int MaxLeadingEmptyLines = 8;

    private FieldEntry[] _entries = new FieldEntry[16];
    private int _scanned;
    private int _lineStart;
    private int _leadingEmpty;

    /// <summary>Where the start line begins (after any leading empty lines).</summary>
    public int HeadStart { get; private set; }

    /// <summary>The start line's length, without CRLF; -1 until it is complete.</summary>
    public int StartLineLength { get; private set; } = -1;

    /// <summary>How many field lines were found.</summary>
    public int FieldCount { get; private set; }

    /// <summary>Once complete: the head's total length, including leading empty lines and the final CRLF.</summary>
    public int HeadEnd { get; private set; }

    /// <summary>The field lines found, offsets relative to the start of the scanned bytes.</summary>
    public ReadOnlySpan<FieldEntry> Fields => _entries.AsSpan(0, FieldCount);

    /// <summary>
    /// Once complete: one copy of the head, from the start line to the end (names, values and the start line are
    /// read from it lazily), and its fields over that copy. Both directions' parsers take their head this way.
    /// </summary>
    public (byte[] Raw, HttpHeaders Headers) CopyHead(ReadOnlySpan<byte> buffer)
    {
        int start = HeadStart;
        var raw = buffer[start..HeadEnd].ToArray();
        var fields = Fields;
        var entries = new FieldEntry[fields.Length];
        for (int i = 0; i < fields.Length; i++)
        {
            var f = fields[i];
            entries[i] = new FieldEntry(f.NameStart - start, f.NameLength, f.ValueStart - start, f.ValueLength);
        }
        return (raw, new HttpHeaders(raw, entries, entries.Length));
    }

    /// <summary>True once any byte of a head has been seen (used to tell an idle connection from a slow client).</summary>
    public bool Started => _scanned > 0;

    /// <summary>Forgets everything, ready for the next head.</summary>
    public void Reset()
    {
        _scanned = _lineStart = _leadingEmpty = 0;
        HeadStart = 0;
        StartLineLength = -1;
        FieldCount = 0;
        HeadEnd = 0;
    }

    /// <summary>
    /// Scans <paramref name="buffer"/>, which starts at the first byte of the head and holds everything received so far
    /// (the same bytes as in earlier calls, plus more). Returns true once the empty line ending the head is found.
    /// </summary>
    /// <exception cref="HttpParseException">A line breaks the syntax or a limit (400, 414/400 for the start line, 431).</exception>
    public bool Scan(ReadOnlySpan<byte> buffer)
    {
        while (true)
        {
            int lf = buffer[_scanned..].IndexOf((byte)'\n');
            if (lf < 0)
            {
                _scanned = buffer.Length;
                CheckIncompleteLine(buffer.Length - _lineStart);
                return false;
            }
            lf += _scanned;
            _scanned = lf + 1;
            // RFC 9112 §2.2 lets a recipient accept a bare LF; we do not, because front ends disagree on it (smuggling).
            if (lf == _lineStart || buffer[lf - 1] != (byte)'\r') throw new HttpParseException(400, "Bare LF: lines must end with CRLF.");
            int lineLength = lf - 1 - _lineStart;
            var line = buffer.Slice(_lineStart, lineLength);
            int lineStart = _lineStart;
            _lineStart = lf + 1;

            if (StartLineLength < 0)
            {
                if (lineLength == 0)
                {
                    if (++_leadingEmpty > MaxLeadingEmptyLines) throw new HttpParseException(400, "Too many empty lines before the start line.");
                    HeadStart = _lineStart;
                    continue;
                }
                if (lineLength > maxStartLine) throw TooLongStartLine();
                StartLineLength = lineLength;
                continue;
            }
            if (lineLength == 0)
            {
                HeadEnd = _lineStart;
                return true;
            }
            if (lf + 1 - HeadStart - StartLineLength - 2 > maxHeaderSection) throw TooLargeSection();
            if (FieldCount == maxFields) throw new HttpParseException(431, $"More than {maxFields} header fields.");
            if (FieldCount == _entries.Length) Array.Resize(ref _entries, _entries.Length * 2);
            _entries[FieldCount++] = FieldLine.Parse(line, lineStart);
        }
    }

    private void CheckIncompleteLine(int pending)
    {
        if (StartLineLength < 0)
        {
            if (pending > maxStartLine) throw TooLongStartLine();
        }
        else if (_lineStart + pending - HeadStart - StartLineLength - 2 > maxHeaderSection)
        {
            throw TooLargeSection();
        }
    }

    private HttpParseException TooLongStartLine() =>
        new(startLineTooLongStatus, $"The start line is longer than {maxStartLine} bytes.");

    private HttpParseException TooLargeSection() =>
        new(431, $"The header section is larger than {maxHeaderSection} bytes.");
}

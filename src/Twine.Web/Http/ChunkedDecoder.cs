namespace Twine.Web.Http;

/// <summary>
/// Decodes the chunked transfer coding (RFC 9112 §7.1) incrementally, for request bodies on a server and response
/// bodies on a client alike. The caller keeps unconsumed bytes and passes them again with more: the decoder only ever
/// needs one size line or one trailer line at a time, and both are bounded.
/// </summary>
internal sealed class ChunkedDecoder(int maxSizeLine = ChunkedDecoder.DefaultMaxSizeLine, int maxTrailerSection = 32 * 1024, int maxTrailerFields = 100)
{
    /// <summary>The longest chunk-size line, extensions included, before the body is refused.</summary>
    public const int DefaultMaxSizeLine = 1024;

    // 15 hex digits keep the size below 2^60: far more than any body limit, and no overflow possible.
    private const int MaxSizeDigits = 15;

    private enum State { Size, Data, DataEnd, Trailer, Done }

    private State _state = State.Size;
    private long _remaining;
    private int _trailerBytes;
    private int _trailerFields;
    // Trailer lines are rare: their bytes and entries are allocated only when a body has some.
    private byte[]? _trailerRaw;
    private List<FieldEntry>? _trailerEntries;

    /// <summary>True once the last chunk and the trailers have been read.</summary>
    public bool IsDone => _state == State.Done;

    /// <summary>Starts a new body.</summary>
    public void Reset()
    {
        _state = State.Size;
        _remaining = 0;
        _trailerBytes = _trailerFields = 0;
        _trailerRaw = null;
        _trailerEntries = null;
    }

    /// <summary>
    /// The trailer fields of the body just decoded (empty when it had none), validated with the header rules. Valid
    /// once <see cref="IsDone"/>; call once per body.
    /// </summary>
    public HttpHeaders TakeTrailers()
    {
        if (_trailerEntries is not { } entries) return HttpHeaders.Empty;
        var trailers = new HttpHeaders(_trailerRaw!, [.. entries], entries.Count);
        _trailerRaw = null;
        _trailerEntries = null;
        return trailers;
    }

    /// <summary>
    /// Decodes from <paramref name="input"/>. Returns <see cref="ChunkedStatus.Data"/> with the data's place in
    /// <paramref name="input"/>, <see cref="ChunkedStatus.Done"/> at the end, or <see cref="ChunkedStatus.NeedMore"/>.
    /// <paramref name="consumed"/> bytes (including any data returned) must be dropped before the next call.
    /// </summary>
    /// <exception cref="HttpParseException">Malformed or overflowing sizes, long extensions, missing CRLF, bad trailers.</exception>
    public ChunkedStatus Decode(ReadOnlySpan<byte> input, out int consumed, out int dataOffset, out int dataLength)
    {
        consumed = dataOffset = dataLength = 0;
        while (true)
        {
            var rest = input[consumed..];
            switch (_state)
            {
                case State.Size:
                {
                    int lineLength = FindLine(rest, maxSizeLine, "chunk-size line");
                    if (lineLength < 0) return ChunkedStatus.NeedMore;
                    _remaining = ParseSizeLine(rest[..lineLength]);
                    consumed += lineLength + 2;
                    _state = _remaining == 0 ? State.Trailer : State.Data;
                    break;
                }
                case State.Data:
                {
                    if (rest.IsEmpty) return ChunkedStatus.NeedMore;
                    int n = (int)Math.Min(_remaining, rest.Length);
                    dataOffset = consumed;
                    dataLength = n;
                    consumed += n;
                    _remaining -= n;
                    if (_remaining == 0) _state = State.DataEnd;
                    return ChunkedStatus.Data;
                }
                case State.DataEnd:
                {
                    if (rest.Length < 2)
                    {
                        if (rest.Length == 1 && rest[0] != (byte)'\r') throw MissingCrlf();
                        return ChunkedStatus.NeedMore;
                    }
                    if (rest[0] != (byte)'\r' || rest[1] != (byte)'\n') throw MissingCrlf();
                    consumed += 2;
                    _state = State.Size;
                    break;
                }
                case State.Trailer:
                {
                    int budget = maxTrailerSection - _trailerBytes;
                    int lineLength = FindLine(rest, budget, "trailer section", tooLongStatus: 431);
                    if (lineLength < 0) return ChunkedStatus.NeedMore;
                    consumed += lineLength + 2;
                    if (lineLength == 0)
                    {
                        _state = State.Done;
                        return ChunkedStatus.Done;
                    }
                    _trailerBytes += lineLength + 2;
                    if (++_trailerFields > maxTrailerFields) throw new HttpParseException(431, "Too many trailer fields.");
                    KeepTrailer(rest[..lineLength]);
                    break;
                }
                default:
                    return ChunkedStatus.Done;
            }
        }
    }

    /// <summary>Validates one trailer line (same strictness as a header line) and keeps its bytes.</summary>
    private void KeepTrailer(ReadOnlySpan<byte> line)
    {
        int at = _trailerBytes - line.Length - 2;        // where this line starts among the kept bytes
        var entry = FieldLine.Parse(line, at);
        if (_trailerRaw is null || _trailerRaw.Length < at + line.Length)
        {
            // The section is bounded by maxTrailerSection, so this grows to at most that size.
            var grown = new byte[Math.Max(256, Math.Max(at + line.Length, (_trailerRaw?.Length ?? 0) * 2))];
            if (_trailerRaw is not null) _trailerRaw.AsSpan(0, at).CopyTo(grown);
            _trailerRaw = grown;
        }
        line.CopyTo(_trailerRaw.AsSpan(at));
        (_trailerEntries ??= []).Add(entry);
    }

    private static HttpParseException MissingCrlf() => new(400, "Chunk data is not followed by CRLF.");

    /// <summary>The length of the CRLF-terminated line at the start of <paramref name="s"/>, or -1 if incomplete.</summary>
    private static int FindLine(ReadOnlySpan<byte> s, int max, string what, int tooLongStatus = 400)
    {
        int searched = Math.Min(s.Length, max + 2);
        int lf = s[..searched].IndexOf((byte)'\n');
        if (lf < 0)
        {
            if (s.Length >= max + 2) throw new HttpParseException(tooLongStatus, $"The {what} is longer than {max} bytes.");
            return -1;
        }
        if (lf == 0 || s[lf - 1] != (byte)'\r') throw new HttpParseException(400, $"Bare LF in the {what}.");
        return lf - 1;
    }

    /// <summary>chunk-size [ chunk-ext ], RFC 9112 §7.1.1: hex digits, then only <c>BWS ";" BWS name [BWS "=" BWS value]</c>.</summary>
    private static long ParseSizeLine(ReadOnlySpan<byte> line)
    {
        int i = 0;
        long size = 0;
        while (i < line.Length && HttpChars.HexValue(line[i]) is var v and >= 0)
        {
            if (i == MaxSizeDigits) throw new HttpParseException(400, "Chunk size overflows.");
            size = (size << 4) | (uint)v;
            i++;
        }
        if (i == 0) throw new HttpParseException(400, "Missing or invalid chunk size.");
        var ext = line[i..];
        while (!ext.IsEmpty)
        {
            ext = SkipWhitespace(ext);
            if (ext.IsEmpty || ext[0] != (byte)';') throw new HttpParseException(400, "Invalid character after the chunk size.");
            ext = SkipWhitespace(ext[1..]);
            int name = TokenLength(ext);
            if (name == 0) throw new HttpParseException(400, "Invalid chunk extension name.");
            ext = SkipWhitespace(ext[name..]);
            if (ext.IsEmpty || ext[0] != (byte)'=') continue;
            ext = SkipWhitespace(ext[1..]);
            int value = ext.IsEmpty ? 0 : ext[0] == (byte)'"' ? QuotedLength(ext) : TokenLength(ext);
            if (value == 0) throw new HttpParseException(400, "Invalid chunk extension value.");
            ext = ext[value..];
        }
        return size;
    }

    private static ReadOnlySpan<byte> SkipWhitespace(ReadOnlySpan<byte> s)
    {
        int i = 0;
        while (i < s.Length && HttpChars.IsWhitespace(s[i])) i++;
        return s[i..];
    }

    private static int TokenLength(ReadOnlySpan<byte> s)
    {
        int i = 0;
        while (i < s.Length && HttpChars.IsToken(s[i])) i++;
        return i;
    }

    /// <summary>The length of the quoted-string at the start of <paramref name="s"/> (quotes included), or 0 if malformed.</summary>
    private static int QuotedLength(ReadOnlySpan<byte> s)
    {
        for (int i = 1; i < s.Length; i++)
        {
            var b = s[i];
            if (b == (byte)'"') return i + 1;
            if (b == (byte)'\\')
            {
                if (++i >= s.Length || !HttpChars.IsFieldValue(s[i])) return 0;
            }
            else if (!HttpChars.IsFieldValue(b))
            {
                return 0;
            }
        }
        return 0;
    }
}

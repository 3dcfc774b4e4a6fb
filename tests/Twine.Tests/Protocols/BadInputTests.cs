using System.Buffers.Binary;
using Twine.Protocols;
using Twine.Testing;

namespace Twine.Tests.Protocols;

/// <summary>
/// Bad input as a category of its own: seeded random streams fed in random chunk sizes. Every parser must deliver
/// exactly what a whole-input reference parse delivers, never throw out of DataReceived, and close only through
/// LoseConnection (never an abort), and only with its reason recorded.
/// </summary>
public sealed class BadInputTests
{
    private const int Seeds = 40;

    private static void FeedInRandomChunks(Action<ReadOnlySpan<byte>> receive, byte[] data, Random rng, int maxChunk = 64, Func<bool>? stopWhen = null)
    {
        var i = 0;
        // stopWhen models a real transport, which stops reading once LoseConnection was called.
        while (i < data.Length && stopWhen?.Invoke() != true)
        {
            // Mostly small chunks, sometimes a large one, sometimes an empty one.
            var size = rng.Next(10) switch
            {
                0 => 0,
                1 => rng.Next(1, 4096),
                _ => rng.Next(1, maxChunk),
            };
            size = Math.Min(size, data.Length - i);
            receive(data.AsSpan(i, size));
            i += size;
        }
    }

    /// <summary>Compares message lists with spans: xunit's general collection comparison is slow on megabytes.</summary>
    private static void AssertSameMessages(IReadOnlyList<byte[]> expected, IReadOnlyList<byte[]> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
            Assert.True(expected[i].AsSpan().SequenceEqual(actual[i]), $"message {i} differs");
    }

    private static byte[] RandomBytes(Random rng, int length, Func<byte, bool>? allowed = null)
    {
        var bytes = new byte[length];
        if (allowed is null)
        {
            rng.NextBytes(bytes);
            return bytes;
        }
        for (var i = 0; i < length; i++)
        {
            byte b;
            do b = (byte)rng.Next(256); while (allowed is not null && !allowed(b));
            bytes[i] = b;
        }
        return bytes;
    }

    private static void AssertClosedOnlyCleanly(MemoryTransport t, bool reasonRecorded)
    {
        Assert.False(t.Disconnected, "parsers must never abort the connection");
        Assert.Equal(reasonRecorded, t.Disconnecting);
    }

    // ---------------------------------------------------------------- lines

    private sealed class Lines : LineReceiver
    {
        public readonly List<byte[]> Received = new();
        public readonly List<byte[]> Exceeded = new();
        protected override void LineReceived(ReadOnlySpan<byte> line) => Received.Add(line.ToArray());
        protected override void LineLengthExceeded(ReadOnlySpan<byte> line)
        {
            Exceeded.Add(line.ToArray());
            base.LineLengthExceeded(line);
        }
    }

    private sealed class OnlyLines : LineOnlyReceiver
    {
        public readonly List<byte[]> Received = new();
        public readonly List<byte[]> Exceeded = new();
        protected override void LineReceived(ReadOnlySpan<byte> line) => Received.Add(line.ToArray());
        protected override void LineLengthExceeded(ReadOnlySpan<byte> line)
        {
            Exceeded.Add(line.ToArray());
            base.LineLengthExceeded(line);
        }
    }

    public static TheoryData<string> Delimiters => new() { "\r\n", "\n", "\0\0\0" };

    [Theory]
    [MemberData(nameof(Delimiters))]
    public void ValidLinesInRandomChunksMatchTheReferenceSplit(string delimiterText)
    {
        var delimiter = delimiterText.Select(c => (byte)c).ToArray();
        for (var seed = 0; seed < Seeds; seed++)
        {
            var rng = new Random(seed);
            // Line bytes never contain the delimiter's last byte, so no delimiter can occur inside a line, but its
            // other bytes (a lone '\r', a "\0\0") do, to exercise partial-delimiter handling.
            var last = delimiter[^1];
            var lines = Enumerable.Range(0, 150).Select(_ => RandomBytes(rng, rng.Next(0, 301), b => b != last)).ToList();
            var stream = lines.SelectMany(l => l.Concat(delimiter)).ToArray();

            var r = new Lines { MaxLength = 300, Delimiter = delimiter };
            var t = new MemoryTransport();
            r.MakeConnection(t);
            FeedInRandomChunks(r.DataReceived, stream, rng);
            AssertSameMessages(lines, r.Received);
            AssertClosedOnlyCleanly(t, reasonRecorded: false);

            var o = new OnlyLines { MaxLength = 300, Delimiter = delimiter };
            var u = new MemoryTransport();
            o.MakeConnection(u);
            FeedInRandomChunks(o.DataReceived, stream, rng);
            AssertSameMessages(lines, o.Received);
            AssertClosedOnlyCleanly(u, reasonRecorded: false);
        }
    }

    [Fact]
    public void TruncatedLineStreamsDeliverOnlyTheCompleteLines()
    {
        for (var seed = 0; seed < Seeds; seed++)
        {
            var rng = new Random(1000 + seed);
            var lines = Enumerable.Range(0, 50).Select(_ => RandomBytes(rng, rng.Next(0, 100), b => b != (byte)'\n')).ToList();
            var stream = lines.SelectMany(l => l.Concat("\r\n"u8.ToArray())).ToArray();
            var cut = rng.Next(stream.Length + 1);
            var expected = ReferenceSplit(stream.AsSpan(0, cut).ToArray(), "\r\n"u8.ToArray());

            var r = new Lines();
            var t = new MemoryTransport();
            r.MakeConnection(t);
            FeedInRandomChunks(r.DataReceived, stream[..cut], rng);
            AssertSameMessages(expected, r.Received);
            AssertClosedOnlyCleanly(t, reasonRecorded: false);
        }
    }

    private static List<byte[]> ReferenceSplit(byte[] data, byte[] delimiter)
    {
        var result = new List<byte[]>();
        var start = 0;
        for (var i = 0; i + delimiter.Length <= data.Length;)
        {
            if (data.AsSpan(i, delimiter.Length).SequenceEqual(delimiter))
            {
                result.Add(data[start..i]);
                i += delimiter.Length;
                start = i;
            }
            else i++;
        }
        return result;
    }

    [Fact]
    public void RandomGarbageToLineReceiversClosesOnlyForLengthAndKeepsTheBufferBounded()
    {
        for (var seed = 0; seed < 200; seed++)
        {
            var rng = new Random(2000 + seed);
            // A small alphabet so delimiters do occur, with lines both under and over the limit.
            var alphabet = "ab\r\n"u8.ToArray();
            var data = Enumerable.Range(0, rng.Next(0, 20000)).Select(_ => rng.Next(60) == 0 ? alphabet[rng.Next(4)] : (byte)'a').ToArray();

            var reference = ReferenceSplit(data, "\r\n"u8.ToArray());
            var lastDelimiter = data.AsSpan().LastIndexOf("\r\n"u8);
            var tail = lastDelimiter < 0 ? data.Length : data.Length - lastDelimiter - 2;
            var firstTooLong = reference.FindIndex(l => l.Length > 100);
            var expectedLines = firstTooLong < 0 ? reference : reference[..firstTooLong];

            var r = new Lines { MaxLength = 100 };
            var t = new MemoryTransport();
            r.MakeConnection(t);
            FeedInRandomChunks(d =>
            {
                r.DataReceived(d);
                if (!t.Disconnecting) Assert.True(r.BufferedLength < r.MaxLength + 2);
            }, data, rng, stopWhen: () => t.Disconnecting);
            // LineReceiver tolerates an unterminated MaxLength + 1 bytes (LR2).
            var lineReceiverExceeds = firstTooLong >= 0 || tail >= 102;
            AssertSameMessages(lineReceiverExceeds ? expectedLines : reference, r.Received);
            Assert.Equal(lineReceiverExceeds, r.Exceeded.Count > 0);
            AssertClosedOnlyCleanly(t, reasonRecorded: lineReceiverExceeds);

            var o = new OnlyLines { MaxLength = 100 };
            var u = new MemoryTransport();
            o.MakeConnection(u);
            FeedInRandomChunks(o.DataReceived, data, rng, stopWhen: () => u.Disconnecting);
            // LineOnlyReceiver rejects an unterminated remainder longer than MaxLength (LO1).
            var lineOnlyExceeds = firstTooLong >= 0 || tail > 100;
            AssertSameMessages(lineOnlyExceeds ? expectedLines : reference, o.Received);
            Assert.Equal(lineOnlyExceeds, o.Exceeded.Count > 0);
            AssertClosedOnlyCleanly(u, reasonRecorded: lineOnlyExceeds);
        }
    }

    [Fact]
    public void AHugeUnterminatedLineIsRefusedWithoutBufferingIt()
    {
        var r = new Lines();
        var t = new MemoryTransport();
        r.MakeConnection(t);
        var chunk = new byte[1000];
        Array.Fill(chunk, (byte)'x');
        for (var i = 0; i < 1000; i++)
        {
            r.DataReceived(chunk);
            Assert.True(r.BufferedLength < 16384 + 2);
        }
        Assert.True(t.Disconnecting);
        Assert.NotEmpty(r.Exceeded);
        Assert.Empty(r.Received);
    }

    [Fact]
    public void LongLinesArrivingOneByteAtATimeAreScannedOnce()
    {
        // 64 lines of 16000 bytes, one byte per call: quadratic rescanning would make this crawl.
        var line = new byte[16000];
        Array.Fill(line, (byte)'y');
        var stream = Enumerable.Range(0, 64).SelectMany(_ => line.Concat("\r\n"u8.ToArray())).ToArray();
        var r = new Lines();
        r.MakeConnection(new MemoryTransport());
        for (var i = 0; i < stream.Length; i++) r.DataReceived(stream.AsSpan(i, 1));
        Assert.Equal(64, r.Received.Count);
        Assert.All(r.Received, l => Assert.Equal(16000, l.Length));
    }

    // ---------------------------------------------------------------- netstrings

    private sealed class Netstrings : NetstringReceiver
    {
        public readonly List<byte[]> Received = new();
        protected override void StringReceived(ReadOnlySpan<byte> payload) => Received.Add(payload.ToArray());
    }

    /// <summary>An independent whole-input parse with the NS1–NS3 rules.</summary>
    private static (List<byte[]> Messages, bool Error) ReferenceNetstrings(byte[] data, int maxLength)
    {
        var messages = new List<byte[]>();
        var maxDigits = (int)Math.Ceiling(Math.Log10(maxLength)) + 1;
        var pos = 0;
        while (pos < data.Length)
        {
            var digits = 0;
            while (pos + digits < data.Length && char.IsAsciiDigit((char)data[pos + digits])) digits++;
            if (digits == 0) return (messages, true);
            if (data[pos] == '0' && digits > 1) return (messages, true);            // leading zero
            var text = System.Text.Encoding.ASCII.GetString(data, pos, digits);
            if (digits > maxDigits || System.Numerics.BigInteger.Parse(text) > maxLength) return (messages, true);
            if (pos + digits == data.Length) return (messages, false);             // waiting for the colon
            if (data[pos + digits] != ':') return (messages, true);
            var length = int.Parse(text);
            var start = pos + digits + 1;
            if (data.Length < start + length + 1) return (messages, false);        // waiting for the payload
            if (data[start + length] != ',') return (messages, true);
            messages.Add(data[start..(start + length)]);
            pos = start + length + 1;
        }
        return (messages, false);
    }

    private static byte[] Netstring(byte[] payload) =>
        [.. System.Text.Encoding.ASCII.GetBytes($"{payload.Length}:"), .. payload, (byte)','];

    private static void CheckNetstrings(byte[] data, Random rng, int maxLength = 99999)
    {
        var (expected, error) = ReferenceNetstrings(data, maxLength);
        var r = new Netstrings { MaxLength = maxLength };
        var t = new MemoryTransport();
        r.MakeConnection(t);
        FeedInRandomChunks(r.DataReceived, data, rng);
        AssertSameMessages(expected, r.Received);
        Assert.Equal(error, r.BrokenPeer);
        Assert.Equal(error, r.ParseError is not null);
        AssertClosedOnlyCleanly(t, reasonRecorded: error);
    }

    [Fact]
    public void ValidNetstringsInRandomChunksMatchTheReference()
    {
        for (var seed = 0; seed < Seeds; seed++)
        {
            var rng = new Random(3000 + seed);
            var payloads = Enumerable.Range(0, 60).Select(_ => RandomBytes(rng, rng.Next(0, 2000))).ToList();
            var data = payloads.SelectMany(Netstring).ToArray();
            CheckNetstrings(data, rng);
            Assert.False(ReferenceNetstrings(data, 99999).Error);
            AssertSameMessages(payloads, ReferenceNetstrings(data, 99999).Messages);
        }
    }

    [Fact]
    public void CorruptedTruncatedAndRandomNetstringStreamsMatchTheReference()
    {
        for (var seed = 0; seed < 400; seed++)
        {
            var rng = new Random(4000 + seed);
            var data = Enumerable.Range(0, 20).SelectMany(_ => Netstring(RandomBytes(rng, rng.Next(0, 40)))).ToList();
            switch (seed % 5)
            {
                case 0: data[rng.Next(data.Count)] = (byte)rng.Next(256); break;                 // flip
                case 1: data.Insert(rng.Next(data.Count), (byte)rng.Next(256)); break;           // insert
                case 2: data.RemoveAt(rng.Next(data.Count)); break;                              // delete
                case 3: data = data.Take(rng.Next(data.Count + 1)).ToList(); break;              // truncate
                default: data = RandomBytes(rng, rng.Next(0, 200), b => rng.Next(3) > 0 ? char.IsAsciiDigit((char)b) || b == ':' || b == ',' : true).ToList(); break;
            }
            CheckNetstrings(data.ToArray(), rng, maxLength: seed % 2 == 0 ? 99999 : 30);
        }
    }

    [Fact]
    public void OversizedNetstringLengthsAreRefusedBeforeThePayloadArrives()
    {
        foreach (var announce in new[] { "100000", "99999999999999999999", "100000:" })
        {
            var r = new Netstrings();
            var t = new MemoryTransport();
            r.MakeConnection(t);
            foreach (var b in System.Text.Encoding.ASCII.GetBytes(announce)) r.DataReceived([b]);
            Assert.True(r.BrokenPeer);
            AssertClosedOnlyCleanly(t, reasonRecorded: true);
        }
    }

    // ---------------------------------------------------------------- length-prefixed

    private sealed class Prefixed32(ReceiverHooks hooks) : Int32StringReceiver
    {
        protected override void StringReceived(ReadOnlySpan<byte> payload) => hooks.Received.Add(payload.ToArray());
        protected override void LengthLimitExceeded(long length) { hooks.Limits.Add(length); base.LengthLimitExceeded(length); }
    }

    private sealed class Prefixed16(ReceiverHooks hooks) : Int16StringReceiver
    {
        protected override void StringReceived(ReadOnlySpan<byte> payload) => hooks.Received.Add(payload.ToArray());
        protected override void LengthLimitExceeded(long length) { hooks.Limits.Add(length); base.LengthLimitExceeded(length); }
    }

    private sealed class Prefixed8(ReceiverHooks hooks) : Int8StringReceiver
    {
        protected override void StringReceived(ReadOnlySpan<byte> payload) => hooks.Received.Add(payload.ToArray());
        protected override void LengthLimitExceeded(long length) { hooks.Limits.Add(length); base.LengthLimitExceeded(length); }
    }

    private static IntNStringReceiver CreatePrefixed(int width, ReceiverHooks hooks) => width switch
    {
        4 => new Prefixed32(hooks),
        2 => new Prefixed16(hooks),
        _ => new Prefixed8(hooks),
    };

    /// <summary>An independent whole-input parse: messages until the first oversized prefix.</summary>
    private static (List<byte[]> Messages, bool Exceeded) ReferencePrefixed(byte[] data, int width, long maxLength)
    {
        var messages = new List<byte[]>();
        var pos = 0;
        while (data.Length - pos >= width)
        {
            long length = width switch
            {
                4 => BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(pos)),
                2 => BinaryPrimitives.ReadUInt16BigEndian(data.AsSpan(pos)),
                _ => data[pos],
            };
            if (length > maxLength) return (messages, true);
            if (data.Length - pos - width < length) break;
            messages.Add(data.AsSpan(pos + width, (int)length).ToArray());
            pos += width + (int)length;
        }
        return (messages, false);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(2)]
    [InlineData(1)]
    public void PrefixedStreamsValidCorruptedTruncatedOrRandomMatchTheReference(int width)
    {
        for (var seed = 0; seed < 300; seed++)
        {
            var rng = new Random(5000 + seed * 7 + width);
            var maxPayload = width == 1 ? 255 : 3000;
            var data = new List<byte>();
            for (var i = 0; i < 30; i++)
            {
                var payload = RandomBytes(rng, rng.Next(0, maxPayload + 1));
                var prefix = new byte[width];
                if (width == 4) BinaryPrimitives.WriteUInt32BigEndian(prefix, (uint)payload.Length);
                else if (width == 2) BinaryPrimitives.WriteUInt16BigEndian(prefix, (ushort)payload.Length);
                else prefix[0] = (byte)payload.Length;
                data.AddRange(prefix);
                data.AddRange(payload);
            }
            switch (seed % 4)
            {
                case 0: break;                                                                    // valid
                case 1: data[rng.Next(data.Count)] = (byte)rng.Next(256); break;                 // corrupted
                case 2: data = data.Take(rng.Next(data.Count + 1)).ToList(); break;              // truncated
                default: data = RandomBytes(rng, rng.Next(0, 5000)).ToList(); break;             // random
            }
            var bytes = data.ToArray();
            var maxLength = seed % 3 == 0 ? 99999L : 200L;
            var (expected, exceeded) = ReferencePrefixed(bytes, width, maxLength);

            var hooks = new ReceiverHooks();
            var r = CreatePrefixed(width, hooks);
            r.MaxLength = maxLength;
            var t = new MemoryTransport();
            r.MakeConnection(t);
            FeedInRandomChunks(r.DataReceived, bytes, rng);

            AssertSameMessages(expected, hooks.Received);
            Assert.Equal(exceeded, hooks.Limits.Count > 0);
            Assert.All(hooks.Limits, l => Assert.True(l > maxLength));
            AssertClosedOnlyCleanly(t, reasonRecorded: exceeded);
        }
    }
}

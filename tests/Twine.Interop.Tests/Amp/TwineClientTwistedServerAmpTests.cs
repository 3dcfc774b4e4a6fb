using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using Twine.Defer;
using Twine.Interop.Tests.Peers;
using Twine.Net;
using Twine.Net.Endpoints;
using Twine.Protocols.Amp;
using static Twine.Interop.Tests.Amp.InteropCommands;

namespace Twine.Interop.Tests.Amp;

/// <summary>
/// A Twine AMP client calling Twisted's own twisted.protocols.amp server (peers/amp_server.py): every argument type
/// both ways, declared and undeclared errors, an unknown command, concurrent calls answered out of order, 5 MB values,
/// and a command sent without _ask (AMP1, AMP4–AMP6, AMP8, AMP11).
/// </summary>
public sealed class TwineClientTwistedServerAmpTests
{
    internal static IReadOnlyList<EchoValues> EchoCases()
    {
        var utc = TimeSpan.Zero;
        return
        [
            new(0, [], "", false, 0.0, AmpDecimal.Parse("0"), new DateTimeOffset(2000, 1, 1, 0, 0, 0, utc), [], [], [], null),
            new(-BigInteger.Pow(2, 70), [.. Enumerable.Range(0, 256).Select(i => (byte)i)], "h\u00e9llo \u2713 \U0001F600", true, 0.1,
                AmpDecimal.Parse("-12.50"), new DateTimeOffset(2012, 1, 23, 12, 34, 56, new TimeSpan(5, 30, 0)).AddTicks(543210),
                [1, -20, 500], ["", "\u00e9", new string('x', 300)], [new(7, "hello"), new(-9, "")], "given"),
            new(long.MaxValue, [0, 0], "\0", true, 1e100, AmpDecimal.Parse("1E+2"),
                new DateTimeOffset(1969, 12, 31, 23, 59, 59, TimeSpan.FromHours(-8)).AddTicks(9999990), [1L << 62], ["a"], [], null),
            new(-5, Encoding.ASCII.GetBytes(new string('x', 65535)), "big", false, double.PositiveInfinity, AmpDecimal.PositiveInfinity,
                new DateTimeOffset(9999, 12, 31, 0, 0, 0, utc).AddTicks(10), [], [], [new(0, "z")], null),
            new(7, [1], "u", true, double.NegativeInfinity, AmpDecimal.Parse("-NaN"), new DateTimeOffset(1, 1, 1, 12, 0, 0, TimeSpan.FromHours(-1)), [0], [""], [], null),
            new(8, [1], "u", true, double.NaN, AmpDecimal.SignalingNaN, new DateTimeOffset(2024, 2, 29, 23, 59, 59, utc), [0], [""], [], null),
            new(9, [1], "u", true, -0.0, AmpDecimal.Parse("1E-7"), new DateTimeOffset(2024, 2, 29, 23, 59, 59, utc), [0], [""], [], null),
            new(10, [1], "u", true, 5e-324, AmpDecimal.Parse("0E-10"), new DateTimeOffset(2024, 2, 29, 23, 59, 59, utc), [0], [""], [], null),
        ];
    }

    internal static void AssertSame(EchoValues sent, EchoValues got)
    {
        Assert.Equal(sent.I, got.I);
        Assert.Equal(sent.S, got.S);
        Assert.Equal(sent.U, got.U);
        Assert.Equal(sent.B, got.B);
        Assert.Equal(double.IsNaN(sent.F), double.IsNaN(got.F));
        if (!double.IsNaN(sent.F)) Assert.Equal(BitConverter.DoubleToInt64Bits(sent.F), BitConverter.DoubleToInt64Bits(got.F));
        Assert.Equal(sent.D.ToString(), got.D.ToString());
        Assert.Equal(sent.Dt, got.Dt);
        Assert.Equal(sent.Dt.Offset, got.Dt.Offset);
        Assert.Equal(sent.Li, got.Li);
        Assert.Equal(sent.Lu, got.Lu);
        Assert.Equal(sent.Al, got.Al);
        Assert.Equal(sent.Opt, got.Opt);
    }

    private static void WithTwistedServer(Func<ObservedAmp, Deferred> scenario)
    {
        var (peer, port) = AmpInterop.StartTwistedServer();
        using (peer)
        {
            AmpInterop.Run(async reactor =>
            {
                var endpoint = Endpoints.Client(reactor, $"tcp:host=127.0.0.1:port={port}");
                var amp = await Endpoints.ConnectProtocol(endpoint, new ObservedAmp());
                try
                {
                    await scenario(amp);
                }
                finally
                {
                    amp.TransportOrNull?.LoseConnection();
                }
            }, peer.Report);
        }
    }

    // AMP11: every argument type Twisted has (but Path and Descriptor), encoded by Twine, decoded and re-encoded by
    // Twisted, decoded by Twine: equal values, Float and Decimal specials and DateTime offsets included.
    [Fact]
    public void EveryArgumentType_RoundTripsThroughTwisted_AMP11()
    {
        WithTwistedServer(async amp =>
        {
            foreach (var sent in EchoCases()) AssertSame(sent, await amp.CallRemote(Echo, sent));
        });
    }

    // AMP5/AMP6: a declared error comes back as the declared exception with Twisted's description; UNHANDLED for an
    // unknown command; the connection stays usable after both.
    [Fact]
    public void DeclaredErrorAndUnknownCommand_BecomeTypedExceptions_AMP5_AMP6()
    {
        WithTwistedServer(async amp =>
        {
            var declared = await AmpInterop.FailureOf(amp.CallRemote(Divide, new DivideArgs(7, 0)));
            Assert.Equal("integer division or modulo by zero", Assert.IsType<DivideByZeroException>(declared).Message);

            var unhandled = Assert.IsType<AmpUnhandledCommandException>(await AmpInterop.FailureOf(amp.CallRemote(Nope, Unit.Value)));
            Assert.Equal("Unhandled Command: b'Nope'", unhandled.Description);

            Assert.Equal(3, (await amp.CallRemote(Divide, new DivideArgs(7, 2))).Value);
        });
    }

    // AMP5/AMP8: an undeclared error is UNKNOWN, and Twisted then closes the connection: the calls still waiting
    // fail with the reason, and later calls fail at once.
    [Fact]
    public void UndeclaredError_IsUnknown_AndTwistedClosesTheConnection_AMP5_AMP8()
    {
        WithTwistedServer(async amp =>
        {
            // Held until 100 Holds have arrived, which never happens: these are outstanding when the connection goes.
            var waiting = Enumerable.Range(0, 3).Select(i => amp.CallRemote(Hold, new HoldArgs(i, 100))).ToList();
            var unknown = Assert.IsType<AmpUnknownRemoteException>(await AmpInterop.FailureOf(amp.CallRemote(Divide, new DivideArgs(1, -1))));
            Assert.Equal(("UNKNOWN", "Unknown Error"), (unknown.Code, unknown.Description));
            Assert.IsAssignableFrom<ConnectionClosedException>(await amp.Lost);
            foreach (var call in waiting) Assert.IsAssignableFrom<ConnectionClosedException>(await AmpInterop.FailureOf(call));
            Assert.IsAssignableFrom<ConnectionClosedException>(await AmpInterop.FailureOf(amp.CallRemote(Divide, new DivideArgs(1, 1))));
        });
    }

    // AMP4: 20 calls in flight at once; Twisted answers them in reverse order, and each answer reaches its own call.
    [Fact]
    public void ConcurrentCalls_AnsweredInReverseOrder_EachReachItsCaller_AMP4()
    {
        WithTwistedServer(async amp =>
        {
            var answered = new List<long>();
            var calls = Enumerable.Range(0, 20)
                .Select(i => amp.CallRemote(Hold, new HoldArgs(i, 20)).AddCallback(h =>
                {
                    Assert.Equal(i, h.Id);
                    answered.Add(h.Id);
                    return h;
                }))
                .ToList();
            await Deferred.GatherResults(calls);
            Assert.Equal(Enumerable.Range(0, 20).Reverse().Select(i => (long)i), answered);
        });
    }

    // Large values, chunked as BigString/BigUnicode (key, key.2, ...): 5 MB of bytes and 720 KB of UTF-8 each way.
    [Fact]
    public void LargeValues_TravelChunked_BothWays()
    {
        var data = new byte[5 * 1024 * 1024];
        new Random(13).NextBytes(data);
        var text = string.Concat(Enumerable.Repeat("\u00e9\u2713", 120_000));
        WithTwistedServer(async amp =>
        {
            var result = await amp.CallRemote(Big, new BigArgs(data, text));
            Assert.Equal(data.Length, result.Size);
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(data)), result.Sha);
            Assert.True(data.AsSpan().SequenceEqual(result.Data));
            Assert.Equal(text, result.Text);
        });
    }

    // AMP4: requiresAnswer=False: sent without _ask, Twisted answers nothing, and still ran the responder.
    [Fact]
    public void CommandWithoutAnswer_IsRunByTwisted_AMP4()
    {
        WithTwistedServer(async amp =>
        {
            await amp.Notify(Note, new NoteArgs("first"));
            await amp.Notify(Note, new NoteArgs("second \u2713"));
            Assert.Equal(["first", "second \u2713"], (await amp.CallRemote(Notes, Unit.Value)).Notes);
            Assert.Equal(0, amp.OutstandingCalls);
        });
    }
}

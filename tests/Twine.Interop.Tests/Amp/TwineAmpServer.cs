using System.Security.Cryptography;
using Twine.Defer;
using Twine.Protocols.Amp;
using Twine.Time;
using static Twine.Interop.Tests.Amp.InteropCommands;

namespace Twine.Interop.Tests.Amp;

/// <summary>
/// The Twine side of the commands, answering as peers/amp_commands.py's Twisted responders do. One instance per
/// connection: Hold and Notes keep per-connection state.
/// </summary>
internal sealed class TwineAmpServer
{
    private readonly List<(long Id, Deferred<HoldId> Answer)> _held = [];

    public List<string> NotesReceived { get; } = [];

    public AmpProtocol Protocol { get; }

    private readonly IReactorTime _time;

    public TwineAmpServer(IReactorTime time)
    {
        _time = time;
        var responders = new AmpResponders()
            .Add(Echo, values => values)
            .Add(Divide, a =>
            {
                if (a.Denominator < 0) throw new InvalidOperationException("negative denominators are not handled");
                if (a.Denominator == 0) throw new DivideByZeroException($"cannot divide {a.Numerator} by zero");
                return new Quotient(FloorDivide(a.Numerator, a.Denominator));
            })
            .Add(Hold, HoldUntilAllArrived)
            .Add(Big, a => new BigResult(a.Data, a.Text, a.Data.Length, Convert.ToHexStringLower(SHA256.HashData(a.Data))))
            .Add(Note, a =>
            {
                NotesReceived.Add(a.Text);
                return Unit.Value;
            })
            .Add(Notes, _ => new NotesResult([.. NotesReceived]));
        Protocol = new AmpProtocol(responders);
    }

    private Deferred<HoldId> HoldUntilAllArrived(HoldArgs args)
    {
        var answer = new Deferred<HoldId>();
        _held.Add((args.Id, answer));
        if (_held.Count == args.N)
        {
            var held = _held.ToArray();
            _held.Clear();
            // On the next turn, as the Twisted peer does, so that the last one is answered first like the others.
            _time.CallLater(TimeSpan.Zero, () =>
            {
                for (var i = held.Length - 1; i >= 0; i--) held[i].Answer.Callback(new HoldId(held[i].Id));
            });
        }
        return answer;
    }

    private static long FloorDivide(long n, long d)
    {
        var q = n / d;
        return n % d != 0 && (n < 0) != (d < 0) ? q - 1 : q;
    }
}

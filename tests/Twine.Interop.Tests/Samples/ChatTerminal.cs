using System.Text;
using Twine.Defer;
using Twine.Protocols;

namespace Twine.Interop.Tests.Samples;

/// <summary>A chat user's terminal: the lines the server sent it.</summary>
internal sealed class ChatTerminal : LineReceiver
{
    private readonly Queue<Deferred<string>> _waiting = new();

    public List<string> Lines { get; } = [];

    public bool Lost { get; private set; }

    /// <summary>The next line not yet taken, now or when it arrives (for conversations over real sockets).</summary>
    public Deferred<string> NextLine()
    {
        var next = new Deferred<string>();
        if (Lines.Count > 0)
        {
            var line = Lines[0];
            Lines.RemoveAt(0);
            next.Callback(line);
        }
        else _waiting.Enqueue(next);
        return next;
    }

    /// <summary>Returns the lines received since the last call.</summary>
    public List<string> Take()
    {
        var lines = new List<string>(Lines);
        Lines.Clear();
        return lines;
    }

    protected override void LineReceived(ReadOnlySpan<byte> line)
    {
        var text = Encoding.UTF8.GetString(line);
        if (_waiting.TryDequeue(out var next)) next.Callback(text);
        else Lines.Add(text);
    }

    public override void ConnectionLost(Failure reason) => Lost = true;
}

using Twine;
using System.Text;
using Twine.Defer;
using Twine.Protocols;

namespace EchoClient;

/// <summary>
/// Sends lines to an echo server and prints each echo as "echo: …". Once <see cref="Finish"/> has been called and
/// every line sent has come back, it closes the connection; <see cref="Done"/> fires when the connection is gone.
/// </summary>
public sealed class EchoLineClient : LineReceiver
{
    private readonly TextWriter _output;
    private bool _finished;

    public EchoLineClient(TextWriter output) => _output = output;

    /// <summary>Lines sent and not yet echoed.</summary>
    public int Unanswered { get; private set; }

    /// <summary>Fires when the connection is lost, for whatever reason.</summary>
    public Deferred<Unit> Done { get; } = new();

    /// <summary>Sends one line (without its line break).</summary>
    public void Send(string line)
    {
        Unanswered++;
        SendLine(line);
    }

    /// <summary>No more lines: close once the outstanding echoes are in.</summary>
    public void Finish()
    {
        _finished = true;
        CloseWhenAnswered();
    }

    protected override void LineReceived(ReadOnlySpan<byte> line)
    {
        _output.WriteLine($"echo: {Encoding.UTF8.GetString(line)}");
        Unanswered--;
        CloseWhenAnswered();
    }

    public override void ConnectionLost(Failure reason)
    {
        if (!Done.Called) Done.Callback();
    }

    private void CloseWhenAnswered()
    {
        if (_finished && Unanswered == 0 && !Transport.Disconnecting) Transport.LoseConnection();
    }
}

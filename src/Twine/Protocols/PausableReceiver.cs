using Twine.Net;

namespace Twine.Protocols;

/// <summary>
/// A protocol that is a push producer for its own input (Twisted's LineReceiver and IntNStringReceiver are, LR5/IN4):
/// pausing stops delivery and the transport's reading; resuming restarts reading and delivers what arrived meanwhile.
/// </summary>
/// <example>
/// <code>
/// protected override void LineReceived(ReadOnlySpan&lt;byte&gt; line)
/// {
///     PauseProducing();                      // no more lines until the slow work is done
///     _ = SlowWork(line.ToArray()).AddBoth(_ => ResumeProducing());
/// }
/// </code>
/// </example>
public abstract class PausableReceiver : Protocol, IPushProducer
{
    /// <summary>True while delivery is paused.</summary>
    public bool Paused { get; private set; }

    /// <summary>Pauses delivery and the transport.</summary>
    public void PauseProducing()
    {
        Paused = true;
        TransportOrNull?.PauseProducing();
    }

    /// <summary>Resumes the transport and delivers what was buffered while paused.</summary>
    public void ResumeProducing()
    {
        Paused = false;
        TransportOrNull?.ResumeProducing();
        DataReceived(default);
    }

    /// <summary>Pauses delivery and stops the transport, which closes the connection.</summary>
    public void StopProducing()
    {
        Paused = true;
        TransportOrNull?.StopProducing();
    }
}

using System.Globalization;
using System.Text;
using Twine.Defer;
using Twine.Net;

namespace Twine.Testing;

/// <summary>
/// A pull producer that writes "0" to "9", one per <see cref="ResumeProducing"/>, then unregisters (MR2), after
/// Twisted's test helper of the same name: for testing that a consumer drives non-streaming producers correctly.
/// Pausing it is a bug in the consumer and throws.
/// </summary>
/// <example>
/// <code>
/// var producer = new NonStreamingProducer(transport);
/// transport.RegisterProducer(producer, streaming: false);
/// while (!producer.Result.Called) producer.ResumeProducing();   // what a transport does as its buffer drains
/// Assert.Equal("0123456789", transport.ValueAsString());
/// </code>
/// </example>
public sealed class NonStreamingProducer : IPullProducer
{
    private IConsumer? _consumer;

    /// <summary>Creates a producer that will write to <paramref name="consumer"/>.</summary>
    public NonStreamingProducer(IConsumer consumer)
    {
        ArgumentNullException.ThrowIfNull(consumer);
        _consumer = consumer;
    }

    /// <summary>How many pieces were written.</summary>
    public int Counter { get; private set; }

    /// <summary>True once <see cref="StopProducing"/> was called.</summary>
    public bool Stopped { get; private set; }

    /// <summary>Fires when the producer finishes (after the tenth write) or is stopped.</summary>
    public Deferred<Unit> Result { get; } = new();

    /// <summary>Writes the next number; after the tenth, unregisters and fires <see cref="Result"/>.</summary>
    /// <exception cref="InvalidOperationException">Called after the producer finished or was stopped.</exception>
    public void ResumeProducing()
    {
        if (_consumer is null) throw new InvalidOperationException("BUG: resume after unregister/stop.");
        if (Counter >= 10) return;
        _consumer.Write(Encoding.ASCII.GetBytes(Counter.ToString(CultureInfo.InvariantCulture)));
        Counter++;
        if (Counter == 10)
        {
            _consumer.UnregisterProducer();
            Done();
        }
    }

    /// <summary>Always throws: a consumer must never pause a non-streaming producer.</summary>
    /// <exception cref="InvalidOperationException">Always.</exception>
    public void PauseProducing() => throw new InvalidOperationException("BUG: pause should never be called.");

    /// <summary>Records the stop and fires <see cref="Result"/>.</summary>
    public void StopProducing()
    {
        Stopped = true;
        Done();
    }

    private void Done()
    {
        _consumer = null;
        if (!Result.Called) Result.Callback();
    }
}

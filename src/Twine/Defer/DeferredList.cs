using Twine.Logging;

namespace Twine.Defer;

/// <summary>
/// Waits for several Deferreds and fires with all their outcomes, in input order (Twisted's <c>DeferredList</c>,
/// DL1–DL7). It is itself a Deferred: add callbacks to it, await it, cancel it.
/// </summary>
/// <remarks>
/// <para>The list copies its inputs and adds one pass-through link to each (DL1): callbacks added to an input later
/// still see that input's result (DL6). With <c>consumeErrors</c>, a failed input's own result becomes
/// <c>default(T)</c> once recorded, so the failure is reported through the list only and never logged as an
/// unhandled error of the input.</para>
/// <para>By default the list fires once every input has fired (DL2); an empty list fires at once with an empty
/// list (DL3). With <c>fireOnOneErrback</c>, the first failure fails the list with a
/// <see cref="FirstErrorException"/> carrying that failure and its input's index, even while the list is being
/// constructed (DL5); later outcomes are still recorded, but nothing fires again. For Twisted's
/// <c>fireOnOneCallback</c>, whose result has a different type, use
/// <see cref="Deferred.FirstSuccess{T}(IEnumerable{Deferred{T}}, bool, bool)"/>.</para>
/// <para>Cancelling a list that has not fired cancels every input (DL7); an exception from an input's canceller is
/// logged with <see cref="Log.Error(string, Exception)"/>, not thrown. The list then fires by the rules above, so a
/// canceller that fires its Deferred with a value yields a success entry. Cancelling a fired list cancels nothing
/// (except, as for any Deferred, a Deferred its own callbacks are waiting on).</para>
/// </remarks>
/// <example>
/// <code>
/// var list = new DeferredList&lt;string&gt;([GetPage(a), GetPage(b)], consumeErrors: true);
/// list.AddCallback(outcomes =>
/// {
///     foreach (var o in outcomes)
///         Console.WriteLine(o.Succeeded ? o.Value : "failed: " + o.Failure!.GetErrorMessage());
/// });
/// </code>
/// </example>
public sealed class DeferredList<T> : Deferred<IReadOnlyList<Outcome<T>>>, IListEntrySink<T>
{
    private readonly Deferred[] _inputs;
    private readonly Outcome<T>[] _results;
    private readonly bool _fireOnOneErrback;
    private readonly bool _consumeErrors;
    private int _finished;

    /// <summary>
    /// Starts watching <paramref name="deferreds"/> (copied now, DL1). Every input must be its chain's current end
    /// (the Deferred returned by the last type-changing callback); otherwise <see cref="StaleDeferredException"/>.
    /// </summary>
    /// <param name="deferreds">The Deferreds to wait for.</param>
    /// <param name="fireOnOneErrback">Fail with <see cref="FirstErrorException"/> on the first failure (DL5).</param>
    /// <param name="consumeErrors">Leave failed inputs holding <c>default(T)</c> instead of their failure (DL6).</param>
    public DeferredList(IEnumerable<Deferred<T>> deferreds, bool fireOnOneErrback = false, bool consumeErrors = false)
        : this(Copy(deferreds), fireOnOneErrback, consumeErrors)
    {
    }

    /// <summary>
    /// A list over inputs that may be untyped <see cref="Deferred"/>s: an input that is not a
    /// <see cref="Deferred{T}"/> records success as <c>default(T)</c> (used with <see cref="Unit"/>).
    /// </summary>
    internal DeferredList(Deferred[] inputs, bool fireOnOneErrback, bool consumeErrors)
    {
        _inputs = inputs;
        _results = new Outcome<T>[inputs.Length];
        _fireOnOneErrback = fireOnOneErrback;
        _consumeErrors = consumeErrors;
        // Check every input before attaching to any, so a bad input leaves no half-built list behind.
        foreach (var input in inputs) ChainEnd.Check(input);
        if (inputs.Length == 0)
        {
            Callback(_results); // DL3
            return;
        }
        for (int i = 0; i < inputs.Length; i++)
        {
            var input = inputs[i];
            // An already-fired input runs its link here, so the list may fire before the constructor returns (DL5).
            ChainEnd.Append(input, input is Deferred<T> ? new ListEntryLink<T>(this, i) : new UntypedListEntryLink<T>(this, i));
        }
    }

    /// <summary>How many inputs the list watches.</summary>
    public int Count => _inputs.Length;

    internal static Deferred[] Copy(IEnumerable<Deferred> deferreds)
    {
        ArgumentNullException.ThrowIfNull(deferreds);
        Deferred[] copy = [.. deferreds];
        foreach (var d in copy)
        {
            if (d is null) throw new ArgumentException("The list contains a null Deferred.", nameof(deferreds));
        }
        return copy;
    }

    bool IListEntrySink<T>.Record(int index, Outcome<T> outcome)
    {
        _results[index] = outcome;
        _finished++;
        // Called also covers a list fired by hand, or by fireOnOneErrback earlier: nothing fires twice (DL4, DL5).
        if (!Called)
        {
            if (!outcome.Succeeded && _fireOnOneErrback) Errback(new FirstErrorException(outcome.Failure!, index));
            else if (_finished == _results.Length) Callback(_results);
        }
        return _consumeErrors;
    }

    private protected override bool InvokeCustomCanceller(out bool firesLater)
    {
        // DL7: the inputs' own outcomes decide the list's result, so the list does not fail with CancelledException itself.
        firesLater = true;
        CancelAll(_inputs);
        return true;
    }

    /// <summary>Cancels each input, logging (not throwing) what a canceller throws (DL7).</summary>
    internal static void CancelAll(Deferred[] inputs)
    {
        foreach (var input in inputs)
        {
            try
            {
                input.Cancel();
            }
            catch (Exception e)
            {
                Log.Error(LogEventId.DeferredListCancellerFailed, typeof(Deferred), "Exception raised from a canceller while cancelling a list of Deferreds", e);
            }
        }
    }
}

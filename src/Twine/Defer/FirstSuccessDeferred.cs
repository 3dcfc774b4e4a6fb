namespace Twine.Defer;

/// <summary>
/// The Deferred behind <see cref="Deferred.FirstSuccess{T}(IEnumerable{Deferred{T}}, bool, bool)"/>: Twisted's
/// <c>DeferredList(fireOnOneCallback=True)</c> (DL4), typed as its result is, <c>(value, index)</c>.
/// </summary>
internal sealed class FirstSuccessDeferred<T> : Deferred<(T Value, int Index)>, IListEntrySink<T>
{
    private readonly Deferred[] _inputs;
    private readonly Failure?[] _failures;
    private readonly bool _fireOnOneErrback;
    private readonly bool _consumeErrors;
    private int _finished;

    public FirstSuccessDeferred(Deferred[] inputs, bool fireOnOneErrback, bool consumeErrors)
    {
        _inputs = inputs;
        _failures = new Failure?[inputs.Length];
        _fireOnOneErrback = fireOnOneErrback;
        _consumeErrors = consumeErrors;
        foreach (var input in inputs) ChainEnd.Check(input);
        // DL3: an empty list never fires, since no input can succeed.
        for (int i = 0; i < inputs.Length; i++) ChainEnd.Append(inputs[i], new ListEntryLink<T>(this, i));
    }

    bool IListEntrySink<T>.Record(int index, Outcome<T> outcome)
    {
        _failures[index] = outcome.Failure;
        _finished++;
        if (!Called)
        {
            if (outcome.Succeeded) Callback((outcome.ValueOrDefault!, index));
            else if (_fireOnOneErrback) Errback(new FirstErrorException(outcome.Failure!, index));
            // Nothing has fired the list yet, so every input so far has failed.
            else if (_finished == _failures.Length) Errback(new AllFailedException(Array.ConvertAll(_failures, f => f!)));
        }
        return _consumeErrors;
    }

    private protected override bool InvokeCustomCanceller(out bool firesLater)
    {
        firesLater = true; // DL7: the inputs' outcomes decide
        DeferredList<T>.CancelAll(_inputs);
        return true;
    }
}

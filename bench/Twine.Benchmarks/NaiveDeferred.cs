namespace Twine.Benchmarks;

/// <summary>
/// The yardstick for the Deferred's overhead: the simplest Deferred one could write in C#, with every result boxed
/// to <see cref="object"/> and the callbacks in a <see cref="List{T}"/>. No errbacks, no chaining, no pausing, no
/// type safety; a Twine Deferred does all of those and should still be faster than this.
/// </summary>
internal sealed class NaiveDeferred
{
    private readonly List<Func<object?, object?>> _callbacks = [];
    private object? _result;
    private bool _called;

    public object? Result => _result;

    public NaiveDeferred AddCallback(Func<object?, object?> callback)
    {
        _callbacks.Add(callback);
        if (_called) Run();
        return this;
    }

    public void Callback(object? result)
    {
        if (_called) throw new InvalidOperationException("Already called.");
        _called = true;
        _result = result;
        Run();
    }

    private void Run()
    {
        foreach (var callback in _callbacks) _result = callback(_result);
        _callbacks.Clear();
    }
}

namespace Twine.Defer;

/// <summary>
/// The narrow role of anything that can run a call "soon": later, on its own thread, after the code that asked has
/// returned. Promises run every handler through one (Promises/A+ 2.2.4); the reactor implements it with its
/// call-soon queue, and <see cref="ManualCallSoon"/> implements it by hand for tests.
/// </summary>
/// <remarks>
/// <para>Implementations must run calls in the order they were asked for (FIFO), never inside
/// <see cref="CallSoon"/> itself, and always on the implementation's own thread.</para>
/// <para><see cref="CallSoon"/> itself must accept calls from any thread: a promise adopting a <see cref="Task{TResult}"/>
/// hands the task's result back through it from whichever thread completed the task.</para>
/// </remarks>
/// <example>
/// <code>
/// var soon = new ManualCallSoon();
/// soon.CallSoon(s => Console.WriteLine(s), "later");
/// soon.RunUntilIdle();   // prints "later"
/// </code>
/// </example>
public interface ICallSoon
{
    /// <summary>Queues <paramref name="action"/> to run with <paramref name="state"/> after the current call stack has unwound.</summary>
    void CallSoon(Action<object?> action, object? state);
}

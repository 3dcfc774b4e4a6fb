using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace Twine.Threading;

/// <summary>
/// The thread a reactor and everything it drives belong to, and the one home of the thread rule: calls that touch
/// reactor state (writing to a transport, listening, connecting, scheduling a timer) must happen on that thread.
/// </summary>
/// <remarks>
/// <para>Until the reactor runs, its thread is the one that created it, so a program (or a test) may set up ports,
/// connections and timers before calling <c>Run</c>, as Twisted allows; <c>Run</c> then moves ownership to the thread
/// running the loop. Transports hold this object rather than a copy of the id, so that move reaches them too.</para>
/// <para>The check is one thread-static read and one compare: cheap enough for every <c>Write</c>. Failing fast here
/// replaces silent corruption (two threads in one write buffer) with an exception that says what to do.</para>
/// </remarks>
internal sealed class ReactorThread
{
    private int _id = Environment.CurrentManagedThreadId;

    /// <summary>The managed id of the owning thread.</summary>
    public int Id => Volatile.Read(ref _id);

    /// <summary>True on the owning thread.</summary>
    public bool IsCurrent
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Environment.CurrentManagedThreadId == Volatile.Read(ref _id);
    }

    /// <summary>Makes the calling thread the owner (the reactor starts running on it). A full fence, see Reactor.Run.</summary>
    public void MoveToCurrentThread() => Interlocked.Exchange(ref _id, Environment.CurrentManagedThreadId);

    /// <summary>
    /// Throws unless called on the owning thread. <paramref name="member"/> names the call ("Write"),
    /// <paramref name="owner"/> what belongs to the reactor ("this transport").
    /// </summary>
    /// <exception cref="InvalidOperationException">Called from another thread.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Check(string member, string owner)
    {
        if (Environment.CurrentManagedThreadId != Volatile.Read(ref _id)) Throw(member, owner);
    }

    /// <summary>The exception <see cref="Check"/> throws: names the rule, both threads, and the way out.</summary>
    internal InvalidOperationException Violation(string member, string owner) => new(
        $"Twine: {member} was called from thread {Environment.CurrentManagedThreadId}, but {owner} belongs to the " +
        $"reactor thread {Id}; use reactor.CallFromThread(...) to run code on the reactor thread.");

    [DoesNotReturn, MethodImpl(MethodImplOptions.NoInlining)]
    private void Throw(string member, string owner) => throw Violation(member, owner);
}

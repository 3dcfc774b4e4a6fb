using System.Diagnostics.CodeAnalysis;
using System.Diagnostics;
using System.Runtime.ExceptionServices;
using System.Text;

namespace Twine;

/// <summary>How much <see cref="Failure.GetTraceback(TracebackDetail)"/> prints.</summary>
public enum TracebackDetail
{
    /// <summary>A header line, the frames, and the exception line.</summary>
    Default,
    /// <summary>One line per frame (<c>file:line:method</c>) after a one-line header.</summary>
    Brief,
    /// <summary>As <see cref="Default"/>, followed by the full .NET <c>Exception.ToString()</c> (inner exceptions included).</summary>
    Verbose,
}

/// <summary>
/// An error travelling down a Deferred's errback chain: an <see cref="Exception"/> together with the stack it was
/// thrown from, so that re-raising it (<see cref="Trap"/>, <see cref="RaiseException"/>) keeps the original trace.
/// </summary>
/// <example>
/// <code>
/// d.AddErrback(f =>
/// {
///     f.Trap&lt;TimeoutException&gt;();   // anything else keeps travelling down the chain
///     Console.WriteLine("too slow: " + f.GetErrorMessage());
/// });
/// </code>
/// </example>
public sealed class Failure
{
    private readonly ExceptionDispatchInfo _info;

    /// <summary>Wraps <paramref name="exception"/>, capturing its current stack trace (FA1).</summary>
    public Failure(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        _info = ExceptionDispatchInfo.Capture(exception);
    }

    /// <summary>Copies another failure: the value is the same exception object (FA1).</summary>
    public Failure(Failure other)
    {
        ArgumentNullException.ThrowIfNull(other);
        _info = other._info;
    }

    /// <summary>The wrapped exception.</summary>
    public Exception Value => _info.SourceException;

    /// <summary>The runtime type of <see cref="Value"/>.</summary>
    public Type Type => Value.GetType();

    /// <summary>
    /// Returns the first of <paramref name="types"/> that the failure's type is, or derives from; null when none
    /// matches (FA3).
    /// </summary>
    public Type? Check(params Type[] types)
    {
        foreach (var t in types)
        {
            if (t.IsInstanceOfType(Value)) return t;
        }
        return null;
    }

    /// <summary>True when the failure's exception is a <typeparamref name="T"/> (FA3).</summary>
    public bool Check<T>() where T : Exception => Value is T;

    /// <summary>
    /// Returns the matching type, or re-throws the <b>original</b> exception (with its original stack) when
    /// nothing matches, so that inside an errback the same error keeps travelling down the chain (FA4).
    /// </summary>
    public Type Trap(params Type[] types)
    {
        var found = Check(types);
        if (found is null) _info.Throw();
        return found!;
    }

    /// <summary>Returns <see cref="Value"/> as <typeparamref name="T"/>, or re-throws the original exception (FA4).</summary>
    public T Trap<T>() where T : Exception
    {
        if (Value is T t) return t;
        _info.Throw();
        throw new UnreachableException();
    }

    /// <summary>Re-throws the original exception with its original stack trace (FA7).</summary>
    [DoesNotReturn]
    public void RaiseException() => _info.Throw();

    /// <summary>The exception's message; never throws (FA5).</summary>
    public string GetErrorMessage()
    {
        try
        {
            return Value.Message;
        }
        catch (Exception e)
        {
            return $"<message unavailable: {e.GetType().FullName}>";
        }
    }

    /// <summary>
    /// A stable text rendering (FA6) in .NET's own order and wording, as <c>Exception.ToString()</c> prints a stack:
    /// <see cref="TracebackDetail.Default"/>:
    /// <code>
    /// System.InvalidOperationException: boom
    ///    at Namespace.Type.Method in file:line 12
    ///    at ...the callers, innermost first
    /// </code>
    /// An exception that was never thrown has no frames: its rendering is the first line alone.
    /// <see cref="TracebackDetail.Brief"/>: the first line, then one <c>file:line:method</c> per frame.
    /// Never throws.
    /// </summary>
    /// <remarks>
    /// Twisted prints Python's "Traceback (most recent call last)", outermost frame first. Twine follows .NET instead,
    /// so a failure reads like every other .NET stack trace its users see.
    /// </remarks>
    public string GetTraceback(TracebackDetail detail = TracebackDetail.Default)
    {
        if (!Enum.IsDefined(detail)) throw new ArgumentOutOfRangeException(nameof(detail), detail, "Unknown traceback detail.");
        var sb = new StringBuilder();
        sb.Append(Type.FullName).Append(": ").Append(GetErrorMessage()).Append('\n');
        foreach (var f in SafeFrames())
        {
            if (detail == TracebackDetail.Brief)
            {
                // DiagnosticMethodInfo, not StackFrame.GetMethod(): it survives trimming and Native AOT.
                var m = DiagnosticMethodInfo.Create(f);
                sb.Append(f.GetFileName() ?? "?").Append(':').Append(f.GetFileLineNumber()).Append(':')
                  .Append(m is null ? "?" : m.Name).Append('\n');
            }
            else
            {
                sb.Append("   at ").Append(Describe(f)).Append('\n');
            }
        }
        if (detail == TracebackDetail.Verbose)
        {
            try { sb.Append(Value.ToString()).Append('\n'); }
            catch (Exception e) { sb.Append("<details unavailable: ").Append(e.GetType().FullName).Append(">\n"); }
        }
        return sb.ToString();
    }

    private StackFrame[] SafeFrames()
    {
        try
        {
            return new StackTrace(Value, fNeedFileInfo: true).GetFrames();
        }
        catch (Exception)
        {
            return [];
        }
    }

    private static string Describe(StackFrame f)
    {
        var m = DiagnosticMethodInfo.Create(f);
        var name = m is null ? "?" : $"{m.DeclaringTypeName}.{m.Name}";
        var file = f.GetFileName();
        return file is null ? name : $"{name} in {file}:line {f.GetFileLineNumber()}";
    }

    /// <summary><c>[Failure instance: brief traceback]</c>.</summary>
    public override string ToString() => $"[Failure instance: Traceback: {GetTraceback(TracebackDetail.Brief).TrimEnd('\n')}]";
}

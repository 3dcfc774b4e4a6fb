using System.Text;
using Twine.Defer;

namespace Twine.Web;

/// <summary>
/// What a render returns: the whole body (bytes or a string), a Deferred of a later result (so <c>async Deferred</c>
/// methods work), or <see cref="NotDoneYet"/> when the resource will <see cref="Request.Write(ReadOnlySpan{byte})"/> and
/// <see cref="Request.Finish"/> by itself. Conversions make each of these a plain <c>return</c>.
/// </summary>
/// <example>
/// <code>
/// protected override RenderResult RenderGet(Request r) => "hello";                  // a string body
/// protected override RenderResult RenderPost(Request r) => Later(r);                // a Deferred
/// private async Deferred&lt;RenderResult&gt; Later(Request r) { await Task.Yield(); return "done"; }
/// protected override RenderResult RenderPut(Request r)
/// {
///     reactor.CallLater(TimeSpan.FromSeconds(1), () => { r.Write("late"); r.Finish(); });
///     return RenderResult.NotDoneYet;
/// }
/// </code>
/// </example>
public readonly struct RenderResult
{
    private static readonly object s_notDoneYet = new();

    private RenderResult(object? value) => Value = value;

    internal object? Value { get; }

    /// <summary>The resource writes and finishes the response itself (Twisted's <c>NOT_DONE_YET</c>).</summary>
    public static RenderResult NotDoneYet => new(s_notDoneYet);

    internal bool IsNotDoneYet => ReferenceEquals(Value, s_notDoneYet);

    /// <summary>A body of bytes.</summary>
    public static implicit operator RenderResult(byte[] body) => new(body ?? throw new ArgumentNullException(nameof(body)));

    /// <summary>A body of text, sent as UTF-8.</summary>
    public static implicit operator RenderResult(string body) => new(Encoding.UTF8.GetBytes(body ?? throw new ArgumentNullException(nameof(body))));

    /// <summary>A result that comes later.</summary>
    public static implicit operator RenderResult(Deferred<RenderResult> later) => new(later ?? throw new ArgumentNullException(nameof(later)));

    /// <summary>A body of bytes that comes later.</summary>
    public static implicit operator RenderResult(Deferred<byte[]> later) =>
        new((later ?? throw new ArgumentNullException(nameof(later))).AddCallback(b => (RenderResult)b));

    /// <summary>A body of text that comes later.</summary>
    public static implicit operator RenderResult(Deferred<string> later) =>
        new((later ?? throw new ArgumentNullException(nameof(later))).AddCallback(s => (RenderResult)s));
}

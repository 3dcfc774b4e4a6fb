using Twine.Logging;
using Twine.Net;

namespace Twine.Protocols;

/// <summary>
/// Dispatches each received string to the handler for the current state, whose return value becomes the next state,
/// after Twisted's <c>StatefulStringProtocol</c> (IN6). The state <c>"done"</c> closes the connection; a state with no
/// handler is logged and the string dropped.
/// </summary>
/// <remarks>
/// Twisted's version is a mixin over a string receiver's <c>stringReceived</c>, finding <c>proto_&lt;state&gt;</c>
/// methods by name. C# has no mixins, so here it is a small object the receiver owns and forwards to, with the states
/// in a table: it works with <see cref="NetstringReceiver"/> and every <see cref="IntNStringReceiver"/> alike.
/// </remarks>
/// <example>
/// <code>
/// sealed class Login : Int32StringReceiver
/// {
///     private readonly StatefulStringProtocol _states;
///     public Login()
///     {
///         _states = new StatefulStringProtocol(this)
///         {
///             ["init"] = user => { SendString("password?"u8); return "password"; },
///             ["password"] = pw => { SendString("welcome"u8); return "done"; },   // "done" closes
///         };
///     }
///     protected override void StringReceived(ReadOnlySpan&lt;byte&gt; payload) => _states.StringReceived(payload);
/// }
/// </code>
/// </example>
public sealed class StatefulStringProtocol : IEnumerable<KeyValuePair<string, StringStateHandler>>
{
    /// <summary>The state that closes the connection when a handler returns it.</summary>
    public const string Done = "done";

    private readonly Protocol _owner;
    private readonly Dictionary<string, StringStateHandler> _handlers = new(StringComparer.Ordinal);

    /// <summary>Creates a dispatcher for <paramref name="owner"/>, whose transport is closed on <c>"done"</c>.</summary>
    /// <param name="owner">The string receiver that forwards its strings here.</param>
    /// <param name="initialState">The first state. Default <c>"init"</c>, as in Twisted.</param>
    public StatefulStringProtocol(Protocol owner, string initialState = "init")
    {
        ArgumentNullException.ThrowIfNull(owner);
        _owner = owner;
        State = initialState;
    }

    /// <summary>The current state; null after a handler returned null (the next string is then logged and dropped).</summary>
    public string? State { get; set; }

    /// <summary>The handler for <paramref name="state"/>.</summary>
    public StringStateHandler this[string state]
    {
        get => _handlers[state];
        set
        {
            ArgumentNullException.ThrowIfNull(state);
            ArgumentNullException.ThrowIfNull(value);
            _handlers[state] = value;
        }
    }

    /// <summary>Adds the handler for <paramref name="state"/> (for collection initialisers).</summary>
    public void Add(string state, StringStateHandler handler) => this[state] = handler;

    /// <summary>
    /// Calls the handler for <see cref="State"/> with <paramref name="data"/> and moves to the state it returns; closes
    /// the connection if that is <c>"done"</c>. With no handler for the state, logs "callback … not found" (IN6).
    /// </summary>
    public void StringReceived(ReadOnlySpan<byte> data)
    {
        if (State is null || !_handlers.TryGetValue(State, out var handler))
        {
            Log.Info(LogEventId.StateHandlerMissing, typeof(StatefulStringProtocol), $"callback {State ?? "null"} not found");
            return;
        }
        State = handler(data);
        if (State == Done) _owner.TransportOrNull?.LoseConnection();
    }

    /// <inheritdoc />
    public IEnumerator<KeyValuePair<string, StringStateHandler>> GetEnumerator() => _handlers.GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}

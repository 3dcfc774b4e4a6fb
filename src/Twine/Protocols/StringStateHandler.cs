namespace Twine.Protocols;

/// <summary>
/// Handles one string in one state of a <see cref="StatefulStringProtocol"/> and returns the next state (Twisted's
/// <c>proto_&lt;state&gt;</c> methods). <paramref name="data"/> is only valid during the call.
/// </summary>
/// <example>
/// <code>
/// StringStateHandler init = data => data.SequenceEqual("HELO"u8) ? "auth" : "done";
/// </code>
/// </example>
public delegate string? StringStateHandler(ReadOnlySpan<byte> data);

namespace Twine.Protocols.Amp;

/// <summary>
/// A remote command, after Twisted's <c>Command</c>: its name on the wire, the schema of its arguments and of its
/// response, the errors it may answer with (each with its code), and whether the caller expects an answer. One
/// instance describes the command for both sides: the caller passes it to
/// <see cref="AmpProtocol.CallRemote{TArguments, TResponse}"/>, the callee to
/// <see cref="AmpResponders.Add{TArguments, TResponse}(AmpCommand{TArguments, TResponse}, Func{TArguments, TResponse})"/>.
/// </summary>
/// <remarks>
/// The name and keys are exactly what goes on the wire (AMP10): to talk to a Twisted program, use its command class
/// name (or its <c>commandName</c>) and its argument names.
/// </remarks>
/// <example>
/// <code>
/// public sealed record SumArgs(long A, long B);
/// public sealed record SumResult(long Total);
///
/// public static readonly AmpCommand&lt;SumArgs, SumResult&gt; Sum = new(
///     "Sum",
///     AmpSchema.Of(AmpType.Integer.Field("a", (SumArgs s) => s.A), AmpType.Integer.Field("b", (SumArgs s) => s.B), (a, b) => new SumArgs(a, b)),
///     AmpSchema.Of(AmpType.Integer.Field("total", (SumResult r) => r.Total), t => new SumResult(t)))
/// {
///     Errors = { { "OVERFLOW", message => new OverflowException(message) } },
/// };
/// </code>
/// </example>
/// <typeparam name="TArguments">The record of arguments (<see cref="Unit"/> for none).</typeparam>
/// <typeparam name="TResponse">The record of the response (<see cref="Unit"/> for an empty one).</typeparam>
public sealed class AmpCommand<TArguments, TResponse>
{
    /// <summary>Declares a command.</summary>
    /// <param name="name">The command's name on the wire (Twisted: the class name or <c>commandName</c>).</param>
    /// <param name="arguments">The schema of the arguments.</param>
    /// <param name="response">The schema of the response.</param>
    public AmpCommand(string name, AmpSchema<TArguments> arguments, AmpSchema<TResponse> response)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (name.Length > AmpBox.MaxValueLength) throw new AmpTooLongException(isKey: false, isLocal: true, name.Length, AmpKeys.Command);
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(response);
        Name = name;
        NameBytes = System.Text.Encoding.Latin1.GetBytes(name);
        Arguments = arguments;
        Response = response;
    }

    /// <summary>The name on the wire.</summary>
    public string Name { get; }

    internal byte[] NameBytes { get; }

    /// <summary>The schema of the arguments.</summary>
    public AmpSchema<TArguments> Arguments { get; }

    /// <summary>The schema of the response.</summary>
    public AmpSchema<TResponse> Response { get; }

    /// <summary>
    /// Errors the responder may raise, each sent with its code; the connection stays open. The caller's Deferred
    /// fails with the exception the code maps back to, made from the description (AMP5, AMP6).
    /// </summary>
    public AmpErrors Errors { get; } = new();

    /// <summary>Like <see cref="Errors"/>, but the responder's side closes the connection after sending the error (AMP5).</summary>
    public AmpErrors FatalErrors { get; } = new();

    /// <summary>
    /// Whether callers wait for an answer (default true). When false, <see cref="AmpProtocol.Notify{TArguments, TResponse}"/>
    /// sends the command without <c>_ask</c> and no reply ever comes (AMP4).
    /// </summary>
    public bool RequiresAnswer { get; init; } = true;

    /// <summary>The command's name.</summary>
    public override string ToString() => Name;
}

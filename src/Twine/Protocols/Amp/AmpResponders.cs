using Twine.Defer;

namespace Twine.Protocols.Amp;

/// <summary>
/// The commands a connection answers, each with its responder, after Twisted's <c>@Command.responder</c> methods. A
/// responder gets the command's arguments and returns the response, or a Deferred of it (an <c>async Deferred</c>
/// method works); an exception it throws, or a failed Deferred, becomes an error reply (AMP5). One table may be
/// shared by every connection of a server.
/// </summary>
/// <remarks>
/// A lambda that only throws fits both <c>Add</c> overloads; give it its return type to choose:
/// <c>.Add(Commands.Sum, SumResult (a) =&gt; throw new NotSupportedException())</c>.
/// </remarks>
/// <example>
/// <code>
/// var responders = new AmpResponders()
///     .Add(Commands.Sum, args => new SumResult(args.A + args.B))
///     .Add(Commands.SlowSquare, async args =>
///     {
///         await reactor.Sleep(TimeSpan.FromSeconds(1));
///         return new SquareResult(args.X * args.X);
///     });
/// reactor.ListenTcp(7000, Factory.ForProtocol(() => new AmpProtocol(responders)));
/// </code>
/// </example>
public sealed class AmpResponders
{
    private readonly Dictionary<string, IAmpResponder> _byName;
    private readonly Dictionary<string, IAmpResponder>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    /// <summary>Creates an empty table.</summary>
    public AmpResponders()
    {
        _byName = new Dictionary<string, IAmpResponder>(StringComparer.Ordinal);
        _lookup = _byName.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>The names of the commands answered.</summary>
    public IEnumerable<string> CommandNames => _byName.Keys;

    /// <summary>Answers <paramref name="command"/> with a synchronous responder.</summary>
    /// <exception cref="ArgumentException">The command already has a responder.</exception>
    public AmpResponders Add<TArguments, TResponse>(AmpCommand<TArguments, TResponse> command, Func<TArguments, TResponse> respond)
    {
        ArgumentNullException.ThrowIfNull(respond);
        return Register(command, new Responder<TArguments, TResponse>(command, respond, null));
    }

    /// <summary>Answers <paramref name="command"/> with a responder whose response comes later, as a Deferred.</summary>
    /// <exception cref="ArgumentException">The command already has a responder.</exception>
    public AmpResponders Add<TArguments, TResponse>(AmpCommand<TArguments, TResponse> command, Func<TArguments, Deferred<TResponse>> respond)
    {
        ArgumentNullException.ThrowIfNull(respond);
        return Register(command, new Responder<TArguments, TResponse>(command, null, respond));
    }

    /// <summary>Whether a command of this name has a responder.</summary>
    public bool Contains(string commandName) => _byName.ContainsKey(commandName);

    /// <summary>Finds the responder for a command name as it came off the wire, without making a string of it.</summary>
    internal bool TryGet(ReadOnlySpan<byte> commandName, out IAmpResponder responder)
    {
        if (commandName.Length > 256) return _byName.TryGetValue(System.Text.Encoding.Latin1.GetString(commandName), out responder!);
        Span<char> name = stackalloc char[commandName.Length];
        System.Text.Encoding.Latin1.GetChars(commandName, name);
        return _lookup.TryGetValue(name, out responder!);
    }

    private AmpResponders Register<TArguments, TResponse>(AmpCommand<TArguments, TResponse> command, IAmpResponder responder)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (!_byName.TryAdd(command.Name, responder))
            throw new ArgumentException($"The AMP command '{command.Name}' already has a responder.", nameof(command));
        return this;
    }
}

/// <summary>Runs one command's responder for a request box and hands the outcome back to the connection.</summary>
internal interface IAmpResponder
{
    void Dispatch(AmpProtocol protocol, AmpBox request, ReadOnlyMemory<byte>? ask);
}

/// <summary>The typed responder: reads the arguments, calls the application, and sends the answer or the error.</summary>
internal sealed class Responder<TArguments, TResponse>(
    AmpCommand<TArguments, TResponse> command,
    Func<TArguments, TResponse>? respond,
    Func<TArguments, Deferred<TResponse>>? respondLater) : IAmpResponder
{
    public void Dispatch(AmpProtocol protocol, AmpBox request, ReadOnlyMemory<byte>? ask)
    {
        TArguments arguments;
        try
        {
            arguments = command.Arguments.Read(request);
        }
        catch (Exception e)
        {
            protocol.RespondWithError(command, ask, e);
            return;
        }

        if (respond is not null)
        {
            TResponse response;
            try
            {
                response = respond(arguments);
            }
            catch (Exception e)
            {
                protocol.RespondWithError(command, ask, e);
                return;
            }
            protocol.RespondWithAnswer(command, ask, response);
            return;
        }

        RespondLater(protocol, arguments, ask is { } asked ? new ReadOnlyMemory<byte>(asked.ToArray()) : (ReadOnlyMemory<byte>?)null);
    }

    // Apart from Dispatch because its lambda captures: the closure would otherwise be allocated on every call,
    // synchronous responders included.
    private void RespondLater(AmpProtocol protocol, TArguments arguments, ReadOnlyMemory<byte>? tag)
    {
        // The tag was copied out: the answer comes later, and only the tag, not the whole received box, is kept.
        Deferred<TResponse> later;
        try
        {
            later = respondLater!(arguments) ?? throw new InvalidOperationException($"The responder for '{command.Name}' returned a null Deferred.");
        }
        catch (Exception e)
        {
            protocol.RespondWithError(command, tag, e);
            return;
        }
        later.AddBoth(outcome =>
        {
            if (outcome.Failure is { } failure) protocol.RespondWithError(command, tag, failure.Value);
            else protocol.RespondWithAnswer(command, tag, outcome.Value);
        });
    }
}

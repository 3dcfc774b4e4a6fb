namespace Twine.Net;

/// <summary>
/// The role endpoint description strings are parsed against: a reactor that makes TCP and Unix stream sockets
/// (<see cref="IReactorTcp"/> and <see cref="IReactorUnix"/>). Implemented by <c>Reactor</c> and
/// <c>Twine.Testing.MemoryReactor</c>. A parser for a type that needs another role tests for it
/// (<c>reactor as IReactorX</c>) and says clearly when it is missing.
/// </summary>
/// <example>
/// <code>
/// IStreamServerEndpoint Listening(IReactorStreamSockets reactor, string description) =>
///     Endpoints.Server(reactor, description);
/// </code>
/// </example>
public interface IReactorStreamSockets : IReactorTcp, IReactorUnix;

using Microsoft.Extensions.Logging;
using Twine.Defer;
using Twine.Net;
using Twine.Reactors;
using Twine.Extensions.Hosting;

namespace HostedLineServer;

/// <summary>
/// Everyone connected, as a Twine service: it builds the protocols, and when the host stops (the reactor's "before
/// shutdown" phase) it tells each client the server is going away and closes the connection, waiting until each is
/// gone, before the reactor tears down what is left.
/// </summary>
public sealed partial class Lobby(ILogger<Lobby> logger) : ITwineService
{
    /// <summary>The line sent to every client when the server stops.</summary>
    public const string GoodbyeLine = "server shutting down, goodbye";

    // Only touched on the reactor thread.
    private readonly HashSet<ShoutProtocol> _clients = [];

    public IProtocolFactory Factory => field ??= Twine.Net.Factory.ForProtocol(() => new ShoutProtocol(this));

    internal ILogger Logger => logger;

    public Deferred StartAsync(Reactor reactor) => Deferred.Succeed();

    public Deferred StopAsync(Reactor reactor)
    {
        LogStopping(logger, _clients.Count);
        var gone = new List<Deferred>();
        foreach (var client in _clients.ToArray())
        {
            client.SendLine(GoodbyeLine);
            gone.Add(Deferred.FromTask(client.Transport.DisposeAsync().AsTask()));
        }
        return Deferred.GatherResults(gone);
    }

    internal void Joined(ShoutProtocol client) => _clients.Add(client);

    internal void Left(ShoutProtocol client) => _clients.Remove(client);

    [LoggerMessage(EventId = 1, EventName = "Stopping", Level = LogLevel.Information, Message = "Stopping: saying goodbye to {Clients} client(s)")]
    private static partial void LogStopping(ILogger logger, int clients);
}

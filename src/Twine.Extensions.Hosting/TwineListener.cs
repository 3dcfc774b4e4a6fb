using System.Net;
using Twine.Net;

namespace Twine.Extensions.Hosting;

/// <summary>
/// A server endpoint the hosted reactor listens on, registered with
/// <see cref="TwineServiceCollectionExtensions.AddTwineListener"/>. Resolve it (all of them:
/// <c>GetServices&lt;TwineListener&gt;()</c>) to learn the address it is bound to, for example an ephemeral port.
/// </summary>
/// <example>
/// <code>
/// builder.Services.AddTwine().AddTwineListener("tcp:0:interface=127.0.0.1", _ =&gt; Factory.ForProtocol&lt;Echo&gt;());
/// using var host = builder.Build();
/// await host.StartAsync();
/// var port = ((IPEndPoint)host.Services.GetRequiredService&lt;TwineListener&gt;().Address!).Port;
/// </code>
/// </example>
public sealed class TwineListener
{
    private volatile IListeningPort? _port;

    internal TwineListener(string endpoint) => Endpoint = endpoint;

    /// <summary>The server endpoint string, as given (<c>tcp:8000</c>, <c>unix:/run/app.sock</c>, <c>ssl:...</c>).</summary>
    public string Endpoint { get; }

    /// <summary>The listening address once the host has started (null before, and after the host stopped).</summary>
    public EndPoint? Address => _port?.Host;

    /// <summary>The listening port while listening; set and cleared on the reactor thread.</summary>
    internal IListeningPort? Port
    {
        get => _port;
        set => _port = value;
    }

    /// <inheritdoc />
    public override string ToString() => Address is { } address ? $"{Endpoint} ({address})" : Endpoint;
}

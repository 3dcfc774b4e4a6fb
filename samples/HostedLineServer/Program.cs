using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Twine.Extensions.Hosting;

namespace HostedLineServer;

/// <summary>
/// A line-protocol server run by the .NET generic host: <c>dotnet run --project samples/HostedLineServer -- --listen
/// tcp:8124</c>. The host owns configuration, logging and Ctrl-C; Twine's reactor runs on its own thread as a hosted
/// service. Try it with <c>nc -C 127.0.0.1 8124</c>.
/// </summary>
public static class Program
{
    public const string DefaultEndpoint = "tcp:8124:interface=127.0.0.1";

    public static async Task Main(string[] args)
    {
        using var host = CreateBuilder(args).Build();
        await host.RunAsync();
    }

    /// <summary>The whole application's wiring; the test builds the same host on an ephemeral port.</summary>
    public static HostApplicationBuilder CreateBuilder(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(args);
        var endpoint = builder.Configuration["listen"] ?? DefaultEndpoint;
        builder.Services
            .AddTwineService<Lobby>()
            .AddTwineListener(endpoint, services => services.GetRequiredService<Lobby>().Factory);
        return builder;
    }
}

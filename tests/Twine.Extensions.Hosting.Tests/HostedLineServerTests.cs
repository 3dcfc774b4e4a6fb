using System.Net;
using System.Net.Sockets;
using System.Text;
using HostedLineServer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Twine.Extensions.Hosting.Tests;

/// <summary>
/// samples/HostedLineServer, wired exactly as its Main wires it, on an ephemeral loopback port: a real client talks to
/// it, then the host stops and the client sees the Lobby's "before shutdown" goodbye and the connection close.
/// </summary>
public sealed class HostedLineServerTests
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task TheSampleServesLinesAndSaysGoodbyeWhenTheHostStops()
    {
        var builder = Program.CreateBuilder(["--listen", "tcp:0:interface=127.0.0.1"]);
        var logs = new CapturingLoggerProvider();
        builder.Logging.ClearProviders().AddProvider(logs);
        using var host = builder.Build();
        await host.StartAsync().WaitAsync(Guard);

        var address = Assert.IsType<IPEndPoint>(host.Services.GetRequiredService<TwineListener>().Address);
        using var client = new TcpClient();
        await client.ConnectAsync(address).WaitAsync(Guard);
        using var reader = new StreamReader(client.GetStream(), Encoding.UTF8);
        var writer = client.GetStream();

        Assert.Equal("hello, I shout back", await reader.ReadLineAsync().WaitAsync(Guard));
        await writer.WriteAsync("twine under a host\r\n"u8.ToArray()).AsTask().WaitAsync(Guard);
        Assert.Equal("TWINE UNDER A HOST", await reader.ReadLineAsync().WaitAsync(Guard));

        await host.StopAsync().WaitAsync(Guard);

        // The shutdown triggers ran: the Lobby said goodbye before the reactor closed the connection.
        Assert.Equal(Lobby.GoodbyeLine, await reader.ReadLineAsync().WaitAsync(Guard));
        Assert.Null(await reader.ReadLineAsync().WaitAsync(Guard));
        Assert.Contains(logs.Entries, e => e.Category == typeof(Lobby).FullName && e.Message.Contains("1 client"));
        Assert.Contains(logs.Entries, e => e.Category == typeof(Lobby).FullName && e.EventId.Id == 2 && e.Message.Contains("joined"));
    }

    [Fact]
    public async Task AClientThatSaysQuitIsDisconnected()
    {
        var builder = Program.CreateBuilder(["--listen", "tcp:0:interface=127.0.0.1"]);
        builder.Logging.ClearProviders();
        using var host = builder.Build();
        await host.StartAsync().WaitAsync(Guard);
        try
        {
            var address = Assert.IsType<IPEndPoint>(host.Services.GetRequiredService<TwineListener>().Address);
            using var client = new TcpClient();
            await client.ConnectAsync(address).WaitAsync(Guard);
            using var reader = new StreamReader(client.GetStream(), Encoding.UTF8);
            Assert.Equal("hello, I shout back", await reader.ReadLineAsync().WaitAsync(Guard));
            await client.GetStream().WriteAsync("QUIT\r\n"u8.ToArray()).AsTask().WaitAsync(Guard);
            Assert.Equal("bye", await reader.ReadLineAsync().WaitAsync(Guard));
            Assert.Null(await reader.ReadLineAsync().WaitAsync(Guard));
        }
        finally
        {
            await host.StopAsync().WaitAsync(Guard);
        }
    }
}

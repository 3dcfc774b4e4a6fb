// Kestrel for the HTTP benchmark: a minimal API whose GET / returns the 2-byte body "OK". Usage: KestrelHttp PORT.
// Logging is off, as the access log is for every server in the comparison.
using System.Net;

var port = int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture);
var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
builder.WebHost.ConfigureKestrel(options => options.Listen(IPAddress.Loopback, port));
var app = builder.Build();
app.MapGet("/", () => Results.Text("OK", "text/plain"));
app.Lifetime.ApplicationStarted.Register(() => Console.WriteLine($"listening on {port}"));
app.Run();

using System.Text;

namespace Twine.Cli.Tests.Cli;

/// <summary>Writes a line to an echo server's stream and reads back as many bytes (the CLI's echo tests, plain and TLS).</summary>
internal static class StreamEcho
{
    public static string RoundTrip(Stream stream, string text)
    {
        var message = Encoding.ASCII.GetBytes(text);
        stream.Write(message);
        var buffer = new byte[message.Length];
        int read = 0;
        while (read < buffer.Length)
        {
            int n = stream.Read(buffer, read, buffer.Length - read);
            if (n == 0) break;
            read += n;
        }
        return Encoding.ASCII.GetString(buffer, 0, read);
    }
}

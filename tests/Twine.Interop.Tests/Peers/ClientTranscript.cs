namespace Twine.Interop.Tests.Peers;

/// <summary>What twisted_client.py reported, parsed from its stdout once it has exited.</summary>
internal sealed class ClientTranscript
{
    private ClientTranscript(IReadOnlyList<string> lines)
    {
        foreach (var line in lines)
        {
            var (word, rest) = Split(line);
            switch (word)
            {
                case "MADE": Made = true; break;
                case "RECV": Received.Add(Convert.FromHexString(rest)); break;
                case "VIOLATION": Violations.Add(rest); break;
                case "LOST": LostReason = rest; break;
                case "EXIT": ExitCode = int.Parse(rest, System.Globalization.CultureInfo.InvariantCulture); break;
                case "TIMEOUT": TimedOut = true; break;
                case "CONNECT-FAILED": ConnectFailed = rest; break;
            }
        }
    }

    public bool Made { get; }

    public List<byte[]> Received { get; } = [];

    public List<string> Violations { get; } = [];

    /// <summary>ConnectionDone or ConnectionLost (the Twisted exception's class name), or null if never lost.</summary>
    public string? LostReason { get; }

    public int? ExitCode { get; }

    public bool TimedOut { get; }

    public string? ConnectFailed { get; }

    /// <summary>Waits for the client to exit and parses its output; fails the test if it timed out or could not connect.</summary>
    public static ClientTranscript Of(ChildProcess client)
    {
        client.WaitForExit();
        var transcript = new ClientTranscript(client.Lines);
        Assert.False(transcript.TimedOut, $"The Twisted client timed out{client.Report()}");
        Assert.True(transcript.ConnectFailed is null, $"The Twisted client could not connect{client.Report()}");
        Assert.True(transcript.Made, $"The Twisted client never connected{client.Report()}");
        return transcript;
    }

    private static (string Word, string Tail) Split(string line)
    {
        var space = line.IndexOf(' ');
        return space < 0 ? (line, "") : (line[..space], line[(space + 1)..]);
    }
}

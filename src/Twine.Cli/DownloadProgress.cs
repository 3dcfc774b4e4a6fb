using System.Diagnostics;
using System.Globalization;

namespace Twine.Cli;

/// <summary>
/// <c>twine get -o FILE</c>'s progress on stderr: on a terminal a bar redrawn in place (bytes, rate, ETA when the
/// length is known) at most ten times a second; otherwise one plain line with the byte count at the end, so logs stay
/// readable.
/// </summary>
internal sealed class DownloadProgress(TextWriter error, bool terminal, long? total, string file)
{
    private readonly Stopwatch _watch = Stopwatch.StartNew();
    private long _bytes;
    private long _lastDraw = -1;
    private bool _finished;

    public void Add(int count)
    {
        _bytes += count;
        if (!terminal) return;
        long now = _watch.ElapsedMilliseconds;
        if (_lastDraw >= 0 && now - _lastDraw < 100) return;
        _lastDraw = now;
        error.Write("\r" + Line());
        error.Flush();
    }

    public void Finish()
    {
        if (_finished) return;
        _finished = true;
        if (terminal) error.WriteLine("\r" + Line());
        else error.WriteLine($"twine get: {_bytes} bytes written to {file}");
    }

    /// <summary>"[#####     ]  50%  1.5 MiB  3.0 MiB/s  ETA 1s", or without bar and ETA when the length is unknown.</summary>
    internal string Line()
    {
        double seconds = Math.Max(_watch.Elapsed.TotalSeconds, 0.001);
        double rate = _bytes / seconds;
        var text = $"{Size(_bytes)}  {Size((long)rate)}/s";
        if (total is not > 0) return text;
        double fraction = Math.Min(1.0, (double)_bytes / total.Value);
        int filled = (int)(fraction * 20);
        var eta = rate > 0 ? TimeSpan.FromSeconds((total.Value - _bytes) / rate) : TimeSpan.Zero;
        return $"[{new string('#', filled)}{new string(' ', 20 - filled)}] {fraction * 100,3:0}%  {text}  ETA {(int)eta.TotalSeconds}s";
    }

    internal static string Size(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => (bytes / 1024.0).ToString("0.0", CultureInfo.InvariantCulture) + " KiB",
        _ => (bytes / (1024.0 * 1024)).ToString("0.0", CultureInfo.InvariantCulture) + " MiB",
    };
}

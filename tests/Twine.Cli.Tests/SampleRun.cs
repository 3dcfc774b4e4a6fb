using Twine.Samples;

namespace Twine.Cli.Tests;

/// <summary>What a sample wrote and returned, run the way the tests run every sample: --fast, a fixed seed.</summary>
internal sealed record SampleRun(int ExitCode, IReadOnlyList<string> Lines)
{
    /// <summary>Generous: a fast sample takes well under a second; only a hang gets near this.</summary>
    private static readonly TimeSpan s_limit = TimeSpan.FromSeconds(60);

    public string Text => string.Join('\n', Lines);

    /// <summary>
    /// Runs <paramref name="sample"/> on a thread of its own with fast delays and <paramref name="seed"/>, and fails the
    /// test if it has not finished within the limit (a sample must end by itself).
    /// </summary>
    public static SampleRun Fast(Sample sample, int seed = 42) => Run(sample, seed, SampleContext.FastTimeScale);

    /// <summary>As <see cref="Fast"/>, with another time scale.</summary>
    public static SampleRun Run(Sample sample, int seed, double timeScale)
    {
        var output = new StringWriter();
        var context = new SampleContext(output, timeScale, seed, installSignalHandlers: false);
        int exitCode = -1;
        Exception? error = null;
        var thread = new Thread(() =>
        {
            try
            {
                exitCode = sample.Run(context);
            }
            catch (Exception ex)
            {
                error = ex;
            }
        })
        { IsBackground = true, Name = $"sample {sample.Name}" };
        thread.Start();
        Assert.True(thread.Join(s_limit), $"{sample.Name} did not finish within {s_limit.TotalSeconds} s. Output so far:\n{output}");
        if (error is not null) throw new Xunit.Sdk.XunitException($"{sample.Name} threw: {error}\nOutput:\n{output}");
        var lines = output.ToString().Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0).ToList();
        return new SampleRun(exitCode, lines);
    }

    /// <summary>The index of the one line equal to <paramref name="line"/>; fails unless there is exactly one.</summary>
    public int IndexOf(string line)
    {
        var indexes = Lines.Select((l, i) => (l, i)).Where(x => x.l == line).Select(x => x.i).ToList();
        Assert.True(indexes.Count == 1, $"expected the line \"{line}\" exactly once, found it {indexes.Count} times in:\n{Text}");
        return indexes[0];
    }

    /// <summary>The index of the one line starting with <paramref name="prefix"/>; fails unless there is exactly one.</summary>
    public int IndexOfPrefix(string prefix)
    {
        var indexes = Lines.Select((l, i) => (l, i)).Where(x => x.l.StartsWith(prefix, StringComparison.Ordinal)).Select(x => x.i).ToList();
        Assert.True(indexes.Count == 1, $"expected one line starting with \"{prefix}\", found {indexes.Count} in:\n{Text}");
        return indexes[0];
    }

    /// <summary>The lines starting with <paramref name="prefix"/>, in order.</summary>
    public IReadOnlyList<string> LinesStartingWith(string prefix) => Lines.Where(l => l.StartsWith(prefix, StringComparison.Ordinal)).ToList();

    /// <summary>Asserts that the lines occur in this order (each exactly once).</summary>
    public void AssertInOrder(params string[] lines)
    {
        var indexes = lines.Select(IndexOf).ToList();
        for (int i = 1; i < indexes.Count; i++)
            Assert.True(indexes[i - 1] < indexes[i], $"\"{lines[i - 1]}\" should come before \"{lines[i]}\" in:\n{Text}");
    }

    /// <summary>Asserts exit code 0.</summary>
    public SampleRun Succeeded()
    {
        Assert.True(ExitCode == 0, $"exit code {ExitCode}; output:\n{Text}");
        return this;
    }
}

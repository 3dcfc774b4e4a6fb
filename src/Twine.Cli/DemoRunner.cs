using Twine.Samples;

namespace Twine.Cli;

/// <summary>Lists and runs samples for <c>twine demo</c>, writing a header before each one.</summary>
internal sealed class DemoRunner(TextWriter output, TextWriter error, double timeScale, int seed, bool installSignalHandlers)
{
    /// <summary>Prints every sample, grouped by tutorial: name, one line on what it shows, and the tutorial's section.</summary>
    public static void List(TextWriter output)
    {
        output.WriteLine("The programs of the tutorials Twine was written from, in the tutorials' order, under each tutorial's title and address.");
        output.WriteLine("Run one with 'twine demo <name>', the whole tour with 'twine demo --all'; add --fast to shorten every delay.");
        Tutorial? current = null;
        foreach (var sample in SampleCatalog.All)
        {
            if (sample.Tutorial != current)
            {
                current = sample.Tutorial;
                output.WriteLine();
                output.WriteLine($"{current.Title} ({current.File})");
            }
            string summary = sample.Unavailable is { } reason ? $"[{reason}] {sample.Summary}" : sample.Summary;
            output.WriteLine($"  {sample.Name,-20}{summary}");
            output.WriteLine($"  {"",-20}section: {sample.Section}");
        }
    }

    /// <summary>Runs one sample; a sample that cannot run yet says why and exits with <see cref="ExitCodes.Unavailable"/>.</summary>
    public int RunOne(Sample sample)
    {
        if (sample.Unavailable is not null)
        {
            error.WriteLine($"twine demo: {sample.Name} cannot run yet.");
            sample.Run(Context());
            return ExitCodes.Unavailable;
        }
        WriteHeader(sample, position: null);
        return Run(sample);
    }

    /// <summary>Runs every sample in tour order, skipping (with a note) those that cannot run yet.</summary>
    public int RunTour() => RunTour(SampleCatalog.All);

    /// <summary>Runs <paramref name="samples"/> in order: the tour, or (in tests) any list.</summary>
    internal int RunTour(IReadOnlyList<Sample> samples)
    {
        var failed = new List<string>();
        var skipped = new List<string>();
        for (int i = 0; i < samples.Count; i++)
        {
            var sample = samples[i];
            string position = $"{i + 1}/{samples.Count}";
            if (sample.Unavailable is { } reason)
            {
                output.WriteLine($"== [{position}] {sample.Name}: skipped, {reason} ==");
                output.WriteLine();
                skipped.Add($"{sample.Name} ({reason})");
                continue;
            }
            WriteHeader(sample, position);
            int code = Run(sample);
            output.WriteLine();
            if (code >= 128)
            {
                // Interrupted (Ctrl-C stops a sample's reactor with 128 + the signal): the user wants out, not the next one.
                error.WriteLine($"twine demo: the tour was interrupted during {sample.Name}.");
                return code;
            }
            if (code != ExitCodes.Success) failed.Add($"{sample.Name} (exit code {code})");
        }

        int ran = samples.Count - skipped.Count;
        output.WriteLine($"Tour finished: {ran} samples ran, {failed.Count} failed, {skipped.Count} skipped{(skipped.Count > 0 ? ": " + string.Join(", ", skipped) : "")}.");
        if (failed.Count == 0) return ExitCodes.Success;
        error.WriteLine($"twine demo: failed: {string.Join(", ", failed)}");
        return ExitCodes.Failure;
    }

    private SampleContext Context() => new(output, timeScale, seed, installSignalHandlers);

    private void WriteHeader(Sample sample, string? position)
    {
        string where = position is null ? "" : $"[{position}] ";
        output.WriteLine($"== {where}{sample.Name}: {sample.Tutorial.File}, \"{sample.Section}\" ==");
        if (sample.UsesRandomness) output.WriteLine($"(seed {seed}: run again with --seed {seed} for the same choices)");
    }

    private int Run(Sample sample)
    {
        try
        {
            return sample.Run(Context());
        }
        catch (Exception ex)
        {
            error.WriteLine($"twine demo: {sample.Name} failed: {ex}");
            return ExitCodes.Failure;
        }
    }
}

using System.CommandLine;
using System.CommandLine.Parsing;
using Twine.Samples;

namespace Twine.Cli;

/// <summary>
/// <c>twine demo</c>: lists the tutorials' samples; <c>twine demo NAME</c> runs one; <c>twine demo --all</c> runs the
/// whole tour in the tutorials' order. <c>--fast</c> scales every delay down; <c>--seed N</c> repeats a run.
/// </summary>
internal static class DemoCommand
{
    public static Command Create(bool installSignalHandlers)
    {
        var name = new Argument<string?>("name")
        {
            Description = "The sample to run. Without a name (and without --all), the samples are listed.",
            Arity = ArgumentArity.ZeroOrOne,
        };
        name.Validators.Add(ValidateName);

        var all = new Option<bool>("--all")
        {
            Description = "Run every sample, in the order the tutorials tell them.",
        };
        var fast = new Option<bool>("--fast")
        {
            Description = $"Scale every delay down (x{SampleContext.FastTimeScale}), so a sample takes a fraction of a second.",
        };
        var seed = new Option<int?>("--seed")
        {
            Description = "Seed for the samples' random choices (latencies, fuse lengths), to repeat a run. Default: random, and printed.",
            HelpName = "N",
            CustomParser = ParseSeed,
        };

        var demo = new Command("demo", "Run the programs of the tutorials Twine was written from, one at a time or as a tour.")
        {
            name, all, fast, seed,
        };
        demo.Validators.Add(result =>
        {
            if (result.GetValue(all) && result.GetValue(name) is not null)
                result.AddError("Give either a sample name or --all, not both.");
        });
        demo.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            double timeScale = parse.GetValue(fast) ? SampleContext.FastTimeScale : 1.0;
            int chosenSeed = parse.GetValue(seed) ?? Random.Shared.Next(1, 100_000);
            var runner = new DemoRunner(output, error, timeScale, chosenSeed, installSignalHandlers);

            if (parse.GetValue(all)) return runner.RunTour();
            if (parse.GetValue(name) is { } sampleName) return runner.RunOne(SampleCatalog.Find(sampleName)!);
            DemoRunner.List(output);
            return ExitCodes.Success;
        });
        return demo;
    }

    private static void ValidateName(ArgumentResult result)
    {
        if (result.Tokens.Count == 0) return;
        string given = result.Tokens[0].Value;
        if (SampleCatalog.Find(given) is not null) return;
        // An option System.CommandLine does not know lands here, as a would-be name: call it what it is.
        if (given.StartsWith('-'))
        {
            result.AddError($"Unknown option '{given}'.");
            return;
        }
        string message = $"Unknown sample '{given}'.";
        if (Suggest(given) is { } suggestion) message += $" Did you mean '{suggestion}'?";
        result.AddError(message + " Run 'twine demo' to list the samples.");
    }

    private static int? ParseSeed(ArgumentResult result)
    {
        string text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
        if (int.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out int value)) return value;
        result.AddError($"--seed needs a whole number, not '{text}'.");
        return null;
    }

    /// <summary>The closest sample name, if one is close enough to be a typo (or contains what was typed).</summary>
    internal static string? Suggest(string given)
    {
        string lower = given.ToLowerInvariant();
        var best = SampleCatalog.All
            .Select(s => (s.Name, Distance: EditDistance(lower, s.Name)))
            .OrderBy(x => x.Distance)
            .First();
        if (best.Distance <= Math.Max(1, lower.Length / 3)) return best.Name;
        return SampleCatalog.All.FirstOrDefault(s => lower.Length >= 3 && s.Name.Contains(lower, StringComparison.Ordinal))?.Name;
    }

    private static int EditDistance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++) previous[j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j], current[j - 1]) + 1);
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}

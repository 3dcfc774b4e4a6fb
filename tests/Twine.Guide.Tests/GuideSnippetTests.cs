using System.Reflection;
using System.Text.RegularExpressions;

namespace Twine.Guide.Tests;

/// <summary>
/// Keeps docs/guide honest: every ```csharp block in it must appear, line for line (indentation aside), in a file
/// that is compiled — this project's sources, or the consumer project .ci/run builds against the packages.
/// </summary>
public sealed partial class GuideSnippetTests
{
    private static readonly string Root = typeof(GuideSnippetTests).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepositoryRoot").Value!;

    public static TheoryData<string, int> Snippets()
    {
        var data = new TheoryData<string, int>();
        foreach (var page in GuidePages())
        {
            int count = CodeBlock().Matches(File.ReadAllText(page)).Count;
            for (int i = 0; i < count; i++) data.Add(Path.GetFileName(page), i);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Snippets))]
    public void EveryCSharpBlockIsCompiledCode(string page, int index)
    {
        var block = CodeBlock().Matches(File.ReadAllText(Path.Combine(Root, "docs", "guide", page)))[index].Groups[1].Value;
        var wanted = Normalise(block);
        Assert.NotEmpty(wanted);
        var sources = SourceFiles().Select(f => (File: f, Lines: Normalise(File.ReadAllText(f)))).ToList();
        Assert.True(sources.Any(s => ContainsRun(s.Lines, wanted)),
            $"{page}, C# block {index + 1} (starting '{wanted[0]}') is not in any compiled guide source: " +
            "copy it from tests/Twine.Guide.Tests or .ci/consumer, or put it there first.");
    }

    [Fact]
    public void TheGuideHasItsPagesAndTheyHaveCode()
    {
        var pages = GuidePages().Select(Path.GetFileName).ToList();
        foreach (var expected in new[] { "getting-started.md", "deferreds.md", "protocols.md", "testing.md", "endpoints.md", "threads.md", "coming-from.md" })
            Assert.Contains(expected, pages);
        Assert.True(Snippets().Count >= 10, "the guide quotes at least ten compiled examples");
    }

    [Fact]
    public void ASnippetThatIsNotInTheSourcesIsCaught()
    {
        var sources = SourceFiles().Select(f => Normalise(File.ReadAllText(f))).ToList();
        Assert.DoesNotContain(sources, s => ContainsRun(s, Normalise("var x = NotInAnySource();\nx.Frobnicate();")));
    }

    private static IEnumerable<string> GuidePages() =>
        Directory.GetFiles(Path.Combine(Root, "docs", "guide"), "*.md").Order(StringComparer.Ordinal);

    private static IEnumerable<string> SourceFiles() =>
        Directory.GetFiles(Path.Combine(Root, "tests", "Twine.Guide.Tests"), "*.cs")
            .Append(Path.Combine(Root, ".ci", "consumer", "Program.cs"));

    // Lines without indentation or trailing space, blank lines dropped: the guide may re-indent a quoted block.
    private static List<string> Normalise(string text) =>
        text.Replace("\r", "").Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToList();

    private static bool ContainsRun(List<string> haystack, List<string> needle)
    {
        for (int start = 0; start + needle.Count <= haystack.Count; start++)
        {
            int i = 0;
            while (i < needle.Count && haystack[start + i] == needle[i]) i++;
            if (i == needle.Count) return true;
        }
        return false;
    }

    [GeneratedRegex(@"^```csharp\n(.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex CodeBlock();
}

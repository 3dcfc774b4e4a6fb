using System.Text;

namespace Twine.Net.Endpoints;

/// <summary>
/// Twisted's endpoint-description tokenizer and parser (<c>_tokenize</c>/<c>_parse</c>, EP1), rule for rule:
/// segments split on ':'; within a segment the first '=' splits key from value and later ones are literal; a backslash
/// makes the next character literal; a segment with no '=' is positional.
/// </summary>
internal static class EndpointDescription
{
    public static EndpointArguments Parse(string description)
    {
        ArgumentNullException.ThrowIfNull(description);
        var positional = new List<string>();
        var keywords = new Dictionary<string, string>(StringComparer.Ordinal);
        // The strings of the current segment: one (positional) or two (key, value).
        var segment = new List<string>(2);
        var current = new StringBuilder();
        // After ':' both operators split; after '=' only ':' does, so a value may contain '='.
        bool equalsSplits = true;

        for (int i = 0; i < description.Length; i++)
        {
            char c = description[i];
            if (c == ':' || (c == '=' && equalsSplits))
            {
                segment.Add(current.ToString());
                current.Clear();
                if (c == ':')
                {
                    Add(segment, positional, keywords);
                    segment.Clear();
                }
                equalsSplits = c == ':';
            }
            else if (c == '\\')
            {
                if (++i == description.Length)
                    throw new ArgumentException($"The endpoint description '{description}' ends with an unfinished escape ('\\').", nameof(description));
                current.Append(description[i]);
            }
            else
            {
                current.Append(c);
            }
        }
        segment.Add(current.ToString());
        Add(segment, positional, keywords);
        return new EndpointArguments(positional, keywords);
    }

    /// <summary>Escapes <paramref name="argument"/> for a description: only '\' and ':' need it (Twisted's <c>quoteStringArgument</c>).</summary>
    public static string Quote(string argument)
    {
        ArgumentNullException.ThrowIfNull(argument);
        return argument.Replace("\\", "\\\\", StringComparison.Ordinal).Replace(":", "\\:", StringComparison.Ordinal);
    }

    private static void Add(List<string> segment, List<string> positional, Dictionary<string, string> keywords)
    {
        if (segment.Count == 1) positional.Add(segment[0]);
        else keywords[segment[0]] = segment[1];
    }
}

namespace Twine.Net.Endpoints;

/// <summary>
/// A parsed endpoint description (EP1): the positional arguments in order (the type name first, as parsed) and the
/// keyword arguments. Values are unescaped; a later keyword replaces an earlier one with the same name.
/// </summary>
/// <example>
/// <code>
/// var parsed = Endpoints.Parse(@"a:b:d=1:c");
/// // parsed.Positional: ["a", "b", "c"]; parsed.Keywords: { d: "1" }
/// </code>
/// </example>
public sealed class EndpointArguments
{
    /// <summary>Creates a set of arguments.</summary>
    public EndpointArguments(IReadOnlyList<string> positional, IReadOnlyDictionary<string, string> keywords)
    {
        ArgumentNullException.ThrowIfNull(positional);
        ArgumentNullException.ThrowIfNull(keywords);
        Positional = positional;
        Keywords = keywords;
    }

    /// <summary>The segments without an '=', in order.</summary>
    public IReadOnlyList<string> Positional { get; }

    /// <summary>The segments with an '=': the key before the first '=', the value after it.</summary>
    public IReadOnlyDictionary<string, string> Keywords { get; }

    /// <summary>The same keywords, without the first positional argument (the type name).</summary>
    internal EndpointArguments WithoutType() => new(Positional.Skip(1).ToArray(), Keywords);
}

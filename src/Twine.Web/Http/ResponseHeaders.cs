using System.Collections;

namespace Twine.Web.Http;

/// <summary>
/// The header fields of a response being built. Names must be tokens and values may not contain CR, LF, NUL or other
/// control characters: a bad name or value is refused with an <see cref="ArgumentException"/> when set, so it can never
/// be written (no response splitting).
/// </summary>
/// <example>
/// <code>
/// request.ResponseHeaders.Set("Content-Type", "text/plain");
/// request.ResponseHeaders.Add("Set-Cookie", "a=1");
/// request.ResponseHeaders.Set("X-Bad", "a\r\nInjected: 1");   // throws ArgumentException
/// </code>
/// </example>
public sealed class ResponseHeaders : IEnumerable<KeyValuePair<string, string>>
{
    private static readonly List<KeyValuePair<string, string>> s_none = [];

    // Made on the first field: most responses set none (the server writes Date, Content-Length and Content-Type itself).
    private List<KeyValuePair<string, string>>? _fields;

    /// <summary>How many field lines will be sent.</summary>
    public int Count => _fields?.Count ?? 0;

    /// <summary>Replaces every field named <paramref name="name"/> with one line.</summary>
    /// <exception cref="ArgumentException">The name is not a token or the value contains a control character.</exception>
    public void Set(string name, string value)
    {
        Check(name, value);
        Remove(name);
        (_fields ??= []).Add(new(name, value));
    }

    /// <summary>Adds a line, keeping earlier ones of the same name (Set-Cookie, for instance).</summary>
    /// <exception cref="ArgumentException">The name is not a token or the value contains a control character.</exception>
    public void Add(string name, string value)
    {
        Check(name, value);
        (_fields ??= []).Add(new(name, value));
    }

    /// <summary>Removes every field named <paramref name="name"/> (any case).</summary>
    public bool Remove(string name)
    {
        // A loop, not RemoveAll with a lambda: the lambda would capture the name and cost a closure on every Set.
        if (_fields is not { } fields) return false;
        var kept = 0;
        for (var i = 0; i < fields.Count; i++)
        {
            if (string.Equals(fields[i].Key, name, StringComparison.OrdinalIgnoreCase)) continue;
            fields[kept++] = fields[i];
        }
        var removed = fields.Count - kept;
        if (removed > 0) fields.RemoveRange(kept, removed);
        return removed > 0;
    }

    /// <summary>The last value of <paramref name="name"/>, or null.</summary>
    public string? Get(string name)
    {
        if (_fields is not { } fields) return null;
        for (int i = fields.Count - 1; i >= 0; i--)
            if (string.Equals(fields[i].Key, name, StringComparison.OrdinalIgnoreCase)) return fields[i].Value;
        return null;
    }

    /// <summary>True if a field named <paramref name="name"/> is set.</summary>
    public bool Contains(string name) => Get(name) is not null;

    /// <summary>The fields in the order they will be sent.</summary>
    public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => (_fields ?? s_none).GetEnumerator();

    /// <summary>Field <paramref name="index"/>, for the server's own loops (the interface enumerator is a boxed allocation).</summary>
    internal KeyValuePair<string, string> this[int index] => _fields![index];

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    internal static void Check(string name, string value)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(value);
        if (name.Length == 0) throw new ArgumentException("A header name cannot be empty.", nameof(name));
        foreach (var c in name)
            if (c > 0x7F || !HttpChars.IsToken((byte)c)) throw new ArgumentException($"Invalid character U+{(int)c:X4} in header name '{name}'.", nameof(name));
        foreach (var c in value)
        {
            // Latin-1 is what goes on the wire; CR and LF would split the response, other controls are invalid too.
            if (c > 0xFF || !HttpChars.IsFieldValue((byte)c))
                throw new ArgumentException($"Header '{name}' has an invalid character U+{(int)c:X4} in its value (CR, LF and control characters are refused).", nameof(value));
        }
    }
}

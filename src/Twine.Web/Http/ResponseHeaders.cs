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
    private readonly List<KeyValuePair<string, string>> _fields = [];

    /// <summary>How many field lines will be sent.</summary>
    public int Count => _fields.Count;

    /// <summary>Replaces every field named <paramref name="name"/> with one line.</summary>
    /// <exception cref="ArgumentException">The name is not a token or the value contains a control character.</exception>
    public void Set(string name, string value)
    {
        Check(name, value);
        Remove(name);
        _fields.Add(new(name, value));
    }

    /// <summary>Adds a line, keeping earlier ones of the same name (Set-Cookie, for instance).</summary>
    /// <exception cref="ArgumentException">The name is not a token or the value contains a control character.</exception>
    public void Add(string name, string value)
    {
        Check(name, value);
        _fields.Add(new(name, value));
    }

    /// <summary>Removes every field named <paramref name="name"/> (any case).</summary>
    public bool Remove(string name) => _fields.RemoveAll(f => string.Equals(f.Key, name, StringComparison.OrdinalIgnoreCase)) > 0;

    /// <summary>The last value of <paramref name="name"/>, or null.</summary>
    public string? Get(string name)
    {
        for (int i = _fields.Count - 1; i >= 0; i--)
            if (string.Equals(_fields[i].Key, name, StringComparison.OrdinalIgnoreCase)) return _fields[i].Value;
        return null;
    }

    /// <summary>True if a field named <paramref name="name"/> is set.</summary>
    public bool Contains(string name) => Get(name) is not null;

    /// <summary>The fields in the order they will be sent.</summary>
    public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => _fields.GetEnumerator();

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

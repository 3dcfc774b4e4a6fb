using System.Collections;
using System.Text;

namespace Twine.Web.Http;

/// <summary>
/// The header (or trailer) fields of a received message, read-only and kept as the bytes that arrived: names and
/// values become strings only when asked for. Names compare case-insensitively; repeated fields keep every value in
/// order.
/// </summary>
/// <example>
/// <code>
/// string? agent = request.Headers.Get("user-agent");          // the last User-Agent, or null
/// IReadOnlyList&lt;string&gt; accepts = request.Headers.GetAll("Accept");
/// foreach (var (name, value) in request.Headers) Console.WriteLine($"{name}: {value}");
/// </code>
/// </example>
public sealed class HttpHeaders : IEnumerable<KeyValuePair<string, string>>
{
    private readonly byte[] _raw;
    private readonly FieldEntry[] _entries;

    internal HttpHeaders(byte[] raw, FieldEntry[] entries, int count)
    {
        _raw = raw;
        _entries = entries;
        Count = count;
    }

    /// <summary>Fields made from name/value pairs (already valid: a client's filtered copy of a parsed head).</summary>
    internal static HttpHeaders FromFields(IEnumerable<KeyValuePair<string, string>> fields)
    {
        var raw = new List<byte>();
        var entries = new List<FieldEntry>();
        foreach (var (name, value) in fields)
        {
            int nameStart = raw.Count;
            raw.AddRange(System.Text.Encoding.Latin1.GetBytes(name));
            int valueStart = raw.Count;
            raw.AddRange(System.Text.Encoding.Latin1.GetBytes(value));
            entries.Add(new FieldEntry(nameStart, name.Length, valueStart, value.Length));
        }
        return new HttpHeaders([.. raw], [.. entries], entries.Count);
    }

    /// <summary>An empty set of fields.</summary>
    public static HttpHeaders Empty { get; } = new([], [], 0);

    /// <summary>How many field lines there are (a repeated name counts once per line).</summary>
    public int Count { get; }

    /// <summary>The name of field <paramref name="index"/> as it was sent.</summary>
    public string GetName(int index) => Latin1(NameBytes(index));

    /// <summary>The value of field <paramref name="index"/>, without surrounding whitespace.</summary>
    public string GetValue(int index) => Latin1(ValueBytes(index));

    /// <summary>The name of field <paramref name="index"/> as bytes (no copy).</summary>
    public ReadOnlySpan<byte> NameBytes(int index)
    {
        var e = Entry(index);
        return _raw.AsSpan(e.NameStart, e.NameLength);
    }

    /// <summary>The value of field <paramref name="index"/> as bytes (no copy).</summary>
    public ReadOnlySpan<byte> ValueBytes(int index)
    {
        var e = Entry(index);
        return _raw.AsSpan(e.ValueStart, e.ValueLength);
    }

    /// <summary>True if a field named <paramref name="name"/> (any case) is present.</summary>
    public bool Contains(string name) => IndexOf(name, 0) >= 0;

    /// <summary>The last value of <paramref name="name"/> (as Twisted's <c>getHeader</c>), or null when absent.</summary>
    public string? Get(string name)
    {
        int found = -1;
        for (int i = IndexOf(name, 0); i >= 0; i = IndexOf(name, i + 1)) found = i;
        return found < 0 ? null : GetValue(found);
    }

    /// <summary>Every value of <paramref name="name"/>, in the order received; empty when absent.</summary>
    public IReadOnlyList<string> GetAll(string name)
    {
        List<string>? values = null;
        for (int i = IndexOf(name, 0); i >= 0; i = IndexOf(name, i + 1)) (values ??= []).Add(GetValue(i));
        return values ?? (IReadOnlyList<string>)[];
    }

    /// <summary>The index of the first field named <paramref name="name"/> at or after <paramref name="start"/>, or -1.</summary>
    public int IndexOf(string name, int start = 0)
    {
        for (int i = start; i < Count; i++)
            if (HttpChars.EqualsIgnoreCase(NameBytes(i), name)) return i;
        return -1;
    }

    /// <summary>Every field as (name, value), in the order received.</summary>
    public IEnumerator<KeyValuePair<string, string>> GetEnumerator()
    {
        for (int i = 0; i < Count; i++) yield return new(GetName(i), GetValue(i));
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private FieldEntry Entry(int index)
    {
        if ((uint)index >= (uint)Count) throw new ArgumentOutOfRangeException(nameof(index));
        return _entries[index];
    }

    // Field values are octets; Latin-1 maps each to one char, so nothing is lost and obs-text round-trips.
    private static string Latin1(ReadOnlySpan<byte> bytes) => Encoding.Latin1.GetString(bytes);
}

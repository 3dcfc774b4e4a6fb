namespace Twine.Web.Http;

/// <summary>Where one field line's name and (OWS-trimmed) value lie in a message head's bytes.</summary>
internal readonly record struct FieldEntry(int NameStart, int NameLength, int ValueStart, int ValueLength);

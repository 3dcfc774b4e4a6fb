namespace Twine.Web;

/// <summary>
/// A resource does not render the request's method (Twisted's <c>UnsupportedMethod</c>): the site answers 405 with an
/// <c>Allow</c> header listing <see cref="AllowedMethods"/> (or 501 for a method it does not know at all).
/// </summary>
/// <example>
/// <code>
/// throw new UnsupportedMethodException(["GET", "HEAD"]);
/// </code>
/// </example>
public sealed class UnsupportedMethodException(IReadOnlyList<string> allowedMethods)
    : Exception($"Method not allowed; allowed: {string.Join(", ", allowedMethods)}.")
{
    /// <summary>The methods the resource does render.</summary>
    public IReadOnlyList<string> AllowedMethods { get; } = allowedMethods;
}

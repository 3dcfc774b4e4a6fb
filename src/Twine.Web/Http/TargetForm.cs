namespace Twine.Web.Http;

/// <summary>The four forms of request-target (RFC 9112 §3.2).</summary>
/// <example>
/// <code>
/// if (request.TargetForm == TargetForm.Absolute) Console.WriteLine(request.TargetAuthority);
/// </code>
/// </example>
public enum TargetForm
{
    /// <summary><c>/path?query</c>: the usual form.</summary>
    Origin,

    /// <summary><c>http://host/path?query</c>: sent to proxies, and accepted by every server.</summary>
    Absolute,

    /// <summary><c>host:port</c>: CONNECT only.</summary>
    Authority,

    /// <summary><c>*</c>: server-wide OPTIONS only.</summary>
    Asterisk,
}

using System.Net;

namespace Twine.Web;

/// <summary>
/// A resource that answers every request with a status and a short HTML page, after twisted.web's <c>ErrorPage</c>;
/// <see cref="NoResource"/> and <see cref="Forbidden"/> are the usual ones.
/// </summary>
/// <example>
/// <code>
/// root.PutChild("old", new ErrorPage(410, "Gone", "This page was removed."));
/// </code>
/// </example>
public class ErrorPage(int code, string brief, string detail) : IResource
{
    /// <summary>The status sent.</summary>
    public int Code { get; } = code;

    /// <summary>The page title.</summary>
    public string Brief { get; } = brief;

    /// <summary>The explanation shown under the title.</summary>
    public string Detail { get; } = detail;

    /// <summary>A 404 page (Twisted's <c>NoResource</c>).</summary>
    public static ErrorPage NoResource(string detail = "Sorry. No luck finding that resource.") => new(404, "No Such Resource", detail);

    /// <summary>A 403 page (Twisted's <c>ForbiddenResource</c>).</summary>
    public static ErrorPage Forbidden(string detail = "Sorry, resource is forbidden.") => new(403, "Forbidden Resource", detail);

    /// <summary>True: an error page answers for every path below it.</summary>
    public bool IsLeaf => true;

    /// <summary>Itself: there is nothing below an error page.</summary>
    public IResource GetChildWithDefault(string name, Request request) => this;

    /// <summary>Not supported: an error page has no children.</summary>
    public void PutChild(string name, IResource child) =>
        throw new InvalidOperationException("An error page has no children.");

    /// <summary>Sets the status and returns the page.</summary>
    public virtual RenderResult Render(Request request)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.SetResponseCode(Code);
        request.SetHeader("Content-Type", "text/html; charset=utf-8");
        return Page(Code, Brief, Detail);
    }

    internal static string Page(int code, string brief, string detail) =>
        $"<html>\n  <head><title>{code} - {WebUtility.HtmlEncode(brief)}</title></head>\n  <body>\n    <h1>{WebUtility.HtmlEncode(brief)}</h1>\n    <p>{WebUtility.HtmlEncode(detail)}</p>\n  </body>\n</html>\n";
}

namespace Twine.Web;

/// <summary>
/// A node of a site's resource tree, after twisted.web's <c>IResource</c>: it either renders requests or hands them to
/// a child found by the next path segment. Most code derives from <see cref="Resource"/>.
/// </summary>
/// <example>
/// <code>
/// IResource child = root.GetChildWithDefault("users", request);
/// RenderResult body = child.Render(request);
/// </code>
/// </example>
public interface IResource
{
    /// <summary>True when this resource renders every path below it itself (traversal stops here).</summary>
    bool IsLeaf { get; }

    /// <summary>The child for path segment <paramref name="name"/> (static children first, then dynamic ones).</summary>
    IResource GetChildWithDefault(string name, Request request);

    /// <summary>Adds a static child at <paramref name="name"/>.</summary>
    void PutChild(string name, IResource child);

    /// <summary>Renders the request.</summary>
    RenderResult Render(Request request);
}

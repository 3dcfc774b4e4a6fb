using System.Diagnostics.CodeAnalysis;
using System.Collections.Concurrent;
using System.Reflection;

namespace Twine.Web;

/// <summary>
/// The base resource, after twisted.web's <c>Resource</c>: static children with <see cref="PutChild"/>, dynamic ones by
/// overriding <see cref="GetChild"/>, and rendering by method: override <see cref="RenderGet"/>,
/// <see cref="RenderPost"/> and so on. A method with no override is answered 405 with an <c>Allow</c> header naming
/// the overridden ones; HEAD falls back to GET (the body is computed, then not sent).
/// </summary>
/// <example>
/// <code>
/// var root = new Resource();
/// root.PutChild("hello", new Hello());
/// reactor.ListenTcp(8080, new Site(root, reactor));
///
/// sealed class Hello : Resource
/// {
///     public override bool IsLeaf => true;
///     protected override RenderResult RenderGet(Request request) => "&lt;h1&gt;Hello&lt;/h1&gt;";
/// }
/// </code>
/// </example>
// Render* methods are found by reflection (to answer 405 with an Allow header): keep them when trimming.
[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicMethods | DynamicallyAccessedMemberTypes.NonPublicMethods)]
public class Resource : IResource
{
    private static readonly ConcurrentDictionary<Type, string[]> s_allowed = new();
    private static readonly ConcurrentDictionary<Type, bool> s_rendersHead = new();
    private static readonly string[] s_renderable = ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"];

    private Dictionary<string, IResource>? _children;

    /// <summary>False by default: traversal goes on to children.</summary>
    public virtual bool IsLeaf => false;

    /// <summary>The static children, by path segment.</summary>
    public IReadOnlyDictionary<string, IResource> Children => _children ?? (IReadOnlyDictionary<string, IResource>)new Dictionary<string, IResource>();

    /// <summary>Adds a static child; <c>""</c> is the child for a trailing slash (and for "/" on the root).</summary>
    public void PutChild(string name, IResource child)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(child);
        (_children ??= new(StringComparer.Ordinal))[name] = child;
    }

    /// <summary>A static child if there is one, else <see cref="GetChild"/>.</summary>
    public IResource GetChildWithDefault(string name, Request request) =>
        _children is not null && _children.TryGetValue(name, out var child) ? child : GetChild(name, request);

    /// <summary>The dynamic child for <paramref name="name"/>. The default is a 404 page.</summary>
    protected virtual IResource GetChild(string name, Request request) => ErrorPage.NoResource();

    /// <summary>Renders by method: <c>RenderGet</c> for GET, and so on; 405 for a method without an override.</summary>
    /// <exception cref="UnsupportedMethodException">The method is not rendered by this resource.</exception>
    public virtual RenderResult Render(Request request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var allowed = AllowedMethods;
        switch (request.Method)
        {
            case "GET" when allowed.Contains("GET"): return RenderGet(request);
            case "HEAD" when RendersHead: return RenderHead(request);
            case "HEAD" when allowed.Contains("GET"): return RenderGet(request);
            case "POST" when allowed.Contains("POST"): return RenderPost(request);
            case "PUT" when allowed.Contains("PUT"): return RenderPut(request);
            case "DELETE" when allowed.Contains("DELETE"): return RenderDelete(request);
            case "PATCH" when allowed.Contains("PATCH"): return RenderPatch(request);
            case "OPTIONS" when allowed.Contains("OPTIONS"): return RenderOptions(request);
            default: throw new UnsupportedMethodException(allowed);
        }
    }

    /// <summary>The methods this resource renders: those with an override, plus HEAD when GET has one.</summary>
    public virtual IReadOnlyList<string> AllowedMethods =>
        s_allowed.TryGetValue(GetType(), out var allowed) ? allowed : s_allowed.GetOrAdd(GetType(), RenderMethodScan.AllowedFor(GetType(), s_renderable));

    /// <summary>Renders GET (and HEAD, unless <see cref="RenderHead"/> is overridden).</summary>
    protected virtual RenderResult RenderGet(Request request) => throw new UnsupportedMethodException(AllowedMethods);

    /// <summary>Renders HEAD; override only to avoid computing a body that will not be sent.</summary>
    protected virtual RenderResult RenderHead(Request request) => throw new UnsupportedMethodException(AllowedMethods);

    /// <summary>Renders POST.</summary>
    protected virtual RenderResult RenderPost(Request request) => throw new UnsupportedMethodException(AllowedMethods);

    /// <summary>Renders PUT.</summary>
    protected virtual RenderResult RenderPut(Request request) => throw new UnsupportedMethodException(AllowedMethods);

    /// <summary>Renders DELETE.</summary>
    protected virtual RenderResult RenderDelete(Request request) => throw new UnsupportedMethodException(AllowedMethods);

    /// <summary>Renders PATCH.</summary>
    protected virtual RenderResult RenderPatch(Request request) => throw new UnsupportedMethodException(AllowedMethods);

    /// <summary>Renders OPTIONS.</summary>
    protected virtual RenderResult RenderOptions(Request request) => throw new UnsupportedMethodException(AllowedMethods);

    // The type reaches the scan straight from GetType(), not through the caches' factory lambdas: the class's
    // [DynamicallyAccessedMembers] then tells the trimmer to keep every Resource subclass's Render methods.
    private bool RendersHead => s_rendersHead.TryGetValue(GetType(), out var renders)
        ? renders
        : s_rendersHead.GetOrAdd(GetType(), RenderMethodScan.IsOverriddenMethod(GetType(), "RenderHead"));
}

/// <summary>
/// Which Render methods a Resource subclass overrides. Outside <see cref="Resource"/> on purpose: the class's
/// [DynamicallyAccessedMembers] marks all its own methods as reflected on, which these annotated ones must not be.
/// </summary>
file static class RenderMethodScan
{
    public const DynamicallyAccessedMemberTypes RenderMethods = DynamicallyAccessedMemberTypes.PublicMethods | DynamicallyAccessedMemberTypes.NonPublicMethods;

    public static string[] AllowedFor([DynamicallyAccessedMembers(RenderMethods)] Type type, IEnumerable<string> renderable) =>
        renderable.Where(m => IsOverridden(type, m) || (m == "HEAD" && IsOverridden(type, "GET"))).ToArray();

    private static bool IsOverridden([DynamicallyAccessedMembers(RenderMethods)] Type type, string httpMethod) =>
        IsOverriddenMethod(type, "Render" + httpMethod[0] + httpMethod[1..].ToLowerInvariant());

    public static bool IsOverriddenMethod([DynamicallyAccessedMembers(RenderMethods)] Type type, string name)
    {
        var method = type.GetMethod(name, BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic, [typeof(Request)]);
        return method is not null && method.DeclaringType != typeof(Resource);
    }
}

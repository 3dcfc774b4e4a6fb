namespace Twine.Web;

/// <summary>
/// Routes by path pattern and method, for people coming from Klein, Express or minimal APIs, built on the resource
/// tree: a router is a leaf <see cref="Resource"/> you can mount anywhere (as the root or as a child), and it matches
/// the path segments left below it. <c>{name}</c> captures one segment into <see cref="Request.RouteValues"/>; a
/// trailing <c>{*name}</c> captures the rest. A route may also lead to another resource.
/// </summary>
/// <example>
/// <code>
/// var router = new Router()
///     .Get("/", r => "home")
///     .Get("/users/{id}", r => $"user {r.RouteValues["id"]}")
///     .Post("/users", r => CreateUser(r))
///     .Mount("/static", new Twine.Web.Static.File("public"));
/// var site = new Site(router, reactor);
/// </code>
/// </example>
public sealed class Router : Resource
{
    private readonly List<RouteEntry> _routes = [];

    /// <summary>True: the router matches every segment below it itself.</summary>
    public override bool IsLeaf => true;

    /// <summary>Adds a route for <paramref name="pattern"/>; with no methods given it answers every method.</summary>
    public Router Route(string pattern, Func<Request, RenderResult> handler, params string[] methods)
    {
        ArgumentNullException.ThrowIfNull(handler);
        _routes.Add(new RouteEntry(Parse(pattern), handler, null, methods.Select(m => m.ToUpperInvariant()).ToArray()));
        return this;
    }

    /// <summary>Adds a GET route (HEAD is answered by it too).</summary>
    public Router Get(string pattern, Func<Request, RenderResult> handler) => Route(pattern, handler, "GET");

    /// <summary>Adds a POST route.</summary>
    public Router Post(string pattern, Func<Request, RenderResult> handler) => Route(pattern, handler, "POST");

    /// <summary>Adds a PUT route.</summary>
    public Router Put(string pattern, Func<Request, RenderResult> handler) => Route(pattern, handler, "PUT");

    /// <summary>Adds a DELETE route.</summary>
    public Router Delete(string pattern, Func<Request, RenderResult> handler) => Route(pattern, handler, "DELETE");

    /// <summary>Hands every path under <paramref name="prefix"/> to <paramref name="resource"/>, traversing it as a site would.</summary>
    public Router Mount(string prefix, IResource resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var segments = Parse(prefix).Append("{*}").ToArray();
        _routes.Add(new RouteEntry(segments, null, resource, []));
        return this;
    }

    /// <summary>Finds the first route matching the remaining path and method and renders it; 404 or 405 otherwise.</summary>
    public override RenderResult Render(Request request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var path = request.Postpath;
        List<string>? allowed = null;
        foreach (var route in _routes)
        {
            if (!Match(route.Segments, path, request, out int consumed)) continue;
            if (route.Methods.Length > 0 && !Allows(route.Methods, request.Method))
            {
                allowed ??= [];
                foreach (var m in route.Methods)
                {
                    if (!allowed.Contains(m)) allowed.Add(m);
                    if (m == "GET" && !allowed.Contains("HEAD")) allowed.Add("HEAD");
                }
                continue;
            }
            if (route.Handler is not null) return route.Handler(request);
            // Mounted resource: move the prefix segments to prepath and traverse from the resource.
            for (int i = 0; i < consumed; i++)
            {
                request.Prepath.Add(path[0]);
                path.RemoveAt(0);
            }
            IResource resource = route.Resource!;
            while (path.Count > 0 && !resource.IsLeaf)
            {
                var name = path[0];
                path.RemoveAt(0);
                request.Prepath.Add(name);
                resource = resource.GetChildWithDefault(name, request);
            }
            return resource.Render(request);
        }
        if (allowed is not null) throw new UnsupportedMethodException(allowed);
        return ErrorPage.NoResource().Render(request);
    }

    private static bool Allows(string[] methods, string method) =>
        Array.IndexOf(methods, method) >= 0 || (method == "HEAD" && Array.IndexOf(methods, "GET") >= 0);

    private static bool Match(string[] pattern, List<string> path, Request request, out int consumed)
    {
        consumed = 0;
        // "/" is [""] as a path; treat a trailing empty segment as absent so "/users/" matches "/users".
        int count = path.Count;
        if (count > 0 && path[count - 1].Length == 0) count--;
        Dictionary<string, string>? captured = null;
        for (int i = 0; i < pattern.Length; i++)
        {
            var p = pattern[i];
            if (p.StartsWith("{*", StringComparison.Ordinal))
            {
                var name = p[2..^1];
                if (name.Length > 0) (captured ??= [])[name] = string.Join('/', path.Skip(i));
                consumed = i;
                Commit(request, captured);
                return true;
            }
            if (i >= count) return false;
            if (p.StartsWith('{')) (captured ??= [])[p[1..^1]] = path[i];
            else if (!string.Equals(p, path[i], StringComparison.Ordinal)) return false;
        }
        if (pattern.Length != count) return false;
        consumed = count;
        Commit(request, captured);
        return true;
    }

    private static void Commit(Request request, Dictionary<string, string>? captured)
    {
        if (captured is null) return;
        foreach (var (k, v) in captured) request.RouteValues[k] = v;
    }

    private static string[] Parse(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        if (!pattern.StartsWith('/')) throw new ArgumentException($"A route pattern starts with '/': '{pattern}'.", nameof(pattern));
        var segments = pattern.Trim('/').Length == 0 ? [] : pattern.Trim('/').Split('/');
        for (int i = 0; i < segments.Length; i++)
        {
            var s = segments[i];
            bool open = s.StartsWith('{'), close = s.EndsWith('}');
            if (open != close || (open && s.Length < 3 && s != "{*}"))
                throw new ArgumentException($"Malformed route segment '{s}' in '{pattern}'.", nameof(pattern));
            if (s.StartsWith("{*", StringComparison.Ordinal) && i != segments.Length - 1)
                throw new ArgumentException($"A catch-all segment must come last: '{pattern}'.", nameof(pattern));
        }
        return segments;
    }

    private sealed record RouteEntry(string[] Segments, Func<Request, RenderResult>? Handler, IResource? Resource, string[] Methods);
}

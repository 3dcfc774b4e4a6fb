using System.Reflection;

namespace Twine.Web.Tests;

/// <summary>
/// The layers of Twine.Web (docs/design.md, "Web"): Http (the wire format) below Server (options, buffers) below the
/// twisted.web model below Static. Checked on type signatures: base types, interfaces, fields, properties, parameters
/// and return types of every type, public or not.
/// </summary>
public class WebLayerTests
{
    private static readonly Dictionary<string, int> s_layers = new()
    {
        ["Twine.Web.Http"] = 0,
        ["Twine.Web.Server"] = 1,
        ["Twine.Web"] = 2,
        ["Twine.Web.Static"] = 3,
        ["Twine.Web.Client"] = 3,
        ["Twine.Web.WebSockets"] = 3,
    };

    private const BindingFlags All = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    [Fact]
    public void NoTypeRefersToAHigherLayer()
    {
        var assembly = typeof(Site).Assembly;
        var violations = new List<string>();
        foreach (var type in assembly.GetTypes())
        {
            if (!s_layers.TryGetValue(Namespace(type), out int own)) continue;
            foreach (var used in Signature(type))
                if (used.Assembly == assembly && s_layers.TryGetValue(Namespace(used), out int layer) && layer > own)
                    violations.Add($"{type.FullName} -> {used.FullName}");
        }
        Assert.True(violations.Count == 0, string.Join("\n", violations.Distinct()));
    }

    [Fact]
    public void TheCheckSeesReferencesBetweenNamespaces() =>
        // The protocol (Twine.Web) holds the options (Twine.Web.Server) in a private field: a downward reference the
        // check must see, or it could not see an upward one either.
        Assert.Contains(typeof(Twine.Web.Server.HttpServerOptions), Signature(typeof(HttpServerProtocol)));

    [Fact]
    public void EveryNamespaceHasALayer() =>
        Assert.All(typeof(Site).Assembly.GetTypes().Select(Namespace).Where(n => n.StartsWith("Twine", StringComparison.Ordinal)).Distinct(),
            ns => Assert.True(s_layers.ContainsKey(ns), ns));

    private static string Namespace(Type type)
    {
        while (type.DeclaringType is { } outer) type = outer;
        return type.Namespace ?? "";
    }

    private static IEnumerable<Type> Signature(Type type)
    {
        IEnumerable<Type> Expand(Type? t)
        {
            if (t is null || t.IsGenericParameter) yield break;
            yield return t;
            if (t.HasElementType) foreach (var e in Expand(t.GetElementType())) yield return e;
            if (t.IsGenericType) foreach (var a in t.GetGenericArguments()) foreach (var e in Expand(a)) yield return e;
        }
        var direct = new List<Type?> { type.BaseType };
        direct.AddRange(type.GetInterfaces());
        direct.AddRange(type.GetFields(All).Select(f => f.FieldType));
        direct.AddRange(type.GetProperties(All).Select(p => p.PropertyType));
        foreach (var m in type.GetMethods(All).Cast<MethodBase>().Concat(type.GetConstructors(All)))
        {
            if (m is MethodInfo mi) direct.Add(mi.ReturnType);
            direct.AddRange(m.GetParameters().Select(p => p.ParameterType));
        }
        return direct.SelectMany(Expand);
    }
}

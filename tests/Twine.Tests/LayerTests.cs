using System.Reflection;
using System.Reflection.Emit;
using Twine.Reactors;

namespace Twine.Tests;

/// <summary>
/// The dependency rule of docs/design.md ("Layers"), checked on the compiled assembly: no type may refer to a type in a
/// higher layer — not in its base types, fields, signatures or attributes, and not in the IL of its method bodies
/// (which is where a <c>new TcpPort(...)</c> or a call to a static hides).
/// </summary>
public sealed class LayerTests
{
    /// <summary>Each namespace of the core assembly and its layer, lowest first. One home for the graph: docs/design.md mirrors it.</summary>
    internal static readonly IReadOnlyDictionary<string, int> Layers = new Dictionary<string, int>
    {
        ["Twine"] = 0,                 // Failure, Outcome, Unit
        ["Twine.Native"] = 0,          // libc declarations
        ["Twine.Logging"] = 1,
        ["Twine.Defer"] = 2,
        ["Twine.Time"] = 3,
        ["Twine.Threading"] = 4,       // IReactorThreads, the thread pool
        ["Twine.Reactors.Io"] = 4,     // the I/O-loop role transports depend on, and its backends
        ["Twine.Net"] = 5,             // transport/protocol/factory roles
        ["Twine.Net.Native"] = 6,
        ["Twine.Net.Sockets"] = 6,     // the socket code TCP, Unix and UDP share
        ["Twine.Net.Tcp"] = 7,
        ["Twine.Net.Unix"] = 7,
        ["Twine.Net.Udp"] = 7,
        ["Twine.Net.Portable"] = 8,    // TCP, Unix and UDP on System.Net.Sockets; reuses the native families' rules and limits
        ["Twine.Net.Tls"] = 7,         // TLS as a layer over any transport (ITransport only)
        ["Twine.Processes"] = 7,       // child processes and StandardIO: pipes on the I/O-loop role, beside the address families
        ["Twine.Processes.Portable"] = 8,   // child processes on System.Diagnostics.Process; reuses the native layer's ordering and errors
        ["Twine.Net.Endpoints"] = 8,
        ["Twine.Protocols"] = 8,
        ["Twine.Protocols.Amp"] = 8,   // AMP: boxes, commands, AmpProtocol (uses the framing buffer of Twine.Protocols)
        ["Twine.Reactors"] = 9,        // the Reactor: composes the loop, time, threads and the transports
    };

    private static readonly Assembly Core = typeof(Reactor).Assembly;

    /// <summary>Twine's own types: not the compiler's (<c>&lt;PrivateImplementationDetails&gt;</c>, embedded attributes).</summary>
    private static IEnumerable<Type> TwineTypes() =>
        Core.GetTypes().Where(t => NamespaceOf(t).StartsWith("Twine", StringComparison.Ordinal));

    [Fact]
    public void EveryNamespaceHasALayer()
    {
        var unknown = TwineTypes().Select(NamespaceOf).Distinct().Where(ns => !Layers.ContainsKey(ns)).ToList();
        Assert.Empty(unknown);
    }

    [Fact]
    public void NoTypeRefersToAHigherLayer()
    {
        var violations = new SortedSet<string>();
        foreach (var type in TwineTypes())
        {
            int own = Layers[NamespaceOf(type)];
            foreach (var used in References(type))
            {
                if (used.Assembly != Core || !NamespaceOf(used).StartsWith("Twine", StringComparison.Ordinal)) continue;
                if (Layers.TryGetValue(NamespaceOf(used), out int layer) && layer > own)
                    violations.Add($"{type.FullName} ({NamespaceOf(type)}) -> {used.FullName} ({NamespaceOf(used)})");
            }
        }
        Assert.True(violations.Count == 0, "Upward references:\n" + string.Join("\n", violations));
    }

    [Fact]
    public void TheCheckSeesReferencesInsideMethodBodies()
    {
        // The check must fail for a known upward reference: Reactor (top) creates TcpPort (below it) in IL only.
        Assert.Contains(References(typeof(Reactor)), t => t.Name == "TcpPort");
    }

    private static string NamespaceOf(Type type)
    {
        while (type.DeclaringType is { } outer) type = outer;
        return type.Namespace ?? "";
    }

    private const BindingFlags All = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance |
                                     BindingFlags.Static | BindingFlags.DeclaredOnly;

    internal static IEnumerable<Type> References(Type type)
    {
        var found = new HashSet<Type>();
        void Add(Type? t)
        {
            if (t is null || t.IsGenericParameter || !found.Add(t)) return;
            if (t.HasElementType) Add(t.GetElementType());
            if (t.IsGenericType) foreach (var a in t.GetGenericArguments()) Add(a);
        }
        Add(type.BaseType);
        foreach (var i in type.GetInterfaces()) Add(i);
        foreach (var a in type.GetCustomAttributesData()) Add(a.AttributeType);
        foreach (var f in type.GetFields(All)) Add(f.FieldType);
        foreach (var p in type.GetProperties(All)) Add(p.PropertyType);
        foreach (var e in type.GetEvents(All)) Add(e.EventHandlerType);
        foreach (var m in type.GetMethods(All).Cast<MethodBase>().Concat(type.GetConstructors(All)))
        {
            if (m is MethodInfo mi) Add(mi.ReturnType);
            foreach (var p in m.GetParameters()) Add(p.ParameterType);
            foreach (var used in BodyReferences(m)) Add(used);
        }
        return found;
    }

    private static readonly OpCode[] OneByte = new OpCode[256], TwoByte = new OpCode[256];

    static LayerTests()
    {
        foreach (var field in typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static))
        {
            var op = (OpCode)field.GetValue(null)!;
            if (op.Size == 1) OneByte[op.Value & 0xFF] = op;
            else TwoByte[op.Value & 0xFF] = op;
        }
    }

    /// <summary>The types a method body names through its metadata tokens (calls, field accesses, newobj, casts, ldtoken).</summary>
    private static IEnumerable<Type> BodyReferences(MethodBase method)
    {
        var il = method.GetMethodBody()?.GetILAsByteArray();
        if (il is null) yield break;
        var typeArgs = method.DeclaringType is { IsGenericType: true } dt ? dt.GetGenericArguments() : null;
        var methodArgs = method.IsGenericMethod ? method.GetGenericArguments() : null;
        int pos = 0;
        while (pos < il.Length)
        {
            var op = il[pos] == 0xFE ? TwoByte[il[++pos]] : OneByte[il[pos]];
            pos++;
            switch (op.OperandType)
            {
                case OperandType.InlineType or OperandType.InlineTok or OperandType.InlineMethod or OperandType.InlineField:
                    int token = BitConverter.ToInt32(il, pos);
                    pos += 4;
                    MemberInfo? member = null;
                    try { member = method.Module.ResolveMember(token, typeArgs, methodArgs); }
                    catch (ArgumentException) { }
                    if (member is Type t) yield return t;
                    else if (member?.DeclaringType is { } d)
                    {
                        yield return d;
                        if (member is MethodInfo { IsGenericMethod: true } gm)
                            foreach (var a in gm.GetGenericArguments()) yield return a;
                    }
                    break;
                case OperandType.InlineSwitch:
                    pos += 4 + 4 * BitConverter.ToInt32(il, pos);
                    break;
                case OperandType.InlineNone: break;
                case OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar: pos += 1; break;
                case OperandType.InlineVar: pos += 2; break;
                case OperandType.InlineI8 or OperandType.InlineR: pos += 8; break;
                default: pos += 4; break;
            }
        }
    }
}

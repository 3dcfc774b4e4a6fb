namespace Twine.Processes;

/// <summary>
/// What one of the child's descriptors is connected to, after the values of Twisted's <c>childFDs</c>: a pipe the parent
/// writes to (<c>"w"</c>, the child reads it, like stdin), a pipe the parent reads (<c>"r"</c>, like stdout), or one of
/// the parent's own descriptors, inherited as is.
/// </summary>
/// <example>
/// <code>
/// var fds = new Dictionary&lt;int, ChildFd&gt; { [0] = ChildFd.Write, [1] = ChildFd.Read, [2] = ChildFd.Inherit(2), [3] = ChildFd.Read };
/// reactor.SpawnProcess(protocol, "/bin/sh", ["sh", "-c", "echo out; echo three &gt;&amp;3"], childFds: fds);
/// </code>
/// </example>
public readonly record struct ChildFd
{
    private ChildFd(ChildFdKind kind, int parentFd)
    {
        Kind = kind;
        ParentFd = parentFd;
    }

    /// <summary>Which of the three kinds this is.</summary>
    public ChildFdKind Kind { get; }

    /// <summary>For <see cref="ChildFdKind.Inherit"/>: the parent's descriptor the child gets a copy of.</summary>
    public int ParentFd { get; }

    /// <summary>A pipe the parent writes and the child reads (Twisted's <c>"w"</c>).</summary>
    public static ChildFd Write { get; } = new(ChildFdKind.Write, -1);

    /// <summary>A pipe the child writes and the parent reads (Twisted's <c>"r"</c>).</summary>
    public static ChildFd Read { get; } = new(ChildFdKind.Read, -1);

    /// <summary>A copy of the parent's descriptor <paramref name="parentFd"/> (Twisted's integer value).</summary>
    public static ChildFd Inherit(int parentFd)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(parentFd);
        return new(ChildFdKind.Inherit, parentFd);
    }

    /// <summary>The default map, as Twisted's: stdin a pipe the parent writes, stdout and stderr pipes it reads.</summary>
    public static IReadOnlyDictionary<int, ChildFd> Default { get; } =
        new Dictionary<int, ChildFd> { [0] = Write, [1] = Read, [2] = Read };

    /// <inheritdoc />
    public override string ToString() => Kind switch
    {
        ChildFdKind.Write => "w",
        ChildFdKind.Read => "r",
        _ => ParentFd.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}

/// <summary>The kinds of <see cref="ChildFd"/>.</summary>
/// <example><code>if (fd.Kind == ChildFdKind.Read) Console.WriteLine("the parent reads this one");</code></example>
public enum ChildFdKind
{
    /// <summary>The parent writes, the child reads.</summary>
    Write,

    /// <summary>The child writes, the parent reads.</summary>
    Read,

    /// <summary>The child gets a copy of one of the parent's descriptors.</summary>
    Inherit,
}

using System.Collections;
using System.Globalization;

namespace Twine.Net.Endpoints;

/// <summary>
/// The listening descriptors a process inherited through systemd's socket-activation protocol (Twisted's
/// <c>ListenFDs</c>): <c>LISTEN_FDS</c> descriptors numbered from 3, meant for the process whose id is
/// <c>LISTEN_PID</c>, optionally named by the colon-separated <c>LISTEN_FDNAMES</c> (a socket unit's
/// <c>FileDescriptorName=</c>). Read once per process (<see cref="Inherited"/>), as Twisted's parser does, after which
/// <c>LISTEN_PID</c>, <c>LISTEN_FDS</c> and <c>LISTEN_FDNAMES</c> are removed from the environment so child processes
/// do not mistake them for their own (SD3).
/// </summary>
/// <remarks>
/// Twisted returns an empty list when the variables are missing or meant for another process, and the endpoint then
/// fails with a bare index error. Twine keeps the reason (<see cref="Problem"/>) and puts it in the error, so "wrong
/// pid" and "not started by systemd" read as such (SD2).
/// </remarks>
/// <example>
/// <code>
/// var fds = ListenFds.Inherited;
/// if (fds.Descriptors.Count &gt; 0) reactor.AdoptStreamPort(fds.ByIndex(0), AddressFamily.InterNetwork, factory);
/// </code>
/// </example>
public sealed class ListenFds
{
    /// <summary>The first inherited descriptor: systemd's <c>SD_LISTEN_FDS_START</c>.</summary>
    public const int Start = 3;

    private static readonly Lazy<ListenFds> s_inherited = new(() => FromEnvironment(null, Environment.ProcessId, clear: true));

    private ListenFds(IReadOnlyList<int> descriptors, IReadOnlyList<string> names, string? problem)
    {
        Descriptors = descriptors;
        Names = names;
        Problem = problem;
    }

    /// <summary>This process's inherited descriptors, read from its environment on first use (and then removed from it).</summary>
    public static ListenFds Inherited => s_inherited.Value;

    /// <summary>The descriptors, in order: 3, 4, ... (empty when none were passed to this process).</summary>
    public IReadOnlyList<int> Descriptors { get; }

    /// <summary>
    /// Each descriptor's name from <c>LISTEN_FDNAMES</c>, in the same order; "unknown" for each when the variable is
    /// absent (systemd's own default).
    /// </summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>Why there are no descriptors (variables missing, malformed, or for another process); null when there are.</summary>
    public string? Problem { get; }

    /// <summary>
    /// Reads the protocol from <paramref name="environment"/> (the process's environment when null) as process
    /// <paramref name="processId"/> (this process's when null), without changing anything: for tests and tools.
    /// </summary>
    public static ListenFds FromEnvironment(IDictionary? environment = null, int? processId = null) =>
        FromEnvironment(environment, processId ?? Environment.ProcessId, clear: false);

    private static ListenFds FromEnvironment(IDictionary? environment, int processId, bool clear)
    {
        environment ??= Environment.GetEnvironmentVariables();
        string? pidText = environment["LISTEN_PID"] as string;
        string? countText = environment["LISTEN_FDS"] as string;
        string? namesText = environment["LISTEN_FDNAMES"] as string;
        if (pidText is null && countText is null)
            return None("LISTEN_PID and LISTEN_FDS are not set: the process was not started with sockets to adopt (by a systemd socket unit, or a launcher speaking its protocol)");
        if (!int.TryParse(pidText, NumberStyles.None, CultureInfo.InvariantCulture, out int pid))
            return None(pidText is null ? "LISTEN_FDS is set but LISTEN_PID is not" : $"LISTEN_PID is '{pidText}', not a process id");
        if (pid != processId)
            return None($"LISTEN_PID is {pid} but this process is {processId}: the descriptors were passed to another process (a launcher that forks must set LISTEN_PID in the child, or exec)");
        if (!int.TryParse(countText, NumberStyles.None, CultureInfo.InvariantCulture, out int count))
            return None(countText is null ? "LISTEN_PID is set but LISTEN_FDS is not" : $"LISTEN_FDS is '{countText}', not a count");
        if (count > 65536)
            return None($"LISTEN_FDS is {count}, more descriptors than a process can have passed");
        var descriptors = Enumerable.Range(Start, count).ToArray();
        string[] names;
        if (namesText is null) names = Enumerable.Repeat("unknown", count).ToArray();
        else
        {
            names = namesText.Split(':');
            // systemd pads or truncates a names list that does not match the count; be as lenient.
            if (names.Length != count) names = Enumerable.Range(0, count).Select(i => i < names.Length ? names[i] : "unknown").ToArray();
        }
        if (clear)
        {
            // As Twisted (and sd_listen_fds(unset_environment=1)): children must not believe the sockets are theirs.
            Environment.SetEnvironmentVariable("LISTEN_PID", null);
            Environment.SetEnvironmentVariable("LISTEN_FDS", null);
            Environment.SetEnvironmentVariable("LISTEN_FDNAMES", null);
        }
        return new ListenFds(descriptors, names, count == 0 ? "LISTEN_FDS is 0: no descriptors were passed" : null);
    }

    private static ListenFds None(string problem) => new([], [], problem);

    /// <summary>The descriptor at <paramref name="index"/> (0 is fd 3).</summary>
    /// <exception cref="ArgumentException">There is no such descriptor; the message says why (the index, the count, or <see cref="Problem"/>).</exception>
    public int ByIndex(int index)
    {
        if (Problem is { } problem) throw new ArgumentException($"No inherited descriptor {index}: {problem}.");
        if (index < 0 || index >= Descriptors.Count)
            throw new ArgumentException($"Inherited descriptor index {index} is out of range: {Descriptors.Count} descriptor(s) were passed (LISTEN_FDS={Descriptors.Count}), so the index is 0 to {Descriptors.Count - 1}.");
        return Descriptors[index];
    }

    /// <summary>The first descriptor named <paramref name="name"/> in <c>LISTEN_FDNAMES</c>.</summary>
    /// <exception cref="ArgumentException">No descriptor has that name; the message lists the names there are.</exception>
    public int ByName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (Problem is { } problem) throw new ArgumentException($"No inherited descriptor named '{name}': {problem}.");
        for (int i = 0; i < Names.Count; i++)
            if (Names[i] == name) return Descriptors[i];
        throw new ArgumentException($"No inherited descriptor is named '{name}' (LISTEN_FDNAMES gives: {string.Join(", ", Names)}).");
    }
}

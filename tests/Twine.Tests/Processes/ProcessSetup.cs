using Twine.Processes;
using Twine.Reactors;
using Xunit.Abstractions;

namespace Twine.Tests.Processes;

/// <summary>
/// One way of running children: a reactor backend, a process layer and (for the native layer) how exits are noticed.
/// The process tests run on <see cref="ProcessTesting.Setups"/> as the socket tests run on every socket layer.
/// </summary>
public sealed class ProcessSetup : IXunitSerializable
{
    public ProcessSetup() { }

    internal ProcessSetup(ReactorBackend backend, ProcessLayer layer, ChildReaping reaping = ChildReaping.Auto)
    {
        Backend = backend;
        Layer = layer;
        Reaping = reaping;
    }

    public ReactorBackend Backend { get; private set; }

    public ProcessLayer Layer { get; private set; }

    internal ChildReaping Reaping { get; private set; }

    public bool IsPortable => Layer == ProcessLayer.Portable;

    /// <summary>What a child killed by <paramref name="signal"/> reports: the signal (native), or 128 + it as an exit code (portable on Unix).</summary>
    internal void AssertKilledBy(Failure reason, int signal)
    {
        var terminated = Assert.IsType<ProcessTerminatedException>(reason.Value);
        if (IsPortable)
        {
            Assert.Equal(128 + signal, terminated.ExitCode);
            Assert.Null(terminated.Signal);
        }
        else
        {
            Assert.Equal(signal, terminated.Signal);
            Assert.Null(terminated.ExitCode);
        }
    }

    public void Deserialize(IXunitSerializationInfo info)
    {
        Backend = Enum.Parse<ReactorBackend>(info.GetValue<string>("backend"));
        Layer = Enum.Parse<ProcessLayer>(info.GetValue<string>("layer"));
        Reaping = Enum.Parse<ChildReaping>(info.GetValue<string>("reaping"));
    }

    public void Serialize(IXunitSerializationInfo info)
    {
        info.AddValue("backend", Backend.ToString());
        info.AddValue("layer", Layer.ToString());
        info.AddValue("reaping", Reaping.ToString());
    }

    public override string ToString() => (IsPortable ? $"{Backend}/{Layer}" : $"{Backend}/{Layer}/{Reaping}").ToLowerInvariant();
}

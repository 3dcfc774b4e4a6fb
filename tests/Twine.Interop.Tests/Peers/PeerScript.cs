using System.Text.Json;
using System.Text.Json.Nodes;

namespace Twine.Interop.Tests.Peers;

/// <summary>The steps twisted_client.py runs, in order (see the script's docstring for their meaning).</summary>
internal sealed class PeerScript
{
    private readonly JsonArray _steps = [];

    /// <summary>One message framed by Twisted, in one write.</summary>
    public PeerScript Send(byte[] payload) => Add("send", payload);

    /// <summary>One message framed by Twisted, written one byte per reactor turn.</summary>
    public PeerScript Trickle(byte[] payload) => Add("trickle", payload);

    /// <summary>
    /// Bytes [from, to) of the message as Twisted frames it, in one write; with <paramref name="lead"/>, that whole
    /// message (framed by Twisted) comes first in the same write.
    /// </summary>
    public PeerScript Part(byte[] payload, int from, int to, byte[]? lead = null)
    {
        var step = new JsonObject { ["op"] = "part", ["hex"] = Convert.ToHexString(payload), ["from"] = from, ["to"] = to };
        if (lead is not null) step["lead"] = Convert.ToHexString(lead);
        _steps.Add(step);
        return this;
    }

    /// <summary>These exact bytes, unframed.</summary>
    public PeerScript Raw(byte[] bytes) => Add("raw", bytes);

    /// <summary>Waits until <paramref name="count"/> messages in total have been received.</summary>
    public PeerScript Await(int count)
    {
        _steps.Add(new JsonObject { ["op"] = "await", ["count"] = count });
        return this;
    }

    /// <summary>Closes the connection (Twisted's loseConnection).</summary>
    public PeerScript Close()
    {
        _steps.Add(new JsonObject { ["op"] = "close" });
        return this;
    }

    public string ToJson() => new JsonObject { ["steps"] = _steps.DeepClone() }.ToJsonString(new JsonSerializerOptions { WriteIndented = false });

    private PeerScript Add(string op, byte[] data)
    {
        _steps.Add(new JsonObject { ["op"] = op, ["hex"] = Convert.ToHexString(data) });
        return this;
    }
}

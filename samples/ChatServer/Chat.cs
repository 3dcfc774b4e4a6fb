using Twine;
using System.Text;
using Twine.Defer;
using Twine.Net;
using Twine.Protocols;

namespace ChatServer;

/// <summary>
/// One chat user's connection, after Twisted's classic multi-user chat example: it asks for a name, refuses a name
/// already in use, then relays each line to everyone else as "&lt;name&gt; message". Leaving frees the name.
/// </summary>
public sealed class Chat : LineReceiver
{
    private readonly Dictionary<string, Chat> _users;
    private string? _name;

    public Chat(Dictionary<string, Chat> users) => _users = users;

    /// <summary>The chosen name, once accepted.</summary>
    public string? Name => _name;

    /// <summary>Unsent bytes a user may have waiting before the server drops them.</summary>
    public const long WriteBufferLimit = 1024 * 1024;

    public override void ConnectionMade()
    {
        // Chat output is caused by other users, so a user who stops reading would make the server buffer everyone's
        // messages for them without end: past the limit they are dropped instead.
        if (Transport is ISocketTransport socket)
        {
            socket.WriteBufferLimit = WriteBufferLimit;
            socket.WriteBufferPolicy = WriteBufferPolicy.Close;
        }
        SendLine("What's your name?");
    }

    protected override void LineReceived(ReadOnlySpan<byte> line)
    {
        var text = Encoding.UTF8.GetString(line);
        if (_name is null) HandleGetName(text);
        else HandleChat(text);
    }

    public override void ConnectionLost(Failure reason)
    {
        // A connection that never got a name (or was refused one) owns nothing to free.
        if (_name is not null) _users.Remove(_name);
    }

    private void HandleGetName(string name)
    {
        if (_users.ContainsKey(name))
        {
            SendLine("Name taken, please choose another.");
            return;
        }
        SendLine($"Welcome, {name}!");
        _name = name;
        _users[name] = this;
    }

    private void HandleChat(string message)
    {
        var line = $"<{_name}> {message}";
        foreach (var user in _users.Values)
            if (user != this) user.SendLine(line);
    }
}

using System.Net;
using Twine.Net;

namespace ChatServer;

/// <summary>Builds a <see cref="Chat"/> per connection; the room's members live here, shared by all of them.</summary>
public sealed class ChatFactory : Factory
{
    /// <summary>The users who have chosen a name, by name.</summary>
    public Dictionary<string, Chat> Users { get; } = new(StringComparer.Ordinal);

    public override IProtocol? BuildProtocol(EndPoint address)
    {
        var chat = new Chat(Users) { Factory = this };
        return chat;
    }
}

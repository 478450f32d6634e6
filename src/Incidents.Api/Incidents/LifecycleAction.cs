namespace Incidents.Incidents;

/// <summary>A side effect decided by the state machine; stored as an outbox row in the same transaction.</summary>
internal sealed record LifecycleAction(string Kind, Guid ChannelId, string? Text)
{
    public const string OpenChannel = "open-channel";
    public const string PostMessage = "post-message";
    public const string CloseChannel = "close-channel";

    public static LifecycleAction Open(Channel channel) => new(OpenChannel, channel.Id, null);
    public static LifecycleAction Post(Channel channel, string text) => new(PostMessage, channel.Id, text);
    public static LifecycleAction Close(Channel channel) => new(CloseChannel, channel.Id, null);
}

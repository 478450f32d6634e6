using Incidents.Lifecycle;

namespace Incidents.UnitTests.Lifecycle;

public sealed class MessageIdTests
{
    [Fact]
    public void For_SamePurpose_GivesTheSameRocketChatStyleId()
    {
        var id = MessageId.For("outbox:42");
        Assert.Equal(id, MessageId.For("outbox:42"));
        Assert.Matches("^[23456789A-HJ-NP-TW-Za-km-z]{17}$", id);
    }

    [Fact]
    public void For_DifferentPurposes_GiveDifferentIds() =>
        Assert.NotEqual(MessageId.For("outbox:42"), MessageId.For("outbox:43"));
}

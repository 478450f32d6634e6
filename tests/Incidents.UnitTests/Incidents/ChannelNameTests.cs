using System.Text.RegularExpressions;
using Incidents.Incidents;

namespace Incidents.UnitTests.Incidents;

public sealed class ChannelNameTests
{
    private static readonly Regex RocketChatDefault = new("^[0-9a-zA-Z-_.]+$");

    [Theory]
    [InlineData("octocat/Hello-World#1347")]
    [InlineData("Ünïcödé/répo#1")]
    [InlineData("###")]
    [InlineData("a/b c d e f g h i j k l m n o p q r s t u v w x y z a b c d e f g h i j k l m n o p q r s t u v w x y z#99999")]
    public void For_AnyTicket_IsValidUnderRocketChatsDefaultRule(string display)
    {
        var name = ChannelName.For(display, "github:1:1", 1);
        Assert.Matches(RocketChatDefault, name);
        Assert.InRange(name.Length, 1, ChannelName.MaxLength);
    }

    [Fact]
    public void For_SameTicket_IsDeterministic() =>
        Assert.Equal(ChannelName.For("octo/repo#7", "github:9:7", 1), ChannelName.For("octo/repo#7", "github:9:7", 1));

    [Fact]
    public void For_TicketsWithCollidingSlugs_GetDifferentNames() =>
        Assert.NotEqual(ChannelName.For("octo/repo#7", "github:9:7", 1), ChannelName.For("octo-repo#7", "github:10:7", 1));

    [Fact]
    public void For_LaterPeriods_GetTheirOwnName()
    {
        var first = ChannelName.For("octo/repo#7", "github:9:7", 1);
        var second = ChannelName.For("octo/repo#7", "github:9:7", 2);
        Assert.NotEqual(first, second);
        Assert.EndsWith("-r2", second);
    }

    [Fact]
    public void For_VeryLongName_IsShortenedKeepingTheHashSuffix()
    {
        var name = ChannelName.For(new string('x', 300) + "#1", "github:9:1", 3);
        Assert.InRange(name.Length, ChannelName.MaxLength - 2, ChannelName.MaxLength);
        Assert.EndsWith("-r3", name);
        Assert.StartsWith("inc-xxx", name);
    }
}

using Incidents.Simulators.GitLab;

namespace Incidents.Simulators.Tests.GitLab;

public sealed class GitLabQuickActionsTests
{
    [Theory]
    [InlineData("hello\n/close\nworld", "hello\nworld", "close")]
    [InlineData("/label ~bug ~\"needs review\"\ntext", "text", "label")]
    [InlineData("/CLOSE\n", "", "close")]
    [InlineData("a\n/close\t\n\n\nb", "a\nb", "close")]
    [InlineData("a\r\nb\r\n", "a\nb", null)]
    [InlineData("trailing   \n\n", "trailing", null)]
    public void Extract_CommandLines_AreRemovedAndNoteIsStripped(string note, string stored, string? command)
    {
        var (content, commands) = GitLabQuickActions.Extract(note);

        Assert.Equal(stored, content);
        Assert.Equal(command is null ? Array.Empty<string>() : new[] { command }, commands.Select(c => c.Name));
    }

    [Theory]
    [InlineData("text\n/closed\n/usr/bin/env\n /close\n\\/close")] // not a command, not at line start, escaped
    [InlineData("```\n/close\n```")] // fenced code
    [InlineData(">>>\n/close\n>>>")] // quote block
    [InlineData("<details>\n/close\n</details>")] // HTML block
    [InlineData("`ts` said\n/close\nlast line ends with a `tick`")] // up to the last line ending with a backtick
    public void Extract_ProtectedOrNonCommandLines_StayUntouched(string note)
    {
        var (content, commands) = GitLabQuickActions.Extract(note);

        Assert.Equal(note, content);
        Assert.Empty(commands);
    }

    [Fact]
    public void Extract_CommandAfterTheLastBacktickLine_IsStillExecuted()
    {
        var (content, commands) = GitLabQuickActions.Extract("`a` b `c`\n/close\ntail");

        Assert.Equal("`a` b `c`\ntail", content);
        Assert.Single(commands);
    }

    [Fact]
    public void Extract_Shrug_IsSubstituted()
    {
        var (content, _) = GitLabQuickActions.Extract("/shrug oh well");

        Assert.Equal("oh well ¯\\＿(ツ)＿/¯", content);
    }

    [Fact]
    public void Extract_MegabyteNoteWithManyBackticks_StaysFast()
    {
        var note = string.Concat(Enumerable.Repeat("`2026-03-01 10:00:00` **@alice**\nsome text\n\n", 20_000));
        var started = System.Diagnostics.Stopwatch.StartNew();

        var (content, _) = GitLabQuickActions.Extract(note);

        Assert.Equal(note.TrimEnd(), content);
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(5), $"took {started.Elapsed}");
    }
}

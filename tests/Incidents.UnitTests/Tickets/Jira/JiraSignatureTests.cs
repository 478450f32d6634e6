using System.Text;
using Incidents.Tickets.Jira;

namespace Incidents.UnitTests.Tickets.Jira;

/// <summary>
/// Jira signs with HMAC-SHA256 over the raw body, sent as <c>X-Hub-Signature: sha256=&lt;hex&gt;</c>. Atlassian publishes
/// no test vector, so the scheme is checked against RFC 4231's HMAC-SHA256 test case 2 and GitHub's published vector
/// for the same <c>sha256=</c> header form.
/// </summary>
public sealed class JiraSignatureTests
{
    private const string RfcKey = "Jefe";
    private static readonly byte[] RfcData = Encoding.UTF8.GetBytes("what do ya want for nothing?");
    private const string RfcSignature = "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843";

    [Fact]
    public void VerifySignature_Rfc4231TestCase2_Accepts() =>
        Assert.True(JiraWebhook.VerifySignature(RfcKey, RfcSignature, RfcData));

    [Fact]
    public void VerifySignature_GitHubPublishedVector_Accepts() =>
        Assert.True(JiraWebhook.VerifySignature("It's a Secret to Everybody",
            "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17", Encoding.UTF8.GetBytes("Hello, World!")));

    [Fact]
    public void VerifySignature_UppercaseHex_Accepts() =>
        Assert.True(JiraWebhook.VerifySignature(RfcKey, "sha256=" + RfcSignature["sha256=".Length..].ToUpperInvariant(), RfcData));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("sha256=")]
    [InlineData("sha1=5bdcc146bf60754e6a042426089575c75a003f08")]
    [InlineData("SHA256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")]
    [InlineData("sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3844")]
    [InlineData("sha256=zzdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")]
    [InlineData("sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec38")]
    [InlineData("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")]
    public void VerifySignature_WrongOrMissingHeader_Rejects(string? header) =>
        Assert.False(JiraWebhook.VerifySignature(RfcKey, header, RfcData));

    [Fact]
    public void VerifySignature_BodyChangedByOneByte_Rejects() =>
        Assert.False(JiraWebhook.VerifySignature(RfcKey, RfcSignature, Encoding.UTF8.GetBytes("what do ya want for nothing!")));

    [Fact]
    public void VerifySignature_EmptySecretConfigured_RejectsEverything() =>
        Assert.False(JiraWebhook.VerifySignature("", RfcSignature, RfcData));
}

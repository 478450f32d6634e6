using System.Text;
using Incidents.Tickets.GitHub;

namespace Incidents.UnitTests.Tickets.GitHub;

public sealed class GitHubSignatureTests
{
    // The test vector published in GitHub's "Validating webhook deliveries" documentation.
    private const string Secret = "It's a Secret to Everybody";
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("Hello, World!");
    private const string Expected = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";

    [Fact]
    public void VerifySignature_GitHubTestVector_Accepts() =>
        Assert.True(GitHubWebhook.VerifySignature(Secret, Expected, Body));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("sha256=")]
    [InlineData("sha1=757107ea0eb2509fc211221cce984b8a37570b6d")]
    [InlineData("sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e18")]
    [InlineData("sha256=zz7107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17")]
    [InlineData("SHA256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17")]
    public void VerifySignature_WrongOrMissingHeader_Rejects(string? header) =>
        Assert.False(GitHubWebhook.VerifySignature(Secret, header, Body));

    [Fact]
    public void VerifySignature_OtherSecret_Rejects() =>
        Assert.False(GitHubWebhook.VerifySignature("another secret", Expected, Body));

    [Fact]
    public void VerifySignature_BodyChangedByOneByte_Rejects() =>
        Assert.False(GitHubWebhook.VerifySignature(Secret, Expected, Encoding.UTF8.GetBytes("Hello, World?")));

    [Fact]
    public void VerifySignature_EmptySecretConfigured_RejectsEverything() =>
        Assert.False(GitHubWebhook.VerifySignature("", Expected, Body));
}

using System.Text;
using Incidents.Tickets.GitLab;

namespace Incidents.UnitTests.Tickets.GitLab;

public sealed class GitLabSignatureTests
{
    // The Standard Webhooks reference vector (standard-webhooks specification; svix-webhooks go/webhook_test.go TestWebhookSign),
    // the scheme GitLab's signing token follows.
    private const string SigningToken = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private const string Id = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private const string Timestamp = "1614265330";
    private const string Signature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("{\"test\": 2432232314}");
    private static readonly DateTimeOffset SignedAt = DateTimeOffset.FromUnixTimeSeconds(1614265330);
    private static readonly byte[] Key = GitLabSignature.Key(SigningToken)!;

    [Fact]
    public void SignatureMatches_ReferenceVector_Accepts() =>
        Assert.True(GitLabSignature.SignatureMatches(Key, Id, Timestamp, Signature, Body, SignedAt));

    [Theory]
    [InlineData(-300, true)]
    [InlineData(300, true)]
    [InlineData(-301, false)]
    [InlineData(301, false)]
    public void SignatureMatches_ClockFiveMinutesEitherWay_IsTheLimit(int seconds, bool accepted) =>
        Assert.Equal(accepted, GitLabSignature.SignatureMatches(Key, Id, Timestamp, Signature, Body, SignedAt.AddSeconds(seconds)));

    [Theory]
    [InlineData("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE= v1,AAAA")]
    [InlineData("v1,bm90IGl0 v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")]
    [InlineData("v2,xyz v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")]
    public void SignatureMatches_OneOfSeveralValues_Accepts(string header) =>
        Assert.True(GitLabSignature.SignatureMatches(Key, Id, Timestamp, header, Body, SignedAt));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")]
    [InlineData("v2,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")]
    [InlineData("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE")]
    [InlineData("v1,h0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")]
    [InlineData("v1,not base64 at all!")]
    public void SignatureMatches_WrongOrMissingSignature_Rejects(string? header) =>
        Assert.False(GitLabSignature.SignatureMatches(Key, Id, Timestamp, header, Body, SignedAt));

    [Theory]
    [InlineData(null, Timestamp)]
    [InlineData("msg_other", Timestamp)]
    [InlineData(Id, null)]
    [InlineData(Id, "1614265331")]
    [InlineData(Id, "+1614265330")]
    [InlineData(Id, "99999999999999999999999")]
    public void SignatureMatches_OtherIdOrTimestamp_Rejects(string? id, string? timestamp) =>
        Assert.False(GitLabSignature.SignatureMatches(Key, id, timestamp, Signature, Body, SignedAt));

    [Fact]
    public void SignatureMatches_BodyChangedByOneByte_Rejects() =>
        Assert.False(GitLabSignature.SignatureMatches(Key, Id, Timestamp, Signature, Encoding.UTF8.GetBytes("{\"test\": 2432232315}"), SignedAt));

    [Theory]
    [InlineData(null)]
    [InlineData("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")]
    [InlineData("whsec_")]
    [InlineData("whsec_!!!")]
    public void Key_NotAWhsecToken_IsNull(string? token) => Assert.Null(GitLabSignature.Key(token));

    [Theory]
    [InlineData("s3cr3t-token", true)]
    [InlineData("s3cr3t-token ", false)]
    [InlineData("S3CR3T-TOKEN", false)]
    [InlineData("s3cr3t", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void TokenMatches_OnlyTheExactSecret(string? header, bool accepted) =>
        Assert.Equal(accepted, GitLabSignature.TokenMatches("s3cr3t-token", header));

    [Fact]
    public void TokenMatches_NoSecretConfigured_RejectsEverything()
    {
        Assert.False(GitLabSignature.TokenMatches("", ""));
        Assert.False(GitLabSignature.TokenMatches("", "anything"));
    }
}

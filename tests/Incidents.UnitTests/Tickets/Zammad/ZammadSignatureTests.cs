using System.Text;
using Incidents.Tickets.Zammad;

namespace Incidents.UnitTests.Tickets.Zammad;

public sealed class ZammadSignatureTests
{
    // Zammad documents no test vector; its UserAgent computes OpenSSL::HMAC.hexdigest('sha1', token, body) and sends
    // "sha1=<hex>". RFC 2202 test case 2 (HMAC-SHA1, key "Jefe") pins the computation.
    private const string Token = "Jefe";
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("what do ya want for nothing?");
    private const string Expected = "sha1=effcdf6ae5eb2fa2d27416d5f184df9c259a7c79";

    [Fact]
    public void VerifySignature_Rfc2202Vector_Accepts() =>
        Assert.True(ZammadWebhook.VerifySignature(Token, Expected, Body));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("sha1=")]
    [InlineData("effcdf6ae5eb2fa2d27416d5f184df9c259a7c79")]
    [InlineData("sha256=effcdf6ae5eb2fa2d27416d5f184df9c259a7c79")]
    [InlineData("SHA1=effcdf6ae5eb2fa2d27416d5f184df9c259a7c79")]
    [InlineData("sha1=effcdf6ae5eb2fa2d27416d5f184df9c259a7c78")]
    [InlineData("sha1=zzfcdf6ae5eb2fa2d27416d5f184df9c259a7c79")]
    [InlineData("sha1=effcdf6ae5eb2fa2d27416d5f184df9c259a7c79 ")]
    public void VerifySignature_WrongOrMissingHeader_Rejects(string? header) =>
        Assert.False(ZammadWebhook.VerifySignature(Token, header, Body));

    [Fact]
    public void VerifySignature_UppercaseHex_Accepts() =>
        Assert.True(ZammadWebhook.VerifySignature(Token, "sha1=EFFCDF6AE5EB2FA2D27416D5F184DF9C259A7C79", Body));

    [Fact]
    public void VerifySignature_OtherTokenOrChangedBody_Rejects()
    {
        Assert.False(ZammadWebhook.VerifySignature("jefe", Expected, Body));
        Assert.False(ZammadWebhook.VerifySignature(Token, Expected, Encoding.UTF8.GetBytes("what do ya want for nothing!")));
    }

    [Fact]
    public void VerifySignature_EmptyTokenConfigured_RejectsEverything() =>
        Assert.False(ZammadWebhook.VerifySignature("", Expected, Body));

    [Theory]
    [InlineData(null, null, null, null, true)]
    [InlineData(null, null, null, "Bearer anything", true)]
    [InlineData("bearer-1", null, null, "Bearer bearer-1", true)]
    [InlineData("bearer-1", null, null, "bearer bearer-1", false)]
    [InlineData("bearer-1", null, null, null, false)]
    [InlineData(null, "zammad", "secret", "Basic emFtbWFkOnNlY3JldA==", true)]
    [InlineData(null, "zammad", "secret", "Basic emFtbWFkOnNlY3JldDI=", false)]
    [InlineData(null, "zammad", "secret", null, false)]
    public void VerifyAuthorization_SecondFactor_MatchesOnlyTheConfiguredCredentials(string? bearer, string? user, string? password, string? header, bool expected) =>
        Assert.Equal(expected, ZammadWebhook.VerifyAuthorization(new ZammadOptions { WebhookBearerToken = bearer, WebhookUsername = user, WebhookPassword = password }, header));
}

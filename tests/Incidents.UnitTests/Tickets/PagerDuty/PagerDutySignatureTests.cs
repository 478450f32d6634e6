using System.Security.Cryptography;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Incidents.Tickets.PagerDuty;

namespace Incidents.UnitTests.Tickets.PagerDuty;

public sealed class PagerDutySignatureTests
{
    // PagerDuty's own test vector: go-pagerduty webhookv3/webhookv3_test.go (see Payloads/PagerDuty/SOURCES.md).
    private const string Secret = "lDQHScfUeXUKaQRNF+8XIiDKZ7XX3itBAYzwU0TARw8lJqRnkKl2iB1anSb0Z+IK";
    private const string Valid = "v1=0c0b9495b893a39e70d1fea2fe11fbe0a825f88b9f67846f6cc07dd2bc5476cd";
    private const string Mismatch = "v1=7020c8a7ec668a9b7012bc3dd82e483394b038f4230acc6785efbf2a7d8bcaf5";
    private static readonly byte[] Body = PagerDutySamples.Bytes("incident.priority_updated.signed.json");

    private static bool Verify(string? header, byte[]? body = null, params string[] secrets) =>
        PagerDutyWebhook.VerifySignature(secrets.Length == 0 ? [Secret] : secrets, header, body ?? Body);

    [Fact]
    public void VerifySignature_GoPagerDutyTestVector_Accepts() => Assert.True(Verify(Valid));

    [Fact]
    public void VerifySignature_GoPagerDutyMismatchVector_Rejects() => Assert.False(Verify(Mismatch));

    [Theory]
    [InlineData(Mismatch + "," + Valid)]
    [InlineData(Valid + "," + Mismatch)]
    [InlineData(Mismatch + ", " + Valid)]
    [InlineData("v2=abcdef," + Valid)]
    public void VerifySignature_SeveralSignaturesOneValid_Accepts(string header) => Assert.True(Verify(header));

    [Fact]
    public void VerifySignature_SignedWithAnAdditionalSecret_Accepts() =>
        Assert.True(Verify(Valid, null, "the-old-secret", Secret));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("v1=")]
    [InlineData("0c0b9495b893a39e70d1fea2fe11fbe0a825f88b9f67846f6cc07dd2bc5476cd")]
    [InlineData("V1=0c0b9495b893a39e70d1fea2fe11fbe0a825f88b9f67846f6cc07dd2bc5476cd")]
    [InlineData("v0=0c0b9495b893a39e70d1fea2fe11fbe0a825f88b9f67846f6cc07dd2bc5476cd")]
    [InlineData("v1=0c0b9495b893a39e70d1fea2fe11fbe0a825f88b9f67846f6cc07dd2bc5476ce")]
    [InlineData("v1=0c0b9495b893a39e70d1fea2fe11fbe0a825f88b9f67846f6cc07dd2bc5476cd00")]
    [InlineData("v1=zz0b9495b893a39e70d1fea2fe11fbe0a825f88b9f67846f6cc07dd2bc5476cd")]
    [InlineData(",,,")]
    public void VerifySignature_WrongOrMissingHeader_Rejects(string? header) => Assert.False(Verify(header));

    [Fact]
    public void VerifySignature_OtherSecret_Rejects() => Assert.False(Verify(Valid, null, "another secret"));

    [Fact]
    public void VerifySignature_NoSecretConfigured_RejectsEverything() => Assert.False(Verify(Valid, null, ""));

    [Fact]
    public void VerifySignature_BodyChangedByOneByte_Rejects()
    {
        var changed = (byte[])Body.Clone();
        changed[^2] ^= 1;
        Assert.False(Verify(Valid, changed));
    }

    [Fact]
    public void VerifySignature_MoreThanSixteenSignatures_OnlyTheFirstSixteenCount() =>
        Assert.False(Verify(string.Join(',', Enumerable.Repeat(Mismatch, 16).Append(Valid))));

    [Property(MaxTest = 300)]
    public Property VerifySignature_ItsOwnSignature_IsAccepted() =>
        Prop.ForAll(ArbMap.Default.ArbFor<byte[]>(), ArbMap.Default.ArbFor<NonEmptyString>(), (body, secret) =>
            PagerDutyWebhook.VerifySignature([secret.Get], Sign(secret.Get, body), body));

    [Property(MaxTest = 500)]
    public Property VerifySignature_AnyChangedBodyByte_IsRejected() =>
        Prop.ForAll(ArbMap.Default.ArbFor<NonEmptyArray<byte>>(), Arb.From(Gen.Zip(ArbMap.Default.GeneratorFor<int>(), Gen.Choose(1, 255))), (body, change) =>
        {
            var changed = (byte[])body.Get.Clone();
            changed[(int)((uint)change.Item1 % (uint)changed.Length)] ^= (byte)change.Item2;
            return !PagerDutyWebhook.VerifySignature(["secret"], Sign("secret", body.Get), changed);
        });

    [Property(MaxTest = 500)]
    public void VerifySignature_ArbitraryHeader_NeverThrows(string? header, byte[]? body) =>
        Assert.False(PagerDutyWebhook.VerifySignature(["secret"], header, body ?? []) && header is null);

    private static string Sign(string secret, byte[] body) =>
        "v1=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));
}

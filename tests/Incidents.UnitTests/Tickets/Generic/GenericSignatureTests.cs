using System.Text;
using Incidents.Tickets.Generic;

namespace Incidents.UnitTests.Tickets.Generic;

public sealed class GenericSignatureTests
{
    private const string Secret = "whsec_example_4f9c2a";
    private const long Timestamp = 1772358900;
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(5);
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(Timestamp);
    private static readonly byte[] Body = GenericDocs.Payload("opened.json");
    private static readonly string Valid = GenericSignature.Sign(Secret, Timestamp, Body);

    private static bool Verify(string? signature, string? timestamp = "1772358900", byte[]? body = null, DateTimeOffset? now = null, string secret = Secret) =>
        GenericSignature.Verify(secret, timestamp, signature, body ?? Body, now ?? Now, Window);

    [Fact]
    public void Sign_IsHmacSha256OverTimestampDotBody()
    {
        var expected = System.Security.Cryptography.HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.ASCII.GetBytes("1772358900.").Concat(Body).ToArray());

        Assert.Equal("v1=" + Convert.ToHexStringLower(expected), Valid);
    }

    [Fact]
    public void Verify_OwnSignature_Accepts() => Assert.True(Verify(Valid));

    [Theory]
    [InlineData("v1=0000000000000000000000000000000000000000000000000000000000000000, {0}")]
    [InlineData("{0},v1=0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("v0=abc,{0}")]
    [InlineData("  {0}  ")]
    public void Verify_OneOfSeveralValuesMatches_Accepts(string header) =>
        Assert.True(Verify(string.Format(System.Globalization.CultureInfo.InvariantCulture, header, Valid)));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("v1=")]
    [InlineData("v2=3b82124298f481cbf0c6306503e8894e4391268addb1c80b08f302ff7ea5679a")]
    [InlineData("V1=3b82124298f481cbf0c6306503e8894e4391268addb1c80b08f302ff7ea5679a")]
    [InlineData("3b82124298f481cbf0c6306503e8894e4391268addb1c80b08f302ff7ea5679a")]
    [InlineData("v1=3b82124298f481cbf0c6306503e8894e4391268addb1c80b08f302ff7ea5679")]
    [InlineData("v1=zz82124298f481cbf0c6306503e8894e4391268addb1c80b08f302ff7ea5679a")]
    [InlineData("v1=3b82124298f481cbf0c6306503e8894e4391268addb1c80b08f302ff7ea5679b")]
    public void Verify_WrongOrMissingSignature_Rejects(string? header) => Assert.False(Verify(header));

    [Fact]
    public void Verify_MatchingValueAfterEightOthers_IsNotLookedAt()
    {
        var header = string.Join(',', Enumerable.Repeat("v1=" + new string('0', 64), 8).Append(Valid));

        Assert.False(Verify(header));
    }

    [Fact]
    public void Verify_OtherSecret_Rejects() => Assert.False(Verify(Valid, secret: "another secret"));

    [Fact]
    public void Verify_EmptySecretConfigured_RejectsEverything() =>
        Assert.False(GenericSignature.Verify("", "1772358900", GenericSignature.Sign("", Timestamp, Body), Body, Now, Window));

    [Fact]
    public void Verify_BodyChangedByOneByte_Rejects() => Assert.False(Verify(Valid, body: [.. Body, (byte)' ']));

    [Fact]
    public void Verify_TimestampHeaderChanged_Rejects() => Assert.False(Verify(Valid, timestamp: "1772358901", now: Now));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("-1772358900")]
    [InlineData("+1772358900")]
    [InlineData("1772358900.0")]
    [InlineData("1772358900000000")]
    [InlineData("٣")]
    public void Verify_TimestampNotUnixSeconds_Rejects(string? timestamp) => Assert.False(Verify(Valid, timestamp: timestamp));

    [Theory]
    [InlineData(-300, true)]
    [InlineData(300, true)]
    [InlineData(-301, false)]
    [InlineData(301, false)]
    [InlineData(-86_400, false)]
    public void Verify_ClockAtOffsetFromTimestamp_AcceptsOnlyInsideTheWindow(int seconds, bool accepted) =>
        Assert.Equal(accepted, Verify(Valid, now: Now.AddSeconds(seconds)));

    [Fact]
    public void Verify_LeadingZerosInTimestamp_AreSignedAsSent()
    {
        var signed = Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.ASCII.GetBytes("01772358900.").Concat(Body).ToArray()));

        Assert.True(Verify("v1=" + signed, timestamp: "01772358900"));
        Assert.False(Verify(Valid, timestamp: "01772358900"));
    }
}

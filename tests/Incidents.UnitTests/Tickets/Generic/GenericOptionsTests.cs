using System.ComponentModel.DataAnnotations;
using Incidents.Tickets.Generic;

namespace Incidents.UnitTests.Tickets.Generic;

public sealed class GenericOptionsTests
{
    private static List<ValidationResult> Validate(GenericOptions options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return results;
    }

    [Theory]
    [InlineData("https://tickets.example.com/hooks/incidents")]
    [InlineData("http://127.0.0.1:5080/generic/transcripts/")]
    public void CallbackUrl_PlainHttpUrl_IsValid(string url) =>
        Assert.Empty(Validate(new GenericOptions { WebhookSecret = "s", CallbackUrl = new Uri(url) }));

    [Theory]
    [InlineData("https://tickets.example.com/hooks?code=abc")]
    [InlineData("https://tickets.example.com/hooks#x")]
    [InlineData("ftp://tickets.example.com/hooks")]
    [InlineData("https://user:pw@tickets.example.com/hooks")]
    public void CallbackUrl_WithQueryFragmentOtherSchemeOrUserInfo_IsRefused(string url) =>
        Assert.Contains(Validate(new GenericOptions { WebhookSecret = "s", CallbackUrl = new Uri(url) }), r => r.MemberNames.Contains(nameof(GenericOptions.CallbackUrl)));

    [Fact]
    public void Required_SecretAndCallbackUrl_AreRequired() =>
        Assert.Equal(
            [nameof(GenericOptions.CallbackUrl), nameof(GenericOptions.WebhookSecret)],
            Validate(new GenericOptions()).SelectMany(r => r.MemberNames).Order(StringComparer.Ordinal));

    [Fact]
    public void CallbackSecret_Empty_FallsBackToTheWebhookSecret()
    {
        Assert.Equal("w", new GenericOptions { WebhookSecret = "w" }.EffectiveCallbackSecret);
        Assert.Equal("c", new GenericOptions { WebhookSecret = "w", CallbackSecret = "c" }.EffectiveCallbackSecret);
    }
}

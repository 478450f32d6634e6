using Incidents.Tickets.Jira;
using Incidents.Web;

namespace Incidents.UnitTests.Tickets.Jira;

/// <summary>Start-up validation of a Jira instance names the keys an operator has to fix.</summary>
public sealed class JiraOptionsTests
{
    private static JiraOptions Cloud() => new()
    {
        WebhookSecret = "s",
        SiteUrl = new Uri("https://acme.atlassian.net"),
        Email = "bot@acme.com",
        ApiToken = "t",
    };

    private static IEnumerable<string> Failures(JiraOptions options, string section = "Tickets:Jira") =>
        new SectionValidator<JiraOptions>(section).Validate(null, options).Failures ?? [];

    [Fact]
    public void Validate_CompleteCloudSite_Succeeds() => Assert.Empty(Failures(Cloud()));

    [Fact]
    public void Validate_CompleteDataCenterSite_Succeeds() =>
        Assert.Empty(Failures(new JiraOptions { WebhookSecret = "s", SiteUrl = new Uri("https://jira.example.com/jira"), Deployment = "DataCenter", ApiVersion = 2, PersonalAccessToken = "p" }));

    [Fact]
    public void Validate_NothingSet_NamesTheSecretAndTheSite()
    {
        var failures = string.Join('\n', Failures(new JiraOptions(), "Tickets:Jira:Instances:dc"));
        Assert.Contains("configuration key 'Tickets:Jira:Instances:dc:WebhookSecret' (environment variable Tickets__Jira__Instances__dc__WebhookSecret)", failures);
        Assert.Contains("configuration key 'Tickets:Jira:Instances:dc:SiteUrl'", failures);
    }

    [Theory]
    [InlineData("Email")]
    [InlineData("ApiToken")]
    public void Validate_CloudWithoutItsCredentials_NamesTheMissingKey(string key)
    {
        var options = Cloud();
        if (key == "Email")
        {
            options.Email = "";
        }
        else
        {
            options.ApiToken = "";
        }
        Assert.Contains(Failures(options), f => f.StartsWith($"configuration key 'Tickets:Jira:{key}'", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_DataCenterWithoutTokenOrWithApiV3_NamesTheKeys()
    {
        var options = Cloud();
        options.Deployment = "DataCenter";
        var failures = string.Join('\n', Failures(options));
        Assert.Contains("'Tickets:Jira:PersonalAccessToken'", failures);
        Assert.Contains("'Tickets:Jira:ApiVersion'", failures);
    }

    [Theory]
    [InlineData("Deployment", "Server")]
    [InlineData("ApiVersion", "4")]
    [InlineData("CommentVisibility", "everyone")]
    [InlineData("CharacterLimit", "5000")]
    [InlineData("SiteUrl", "ftp://jira.example.com")]
    public void Validate_ValueOutOfRange_NamesTheKey(string key, string value)
    {
        var options = Cloud();
        switch (key)
        {
            case "Deployment": options.Deployment = value; break;
            case "ApiVersion": options.ApiVersion = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture); break;
            case "CommentVisibility": options.CommentVisibility = value; break;
            case "CharacterLimit": options.CharacterLimit = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture); break;
            default: options.SiteUrl = new Uri(value); break;
        }
        Assert.Contains(Failures(options), f => f.StartsWith($"configuration key 'Tickets:Jira:{key}'", StringComparison.Ordinal));
    }
}

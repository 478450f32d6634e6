using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Incidents.Simulators.RocketChat.Endpoints;

/// <summary>users.generatePersonalAccessToken with the password 2FA fallback (§1.1).</summary>
internal static class PersonalAccessTokenEndpoints
{
    public static IEnumerable<RcEndpoint> All()
    {
        yield return new RcEndpoint("users.generatePersonalAccessToken", "POST", Generate) { Params = RcEndpoint.Keys("tokenName", "bypassTwoFactor") };
    }

    private static JsonObject Generate(RcCall call)
    {
        var tokenName = call.BodyString("tokenName");
        if (string.IsNullOrEmpty(tokenName))
        {
            throw RcErrors.InvalidParams(call.Version, "must have required property 'tokenName'", inQuery: false);
        }

        var expected = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(AuthEndpoints.Password)));
        var headers = call.Http.Request.Headers;
        if (headers["x-2fa-method"].ToString() != "password" || !string.Equals(headers["x-2fa-code"].ToString(), expected, StringComparison.OrdinalIgnoreCase))
        {
            throw RcErrors.Meteor("totp-required", "TOTP Required", new JsonObject
            {
                ["method"] = "password",
                ["codeGenerated"] = false,
                ["availableMethods"] = new JsonArray("password"),
            });
        }

        var user = call.Caller;
        if (user.PersonalAccessTokens.ContainsKey(tokenName))
        {
            throw RcErrors.Meteor("error-token-already-exists", "A token with this name already exists", RoomLookup.MethodDetails("personalAccessTokens:generateToken"));
        }

        var token = call.State.IssueToken(user);
        user.PersonalAccessTokens[tokenName] = token;
        return new JsonObject { ["token"] = token };
    }
}

using System.Text.Json.Nodes;

namespace Incidents.Simulators.RocketChat.Endpoints;

/// <summary>login, logout, me, users.info.</summary>
internal static class AuthEndpoints
{
    public const string Password = "password";

    public static IEnumerable<RcEndpoint> All()
    {
        yield return new RcEndpoint("login", "POST", Login) { RequiresAuth = false };
        yield return new RcEndpoint("logout", "POST", Logout);
        yield return new RcEndpoint("me", "GET", call => RcJson.User(call.Caller, full: true));
        yield return new RcEndpoint("users.info", "GET", UsersInfo)
        {
            Params = RcEndpoint.Keys("userId", "username", "importId", "email", "includeUserRooms", "fields"),
        };
    }

    private static JsonObject Login(RcCall call)
    {
        UserRecord? user = null;
        if (call.BodyString("resume") is { } resume)
        {
            user = call.State.UserRecords.FirstOrDefault(u => u.Tokens.Contains(resume));
        }
        else
        {
            var name = call.BodyString("user") ?? call.BodyString("username") ?? call.BodyString("email") ?? "";
            name = name.Split('@')[0];
            var candidate = call.State.UserByUsername(name);
            if (candidate is not null && call.BodyString("password") == Password)
            {
                user = candidate;
            }
        }

        if (user is null)
        {
            var body = call.Version >= 8
                ? new JsonObject { ["success"] = false, ["error"] = "unauthorized" }
                : new JsonObject { ["status"] = "error", ["error"] = "Unauthorized", ["message"] = "Unauthorized" };
            if (call.Version == 7)
            {
                body["success"] = false;
            }

            throw new RcException(401, body);
        }

        var token = call.State.IssueToken(user);
        return new JsonObject
        {
            ["status"] = "success",
            ["data"] = new JsonObject
            {
                ["userId"] = user.Id,
                ["authToken"] = token,
                ["me"] = RcJson.User(user, full: true),
            },
        };
    }

    private static JsonObject Logout(RcCall call)
    {
        if (call.Http.Request.Headers["X-Auth-Token"].ToString() is { Length: > 0 } token && token != call.Caller.PrimaryToken)
        {
            call.Caller.Tokens.Remove(token);
        }

        return new JsonObject
        {
            ["status"] = "success",
            ["data"] = new JsonObject { ["message"] = "You've been logged out!" },
        };
    }

    private static JsonObject UsersInfo(RcCall call)
    {
        var userId = call.Query("userId");
        var username = call.Query("username");
        if (string.IsNullOrEmpty(userId) && string.IsNullOrEmpty(username))
        {
            throw RcErrors.Meteor("error-user-param-not-provided", "The required \"userId\" or \"username\" param was not provided");
        }

        var user = (!string.IsNullOrEmpty(userId) ? call.State.UserById(userId) : call.State.UserByUsername(username!))
            ?? throw RcErrors.Plain("User not found.");
        var json = RcJson.User(user, full: false);
        if (call.Query("includeUserRooms") == "true")
        {
            json["rooms"] = new JsonArray(call.State.RoomRecords
                .Where(r => !r.Deleted && r.IsMember(user.Id))
                .Select(r => (JsonNode)new JsonObject { ["_id"] = r.Id, ["rid"] = r.Id, ["name"] = r.Name, ["t"] = r.Type, ["unread"] = 0 })
                .ToArray());
        }

        return new JsonObject { ["user"] = json };
    }
}

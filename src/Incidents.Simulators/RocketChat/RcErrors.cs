using System.Text.Json.Nodes;

namespace Incidents.Simulators.RocketChat;

/// <summary>Rocket.Chat failure bodies (§1.3 of the spec).</summary>
internal static class RcErrors
{
    /// <summary>Meteor error: <c>error = "reason [code]"</c>, <c>errorType = code</c>, optional details.</summary>
    public static RcException Meteor(string code, string? reason, JsonObject? details = null, int status = 400)
    {
        var body = new JsonObject
        {
            ["success"] = false,
            ["error"] = string.IsNullOrEmpty(reason) ? $"[{code}]" : $"{reason} [{code}]",
            ["errorType"] = code,
        };
        if (details is not null)
        {
            body["details"] = details;
        }

        return new RcException(status, body);
    }

    /// <summary><c>API.v1.failure("text")</c>: no errorType.</summary>
    public static RcException Plain(string text, int status = 400) =>
        new(status, new JsonObject { ["success"] = false, ["error"] = text });

    /// <summary><c>API.v1.failure(a, b)</c>: b lands in errorType.</summary>
    public static RcException Swapped(string error, string errorType) =>
        new(400, new JsonObject { ["success"] = false, ["error"] = error, ["errorType"] = errorType });

    public static RcException Unauthenticated(int version)
    {
        const string Text = "You must be logged in to do this.";
        var body = version switch
        {
            <= 6 => new JsonObject { ["status"] = "error", ["message"] = Text },
            7 => new JsonObject { ["success"] = false, ["error"] = Text, ["status"] = "error", ["message"] = Text },
            _ => new JsonObject { ["success"] = false, ["error"] = Text },
        };
        return new RcException(401, body);
    }

    /// <summary><c>API.v1.forbidden()</c>: 403 "unauthorized" up to 7.x, "forbidden" from 8.x.</summary>
    public static RcException Forbidden(int version) =>
        Plain(version >= 8 ? "forbidden" : "unauthorized", 403);

    public static RcException NotFound() => Plain("Resource not found", 404);

    public static JsonObject InternalError() => new() { ["success"] = false, ["error"] = "Internal server error" };

    /// <summary>Schema validation failure; <paramref name="inQuery"/> selects the 7.x/8.x query flavour.</summary>
    public static RcException InvalidParams(int version, string message, bool inQuery)
    {
        if (version <= 6)
        {
            return Meteor("invalid-params", message);
        }

        return new RcException(400, new JsonObject
        {
            ["success"] = false,
            ["errorType"] = inQuery ? "error-invalid-params" : "invalid-params",
            ["error"] = message,
        });
    }

    public static RcException TooManyRequests(long waitSeconds) => Plain(
        $"Error, too many requests. Please slow down. You must wait {waitSeconds} seconds before trying this endpoint again. [error-too-many-requests]",
        429);
}

using System.Globalization;
using System.Text.Json.Nodes;

namespace Incidents.Simulators.RocketChat;

/// <summary>One authenticated (or anonymous) API call, handled under the state lock.</summary>
internal sealed class RcCall(HttpContext http, RocketChatState state, UserRecord? user, JsonObject body, IFormCollection? form, string[] pathArgs)
{
    public HttpContext Http { get; } = http;

    public RocketChatState State { get; } = state;

    public int Version => State.Options.RocketChatVersion;

    public UserRecord? User { get; } = user;

    public UserRecord Caller => User ?? throw RcErrors.Unauthenticated(Version);

    public JsonObject Body { get; } = body;

    public IFormCollection? Form { get; } = form;

    public string[] PathArgs { get; } = pathArgs;

    public DateTimeOffset Now => State.Now();

    public string? Query(string name) =>
        Http.Request.Query.TryGetValue(name, out var values) ? values.ToString() : null;

    public string? BodyString(string name) => Body[name] is JsonValue value ? value.ToString() : null;

    public bool? BodyBool(string name) =>
        Body[name] is JsonValue value && value.TryGetValue<bool>(out var flag) ? flag : null;

    /// <summary>roomId/roomName from the query (GET) or the body (POST).</summary>
    public string? Param(string name)
    {
        if (HttpMethods.IsGet(Http.Request.Method))
        {
            return Query(name);
        }

        if (BodyString(name) is { } fromBody)
        {
            return fromBody;
        }

        return Form is not null && Form.TryGetValue(name, out var fromForm) ? fromForm.ToString() : null;
    }

    /// <summary>Integer query parameter (type-coerced like ajv); invalid values are a validation failure.</summary>
    public int? QueryInt(string name)
    {
        var text = Query(name);
        if (text is null)
        {
            return null;
        }

        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw RcErrors.InvalidParams(Version, "must be number", inQuery: true);
    }
}

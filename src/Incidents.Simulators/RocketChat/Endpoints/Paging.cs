using System.Text.Json;
using System.Text.Json.Nodes;

namespace Incidents.Simulators.RocketChat.Endpoints;

/// <summary>getPaginationItems and parseJsonQuery's sort handling.</summary>
internal static class Paging
{
    public const int DefaultCount = 50;
    public const int UpperLimit = 100;

    /// <summary>Default 50, clamped to 100, 0 = all (API_Allow_Infinite_Count).</summary>
    public static (int Count, int Offset) Standard(RcCall call)
    {
        var count = call.QueryInt("count") ?? DefaultCount;
        var offset = Math.Max(0, call.QueryInt("offset") ?? 0);
        count = count switch
        {
            0 => int.MaxValue,
            < 0 => DefaultCount,
            > UpperLimit => UpperLimit,
            _ => count,
        };
        return (count, offset);
    }

    /// <summary>Sort direction for a field, from <c>sort={"field":1|-1}</c>; null when the field is absent.</summary>
    public static int? SortDirection(RcCall call, string field)
    {
        var text = call.Query("sort");
        if (text is null)
        {
            return null;
        }

        JsonObject? sort;
        try
        {
            sort = JsonNode.Parse(text) as JsonObject;
        }
        catch (JsonException)
        {
            sort = null;
        }

        if (sort is null)
        {
            throw RcErrors.Meteor("error-invalid-sort", $"Invalid sort parameter provided: \"{text}\"", new JsonObject { ["helperMethod"] = "parseJsonQuery" });
        }

        foreach (var (_, value) in sort)
        {
            if (value is not JsonValue v || !v.TryGetValue<int>(out var direction) || (direction != 1 && direction != -1))
            {
                throw RcErrors.Meteor("error-invalid-sort-parameter", $"Invalid sort parameter: {text}", new JsonObject { ["helperMethod"] = "parseJsonQuery" });
            }
        }

        return sort[field] is JsonValue dir && dir.TryGetValue<int>(out var d) ? d : null;
    }

    public static JsonArray Array(IEnumerable<JsonObject> items) => new(items.Select(i => (JsonNode)i).ToArray());
}

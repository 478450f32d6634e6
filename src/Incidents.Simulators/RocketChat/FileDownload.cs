using Incidents.Simulators.Hosting;
using Incidents.Simulators.RocketChat.Endpoints;

namespace Incidents.Simulators.RocketChat;

/// <summary><c>GET /file-upload/{id}/{name}</c> with FileUpload_ProtectFiles on.</summary>
internal static class FileDownload
{
    public static SimResponse Handle(HttpRequest request, RocketChatState state)
    {
        var segments = request.Path.Value!.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method))
        {
            return new SimResponse { Status = 404 };
        }

        lock (state.Gate)
        {
            var userId = Credential(request, "X-User-Id", "rc_uid");
            var token = Credential(request, "X-Auth-Token", "rc_token");
            var user = state.Authenticate(userId, token);
            if (user is null)
            {
                return new SimResponse { Status = 403 };
            }

            var upload = segments.Length >= 2 ? state.FindUpload(segments[1]) : null;
            var room = upload is null ? null : state.FindRoomById(upload.Rid);
            if (upload is null || room is null)
            {
                return new SimResponse { Status = 404 };
            }

            if (!RoomLookup.CanAccess(user, room))
            {
                return new SimResponse { Status = 403 };
            }

            var response = new SimResponse { Status = 200, Bytes = upload.Content, ContentType = upload.ContentType };
            var disposition = request.Query["download"].Count > 0 ? "attachment" : "inline";
            response.Headers["Content-Disposition"] = $"{disposition}; filename=\"{Uri.EscapeDataString(upload.Name)}\"";
            response.Headers["Last-Modified"] = upload.UploadedAt.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
            response.Headers["Cache-Control"] = "max-age=31536000";
            return response;
        }
    }

    private static string? Credential(HttpRequest request, string header, string cookieOrQuery)
    {
        if (request.Headers.TryGetValue(header, out var fromHeader) && fromHeader.Count > 0)
        {
            return fromHeader.ToString();
        }

        return request.Cookies.TryGetValue(cookieOrQuery, out var fromCookie)
            ? fromCookie
            : request.Query.TryGetValue(cookieOrQuery, out var fromQuery) ? fromQuery.ToString() : null;
    }
}

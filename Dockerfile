# syntax=docker/dockerfile:1
#
# One image, two programs:
#   /app/api       the Incidents web service (default ENTRYPOINT)
#   /app/migrator  the EF Core migrator; compose runs it with
#                  entrypoint ["dotnet", "/app/migrator/Incidents.Migrations.dll"]
#
# Build: docker build -t incidents .

# ---------------------------------------------------------------------------
# 1. Project files only, for restore caching.
#    Copying every *.csproj under src/ and migrations/ (not just the two entry
#    projects) keeps restore working when a new project is referenced. The
#    stage itself is rebuilt on every source change, but the build stage copies
#    only its output, and BuildKit compares that by content: as long as no
#    .csproj/.props changed, the restore layer below stays cached.
# ---------------------------------------------------------------------------
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS projects
WORKDIR /src
COPY src/ src/
COPY migrations/ migrations/
RUN find . -type f ! -name '*.csproj' -delete && find . -type d -empty -delete

# ---------------------------------------------------------------------------
# 2. Restore, then build and publish both programs.
# ---------------------------------------------------------------------------
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# Build-wide settings first: they affect restore (central package versions,
# SDK selection) and the build (analyzers, warnings as errors, .editorconfig).
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY --from=projects /src/ ./
RUN dotnet restore src/Incidents.Api/Incidents.Api.csproj \
 && dotnet restore migrations/Incidents.Migrations/Incidents.Migrations.csproj

COPY src/ src/
COPY migrations/ migrations/
RUN dotnet publish src/Incidents.Api/Incidents.Api.csproj \
        --configuration Release --no-restore --output /app/api \
 && dotnet publish migrations/Incidents.Migrations/Incidents.Migrations.csproj \
        --configuration Release --no-restore --output /app/migrator

# ---------------------------------------------------------------------------
# 3. Runtime.
# ---------------------------------------------------------------------------
FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime

# Health checks: the aspnet image has no HTTP client, and compose's
# healthcheck runs *inside* the container. Options considered:
#   - bash + /dev/tcp: needs bash (absent from chiseled/alpine variants) and
#     hand-parsing of the HTTP status line; brittle.
#   - a health-probe mode in the app itself: needs C# changes.
#   - curl from the distro: one small package, real HTTP semantics
#     (--fail on 4xx/5xx, --max-time), works for every probe URL.
# We install curl (no recommends, apt lists removed). The image itself has no
# HEALTHCHECK instruction: docker-compose.yml defines the checks, so the same
# image can run the one-shot migrator without a meaningless health status.
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY --from=build /app/api /app/api
COPY --from=build /app/migrator /app/migrator
# Entrypoint wrapper used by compose: loads /provision/rocketchat.env (written
# at runtime by the rocketchat-provision service), then execs the API.
COPY deploy/incidents-entrypoint.sh /app/incidents-entrypoint.sh

ENV ASPNETCORE_URLS=http://+:8080
EXPOSE 8080

# Non-root: the image's built-in `app` user ($APP_UID = 1654). Numeric so that
# runtimes enforcing "run as non-root" can verify it.
USER $APP_UID

ENTRYPOINT ["dotnet", "/app/api/Incidents.Api.dll"]

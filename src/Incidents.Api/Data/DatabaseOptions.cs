using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Incidents.Data;

internal sealed class DatabaseOptions
{
    public const string Section = "Database";

    /// <summary>
    /// <c>Postgres</c> (production, several instances) or <c>Sqlite</c> (an embedded file, one instance). Empty: PostgreSQL when
    /// <c>ConnectionStrings:Incidents</c> is set, else SQLite.
    /// </summary>
    [AllowedValues("", "Postgres", "Sqlite")]
    public string Provider { get; set; } = "";
}

/// <summary>PostgreSQL needs its connection string; SQLite can do without one.</summary>
internal sealed class DatabaseOptionsValidator(IConfiguration configuration) : IValidateOptions<DatabaseOptions>
{
    public ValidateOptionsResult Validate(string? name, DatabaseOptions options) =>
        options.Provider == "Postgres" && string.IsNullOrWhiteSpace(configuration.GetConnectionString("Incidents"))
            ? ValidateOptionsResult.Fail("configuration key 'ConnectionStrings:Incidents' (environment variable ConnectionStrings__Incidents): required when Database:Provider is Postgres.")
            : ValidateOptionsResult.Success;
}

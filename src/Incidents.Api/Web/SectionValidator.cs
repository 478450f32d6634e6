using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Incidents.Web;

/// <summary>
/// Validates an options class at start and names each offending configuration key the way an operator
/// writes it, in appsettings and as an environment variable.
/// </summary>
internal sealed class SectionValidator<T>(string section, string? optionsName = null) : IValidateOptions<T> where T : class
{
    public ValidateOptionsResult Validate(string? name, T options)
    {
        if ((name ?? Options.DefaultName) != (optionsName ?? Options.DefaultName))
        {
            return ValidateOptionsResult.Skip; // another instance's options, validated by its own validator
        }
        var results = new List<ValidationResult>();
        if (Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true))
        {
            return ValidateOptionsResult.Success;
        }
        return ValidateOptionsResult.Fail(results.SelectMany(r => r.MemberNames.DefaultIfEmpty("").Select(member =>
        {
            var key = $"{section}:{member}";
            return $"configuration key '{key}' (environment variable {key.Replace(":", "__", StringComparison.Ordinal)}): {r.ErrorMessage}";
        })));
    }
}

internal static class SectionValidation
{
    public static OptionsBuilder<T> AddValidatedOptions<T>(this IServiceCollection services, string section) where T : class
    {
        services.AddSingleton<IValidateOptions<T>>(new SectionValidator<T>(section));
        return services.AddOptions<T>().BindConfiguration(section).ValidateOnStart();
    }
}

/// <summary>The database connection string (<c>ConnectionStrings:Incidents</c>).</summary>
internal sealed class ConnectionStringsOptions
{
    public const string Section = "ConnectionStrings";

    /// <summary>
    /// PostgreSQL: an Npgsql connection string (secret: contains the password). SQLite: e.g. <c>Data Source=incidents.db</c>.
    /// Empty with no <c>Database:Provider</c>: an embedded SQLite file <c>incidents.db</c> in the working directory.
    /// </summary>
    public string Incidents { get; set; } = "";
}

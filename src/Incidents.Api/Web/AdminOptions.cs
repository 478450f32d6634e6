using System.ComponentModel.DataAnnotations;

namespace Incidents.Web;

internal sealed class AdminOptions
{
    public const string Section = "Admin";

    /// <summary>Bearer key for the admin API (secret). At least 16 characters.</summary>
    [Required]
    [MinLength(16)]
    public string ApiKey { get; set; } = "";
}

using System.ComponentModel.DataAnnotations;

namespace Incidents.Lifecycle;

internal sealed class LifecycleOptions
{
    public const string Section = "Lifecycle";

    /// <summary>What happens to a channel once its transcript is verified in the ticket.</summary>
    [AllowedValues("delete", "archive")]
    public string OnClose { get; set; } = "delete";
}

namespace Consent.Core.Log.Receipts;

/// <summary>Settings of section "Consent:Controller": who answers for the records, as each receipt names them.</summary>
public sealed class ControllerOptions
{
    public const string Section = "Controller";

    /// <summary>The controller's legal name, as the privacy policy names it.</summary>
    public string Name { get; set; } = "Opendatasoft SAS";

    /// <summary>Where a visitor writes about their data: the seed policy's Data Protection Officer.</summary>
    public string Contact { get; set; } = "dpo@opendatasoft.com";

    public string Address { get; set; } = "32 avenue de l'Opera, 75002 Paris, France";

    /// <summary>ISO 3166-1 alpha-2 code of the country whose law the records answer to.</summary>
    public string Jurisdiction { get; set; } = "FR";
}

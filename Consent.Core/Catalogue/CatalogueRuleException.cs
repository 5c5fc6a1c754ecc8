namespace Consent.Core.Catalogue;

/// <summary>
/// A change the catalogue's rules forbid, as opposed to a badly typed field (those are FluentValidation
/// errors): deleting a required category, a category that still has cookies, or one of the center's own
/// cookies. The message is a plain sentence the privacy-team center shows as it is; nothing was changed.
/// </summary>
public sealed class CatalogueRuleException(string message) : Exception(message);

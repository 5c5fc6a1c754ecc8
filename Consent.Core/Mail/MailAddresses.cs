using MimeKit;

namespace Consent.Core.Mail;

/// <summary>What the center accepts as one e-mail address: an addr-spec with a domain, no display name, no list.</summary>
internal static class MailAddresses
{
    public const int MaxLength = 254;

    public static bool IsValid(string? address) =>
        !string.IsNullOrEmpty(address)
        && address.Length <= MaxLength
        && !address.Any(char.IsWhiteSpace)
        && MailboxAddress.TryParse(ParserOptions.Default, address, out var mailbox)
        && mailbox.Address == address
        && mailbox.Domain.Length > 0;

    public static bool IsOneLine(string? text) => text is null || text.IndexOfAny(['\r', '\n']) < 0;
}

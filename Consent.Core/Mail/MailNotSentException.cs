namespace Consent.Core.Mail;

/// <summary>The mail did not leave: no mail is configured, the server refused it or could not be reached, or the pickup folder could not be written. The message names no recipient.</summary>
public sealed class MailNotSentException(string message, Exception? inner = null) : Exception(message, inner);

namespace Consent.Core.Requests;

/// <summary>A step the register's rules refuse (an extension after the first month, a reply to a closed request), with the reason to show.</summary>
public sealed class RequestRuleException(string message) : Exception(message);

namespace Consent.Core.Requests;

/// <summary>The register's filter by deadline: only pending requests are due soon or overdue.</summary>
public enum RequestDue
{
    All = 0,
    DueSoon = 1,
    Overdue = 2,
}

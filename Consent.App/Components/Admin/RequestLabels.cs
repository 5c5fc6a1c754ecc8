using System.Globalization;
using Consent.Core.Requests;
using MudBlazor;

namespace Consent.App.Components.Admin;

/// <summary>How the team's request pages name types, statuses and deadlines, in words (colour only repeats them).</summary>
internal static class RequestLabels
{
    public static string Type(RequestType type) => type switch
    {
        RequestType.Access => "Access",
        RequestType.Rectification => "Rectification",
        RequestType.Erasure => "Erasure",
        RequestType.Restriction => "Restriction of processing",
        RequestType.Portability => "Portability",
        RequestType.Objection => "Objection",
        RequestType.Withdrawal => "Withdrawal of consent",
        RequestType.AutomatedDecision => "Review of an automated decision",
        RequestType.DeathDirective => "Directive after death",
        RequestType.Other => "Other",
        _ => type.ToString(),
    };

    public static string Status(RequestStatus status) => status switch
    {
        RequestStatus.AwaitingVerification => "Awaiting verification",
        RequestStatus.Open => "Open",
        RequestStatus.InProgress => "In progress",
        RequestStatus.Extended => "Extended",
        RequestStatus.Answered => "Answered",
        RequestStatus.Refused => "Refused",
        RequestStatus.Withdrawn => "Withdrawn",
        _ => status.ToString(),
    };

    public static Color StatusColor(RequestStatus status) => status switch
    {
        RequestStatus.AwaitingVerification => Color.Default,
        RequestStatus.Open => Color.Info,
        RequestStatus.InProgress or RequestStatus.Extended => Color.Primary,
        RequestStatus.Answered => Color.Success,
        _ => Color.Dark,
    };

    /// <summary>"due today", "due in 3 days", "overdue by 2 days"; empty when nothing is due (closed, or not verified yet).</summary>
    public static string Deadline(int? daysLeft) => daysLeft switch
    {
        null => "",
        0 => "due today",
        1 => "due in 1 day",
        > 1 and var d => $"due in {d} days",
        -1 => "overdue by 1 day",
        var d => $"overdue by {-d} days",
    };

    public static Color DeadlineColor(bool dueSoon, bool overdue) => overdue ? Color.Error : dueSoon ? Color.Warning : Color.Default;

    /// <summary>The row's class: overdue and due-soon rows are marked beside their words.</summary>
    public static string RowClass(bool dueSoon, bool overdue) => overdue ? "request-overdue" : dueSoon ? "request-due-soon" : "";

    public static string VerifiedBy(string how) => how switch
    {
        RequestRegister.VerifiedBy.Email => "E-mail address confirmed with a code",
        RequestRegister.VerifiedBy.Member => "Signed-in member",
        RequestRegister.VerifiedBy.ConsentCookie => "Consent cookie of the quoted consent id",
        _ => how,
    };

    public static string Event(string kind) => kind switch
    {
        RequestEventKinds.Filed => "Filed",
        RequestEventKinds.CodeSent => "Code sent",
        RequestEventKinds.Verified => "Verified",
        RequestEventKinds.Assigned => "Assigned",
        RequestEventKinds.Note => "Note",
        RequestEventKinds.Reply => "Reply sent",
        RequestEventKinds.Extended => "Extended",
        RequestEventKinds.FileAttached => "File attached",
        RequestEventKinds.MemberErased => "Member erased",
        RequestEventKinds.Answered => "Answered",
        RequestEventKinds.Refused => "Refused",
        RequestEventKinds.Withdrawn => "Withdrawn",
        _ => kind,
    };

    public static string Day(DateOnly? day) => day?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "—";

    public static string Time(DateTime? at) => at?.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) ?? "—";
}

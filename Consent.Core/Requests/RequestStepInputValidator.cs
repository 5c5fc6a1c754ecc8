using FluentValidation;

namespace Consent.Core.Requests;

/// <summary>The inbox's input, one rule set per step (<see cref="Assign"/>, <see cref="AddNote"/>…): the team's forms use the same sets.</summary>
public sealed class RequestStepInputValidator : AbstractValidator<RequestStepInput>
{
    public const string Assign = "assign";
    public const string AddNote = "note";
    public const string Reply = "reply";
    public const string Extend = "extend";
    public const string Refuse = "refuse";
    public const string Withdraw = "withdraw";

    public RequestStepInputValidator()
    {
        RuleSet(Assign, () => RuleFor(i => i.Assignee)
            .MaximumLength(RequestLimits.Email).WithMessage("A team account's e-mail is {MaxLength} characters at most.")
            .EmailAddress().WithMessage("Choose a team account by its e-mail address, or nobody.")
            .When(i => !string.IsNullOrWhiteSpace(i.Assignee)));
        RuleSet(AddNote, () => RuleFor(i => i.Note)
            .NotEmpty().WithMessage("Write the note.")
            .MaximumLength(RequestLimits.Note).WithMessage("A note is {MaxLength} characters at most; this one has {TotalLength}."));
        RuleSet(Reply, () => RuleFor(i => i.Body)
            .NotEmpty().WithMessage("Write the reply.")
            .MaximumLength(RequestLimits.Reply).WithMessage("A reply is {MaxLength} characters at most; this one has {TotalLength}."));
        RuleSet(Extend, () =>
        {
            RuleFor(i => i.Months).InclusiveBetween(1, RequestDeadlines.MaxExtensionMonths)
                .WithMessage("An extension is 1 or 2 further months (GDPR Art. 12(3)).");
            ReasonRules().NotEmpty().WithMessage("Say why the request needs more time: the requester is told.");
        });
        RuleSet(Refuse, () => ReasonRules().NotEmpty().WithMessage("Say why the request is refused: the requester is told (GDPR Art. 12(4))."));
        RuleSet(Withdraw, () => ReasonRules());
    }

    private IRuleBuilderOptions<RequestStepInput, string?> ReasonRules() => RuleFor(i => i.Reason)
        .MaximumLength(RequestLimits.Reason).WithMessage("A reason is {MaxLength} characters at most; this one has {TotalLength}.");
}

using FluentValidation;

namespace Consent.Core.Members;

/// <summary>What a member can rectify themselves: their username and the seed's optional professional fields.</summary>
public class ProfileInput
{
    public string? UserName { get; set; }
    public string? Company { get; set; }
    public string? JobTitle { get; set; }
    public string? Country { get; set; }
    public string? City { get; set; }
    public string? LinkedInUrl { get; set; }
}

public sealed class ProfileInputValidator : AbstractValidator<ProfileInput>
{
    public ProfileInputValidator()
    {
        RuleFor(x => x.UserName).Cascade(CascadeMode.Stop)
            .NotEmpty().WithMessage(_ => MemberTexts.Get("Field.UserName.Required"))
            .Length(MemberLimits.UserNameMin, MemberLimits.UserName).WithMessage(_ => MemberTexts.Get("Field.UserName.Length", MemberLimits.UserNameMin, MemberLimits.UserName))
            .Must(name => name!.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-')).WithMessage(_ => MemberTexts.Get("Field.UserName.Characters"));
        foreach (var (field, name) in new (System.Linq.Expressions.Expression<Func<ProfileInput, string?>>, string)[]
                 {
                     (x => x.Company, "Company"), (x => x.JobTitle, "JobTitle"), (x => x.Country, "Country"), (x => x.City, "City"),
                 })
        {
            RuleFor(field).MaximumLength(MemberLimits.Field).WithMessage(_ => MemberTexts.Get("Field.TooLong", MemberTexts.Get($"Field.{name}"), MemberLimits.Field));
        }
        RuleFor(x => x.LinkedInUrl).Cascade(CascadeMode.Stop)
            .MaximumLength(MemberLimits.Url).WithMessage(_ => MemberTexts.Get("Field.TooLong", MemberTexts.Get("Field.LinkedInUrl"), MemberLimits.Url))
            .Must(IsLinkedInProfile).WithMessage(_ => MemberTexts.Get("Field.LinkedInUrl.Invalid"));
    }

    /// <summary>Empty, or an https address on linkedin.com: the field is the member's LinkedIn profile, not any link.</summary>
    public static bool IsLinkedInProfile(string? url) =>
        string.IsNullOrWhiteSpace(url)
        || (Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps
            && (uri.Host.Equals("linkedin.com", StringComparison.OrdinalIgnoreCase) || uri.Host.EndsWith(".linkedin.com", StringComparison.OrdinalIgnoreCase)));
}

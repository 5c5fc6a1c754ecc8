using Consent.App.Members;
using Consent.Core.Members;
using FluentValidation;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Localization;

namespace Consent.App.Components.Members;

/// <summary>Rectification: the member edits any profile field, checked by <see cref="ProfileInputValidator"/>, field by field.</summary>
public partial class ProfilePage
{
    [Inject] private MemberSession Session { get; set; } = default!;
    [Inject] private MemberService Members { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;

    [CascadingParameter] private HttpContext HttpContext { get; set; } = default!;

    [SupplyParameterFromForm(FormName = "profile")] private ProfileInput? Input { get; set; }
    [SupplyParameterFromQuery(Name = "saved")] private string? SavedFlag { get; set; }

    private bool Saved => SavedFlag == "true";

    private Member? member;
    private string? refusal;
    private Dictionary<string, string[]> errors = [];

    /// <summary>A profile field as the form shows it.</summary>
    private sealed record Field(string Name, Func<ProfileInput, string?> Value, int MaxLength, bool Optional, string Autocomplete);

    private static readonly Field[] Fields =
    [
        new(nameof(ProfileInput.UserName), p => p.UserName, MemberLimits.UserName, false, "username"),
        new(nameof(ProfileInput.Company), p => p.Company, MemberLimits.Field, true, "organization"),
        new(nameof(ProfileInput.JobTitle), p => p.JobTitle, MemberLimits.Field, true, "organization-title"),
        new(nameof(ProfileInput.Country), p => p.Country, MemberLimits.Field, true, "country-name"),
        new(nameof(ProfileInput.City), p => p.City, MemberLimits.Field, true, "address-level2"),
        new(nameof(ProfileInput.LinkedInUrl), p => p.LinkedInUrl, MemberLimits.Url, true, "url"),
    ];

    protected override async Task OnInitializedAsync()
    {
        member = await Session.GetAsync();
        if (member is null)
        {
            Navigation.NavigateTo($"{MemberAuthentication.SignInPath}?returnUrl={Uri.EscapeDataString("/members/profile")}");
            return;
        }
        Input ??= new ProfileInput
        {
            UserName = member.UserName,
            Company = member.Company,
            JobTitle = member.JobTitle,
            Country = member.Country,
            City = member.City,
            LinkedInUrl = member.LinkedInUrl,
        };
    }

    private async Task SaveAsync()
    {
        if (member is null) return;
        try
        {
            await Members.UpdateProfileAsync(member.Id, Input!);
            Navigation.NavigateTo("/members/profile?saved=true");
        }
        catch (ValidationException invalid)
        {
            // The form again with each message under its field, and nothing stored.
            HttpContext.Response.StatusCode = StatusCodes.Status400BadRequest;
            errors = invalid.Errors.GroupBy(e => e.PropertyName).ToDictionary(g => g.Key, g => g.Select(e => e.ErrorMessage).Distinct().ToArray());
        }
        catch (MemberRestrictedException)
        {
            HttpContext.Response.StatusCode = StatusCodes.Status409Conflict;
            refusal = Localizer["MyPrivacy.Restricted.Refused"];
        }
    }

    [Inject] private IStringLocalizer<MemberTexts> Localizer { get; set; } = default!;
}

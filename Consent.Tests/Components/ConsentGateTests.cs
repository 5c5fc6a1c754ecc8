using Bunit;
using Consent.App.Components.Visitor;
using Consent.Core.Catalogue;
using Consent.Core.ConsentMode;
using Consent.Core.Consents;
using Consent.Tests.Support;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace Consent.Tests.Components;

public class ConsentGateTests : VisitorComponentTest
{
    private static readonly CurrentConsent NoDecision = new(1, false, []);

    /// <summary>
    /// Renders the gate and waits until its decision is made: the lifecycle is run once more and awaited to its end,
    /// so that "nothing rendered" is the gate's answer and not a render still waiting for the catalogue.
    /// </summary>
    private async Task<IRenderedComponent<ConsentGate>> RenderGateAsync(CurrentConsent consent, string category, bool placeholder = false,
        bool googleTag = false, string url = "/")
    {
        bunit.Services.AddCascadingValue(_ => consent);
        bunit.Services.GetRequiredService<NavigationManager>().NavigateTo(url);
        var cut = bunit.Render<ConsentGate>(p => p
            .Add(g => g.Category, category)
            .Add(g => g.Placeholder, placeholder)
            .Add(g => g.What, "the community video")
            .Add(g => g.GoogleTag, googleTag)
            .AddChildContent("""<iframe src="/embed/video" title="Community video"></iframe>"""));
        await cut.InvokeAsync(() => cut.Instance.SetParametersAsync(ParameterView.Empty));
        return cut;
    }

    private Task SetModeAsync(GoogleConsentMode mode) =>
        db.Get<GoogleConsentModeService>().SaveModeAsync(new GoogleConsentModeInput { Mode = mode }, "privacy@example.org");

    [Fact]
    public async Task A_granted_category_renders_the_content()
    {
        var cut = await RenderGateAsync(new CurrentConsent(1, true, ["functional", "social-media"]), "social-media", placeholder: true);

        Assert.Equal("/embed/video", cut.Find("iframe").GetAttribute("src"));
        Assert.Empty(cut.FindAll("[data-testid=consent-gate]"));
    }

    [Fact]
    public async Task Without_consent_and_without_a_placeholder_nothing_at_all_is_rendered()
    {
        var cut = await RenderGateAsync(new CurrentConsent(1, true, ["functional", "analytics"]), "social-media");

        Assert.Equal("", cut.Markup.Trim());
    }

    [Fact]
    public async Task Without_consent_the_placeholder_names_what_is_blocked_and_its_category_but_holds_nothing_of_the_content()
    {
        var cut = await RenderGateAsync(NoDecision, "social-media", placeholder: true);

        var gate = cut.Find("[data-testid=consent-gate]");
        Assert.Contains("the community video", gate.TextContent);
        Assert.Contains("Social media + embedded videos", gate.TextContent);
        Assert.DoesNotContain("/embed/video", cut.Markup);
        Assert.Empty(cut.FindAll("iframe"));
    }

    [Fact]
    public async Task The_allow_button_posts_that_one_category_from_a_placeholder_back_to_the_page()
    {
        var cut = await RenderGateAsync(NoDecision, "social-media", placeholder: true, url: "/privacy?cc=saved");

        var form = cut.Find("[data-testid=consent-gate] form");
        Assert.Equal(("post", "/consent"), (form.GetAttribute("method"), form.GetAttribute("action")));
        var fields = form.QuerySelectorAll("input[type=hidden]").ToDictionary(i => i.GetAttribute("name")!, i => i.GetAttribute("value"));
        Assert.Equal(new Dictionary<string, string?>
        {
            ["method"] = "custom",
            ["granted"] = "social-media",
            ["source"] = "placeholder",
            ["policyVersion"] = "1",
            ["returnUrl"] = "/privacy",
        }, fields);
        Assert.Equal("Allow Social media + embedded videos", form.QuerySelector("button[type=submit]")!.TextContent.Trim());
    }

    [Fact]
    public async Task An_honoured_privacy_signal_keeps_the_content_out()
    {
        var cut = await RenderGateAsync(new CurrentConsent(1, false, ["functional"], HonouredSignal: PrivacySignal.GlobalPrivacyControl), "analytics", placeholder: true);

        Assert.NotNull(cut.Find("[data-testid=consent-gate]"));
        Assert.Empty(cut.FindAll("iframe"));
    }

    [Fact]
    public async Task A_required_category_always_renders_the_content_even_before_a_decision()
    {
        var cut = await RenderGateAsync(NoDecision, "functional", placeholder: true);

        Assert.NotNull(cut.Find("iframe"));
    }

    [Fact]
    public async Task An_unknown_category_shows_neither_the_content_nor_a_placeholder()
    {
        var cut = await RenderGateAsync(new CurrentConsent(1, true, ["functional", "analytics", "social-media"]), "marketing", placeholder: true);

        Assert.Equal("", cut.Markup.Trim());
    }

    [Fact]
    public async Task In_advanced_mode_a_google_tag_is_rendered_without_consent()
    {
        await SetModeAsync(GoogleConsentMode.Advanced);

        var cut = await RenderGateAsync(NoDecision, "analytics", googleTag: true);

        Assert.NotNull(cut.Find("iframe"));
    }

    [Fact]
    public async Task In_advanced_mode_a_google_tag_still_stays_out_under_an_honoured_privacy_signal()
    {
        await SetModeAsync(GoogleConsentMode.Advanced);

        var cut = await RenderGateAsync(new CurrentConsent(1, false, ["functional"], HonouredSignal: PrivacySignal.GlobalPrivacyControl),
            "analytics", googleTag: true);

        Assert.Empty(cut.FindAll("iframe"));
    }

    [Theory]
    [InlineData(GoogleConsentMode.Basic)]
    [InlineData(GoogleConsentMode.Off)]
    public async Task In_basic_or_off_mode_a_google_tag_waits_for_consent(GoogleConsentMode mode)
    {
        await SetModeAsync(mode);

        var cut = await RenderGateAsync(NoDecision, "analytics", googleTag: true);

        Assert.Equal("", cut.Markup.Trim());
    }

    [Fact]
    public async Task In_advanced_mode_content_that_is_not_a_google_tag_still_waits_for_consent()
    {
        await SetModeAsync(GoogleConsentMode.Advanced);

        var cut = await RenderGateAsync(NoDecision, "social-media", placeholder: true);

        Assert.NotNull(cut.Find("[data-testid=consent-gate]"));
        Assert.Empty(cut.FindAll("iframe"));
    }
}

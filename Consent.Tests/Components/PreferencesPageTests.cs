using Bunit;
using Consent.App.Components.Visitor;
using Consent.Core.Catalogue;
using Consent.Core.Consents;
using Consent.Tests.Support;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace Consent.Tests.Components;

public class PreferencesPageTests : VisitorComponentTest
{
    private IRenderedComponent<PreferencesPage> RenderPage(CurrentConsent consent)
    {
        bunit.Services.AddCascadingValue(_ => consent);
        bunit.SetRendererInfo(new RendererInfo("Static", isInteractive: false));
        return bunit.Render<PreferencesPage>();
    }

    private static AngleSharp.Dom.IElement Switch(IRenderedComponent<PreferencesPage> cut, string key) =>
        cut.Find($"[data-testid=preference-{key}] input[type=checkbox][role=switch]");

    private static string LabelOf(IRenderedComponent<PreferencesPage> cut, AngleSharp.Dom.IElement input) =>
        cut.Find($"label[for={input.Id}]").TextContent.Trim();

    [Fact]
    public void Without_a_decision_every_optional_switch_is_off_and_functional_is_on_and_locked()
    {
        var cut = RenderPage(new CurrentConsent(1, false, []));

        Assert.True(Switch(cut, "functional").HasAttribute("checked"));
        Assert.True(Switch(cut, "functional").HasAttribute("disabled"));
        Assert.False(Switch(cut, "analytics").HasAttribute("checked"));
        Assert.False(Switch(cut, "social-media").HasAttribute("checked"));
        Assert.Contains("You have not made a choice yet", cut.Find("[data-testid=current-decision]").TextContent);
    }

    [Fact]
    public void The_switches_show_the_decision_in_force_with_its_receipt()
    {
        var consentId = Guid.CreateVersion7();
        var cut = RenderPage(new CurrentConsent(1, true, ["functional", "social-media"], consentId,
            new DateTime(2026, 11, 29, 10, 0, 0, DateTimeKind.Utc), new DateTime(2027, 5, 29, 10, 0, 0, DateTimeKind.Utc)));

        Assert.False(Switch(cut, "analytics").HasAttribute("checked"));
        Assert.True(Switch(cut, "social-media").HasAttribute("checked"));
        var decision = cut.Find("[data-testid=current-decision]").TextContent;
        Assert.Contains(consentId.ToString("D"), decision);
        Assert.Contains("29 May 2027", decision);
    }

    [Fact]
    public void An_honoured_privacy_signal_is_named_in_a_notice_with_every_optional_switch_off()
    {
        var cut = RenderPage(new CurrentConsent(1, false, ["functional"], HonouredSignal: PrivacySignal.GlobalPrivacyControl));

        Assert.Contains("Your browser sent the Global Privacy Control signal, and we honour it",
            string.Join(" ", cut.Find("[data-testid=privacy-signal]").TextContent.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)));
        Assert.Empty(cut.FindAll("[data-testid=current-decision]"));
        Assert.False(Switch(cut, "analytics").HasAttribute("checked"));
        Assert.False(Switch(cut, "social-media").HasAttribute("checked"));
        Assert.Equal("reject-all", cut.FindAll("button").Single(b => b.TextContent.Trim() == "Reject all").GetAttribute("value"));
    }

    [Fact]
    public void Each_switch_posts_its_category_to_the_consent_endpoint()
    {
        var cut = RenderPage(new CurrentConsent(1, false, []));

        var form = cut.Find("form");
        Assert.Equal(("post", "/consent"), (form.GetAttribute("method"), form.GetAttribute("action")));
        Assert.Equal(["analytics", "social-media"], cut.FindAll("input[name=granted]").Select(i => i.GetAttribute("value")));
        Assert.Equal("preference-center", cut.Find("input[name=source]").GetAttribute("value"));
    }

    [Fact]
    public void Each_switch_is_a_checkbox_labelled_with_its_category_and_described_by_its_text()
    {
        var cut = RenderPage(new CurrentConsent(1, false, []));

        Assert.Equal(["Functional (always on)", "Analytics", "Social media + embedded videos"],
            cut.FindAll("input[role=switch]").Select(i => LabelOf(cut, i)));
        var analytics = Switch(cut, "analytics");
        Assert.Contains("analyze how users use the site", cut.Find($"#{analytics.GetAttribute("aria-describedby")}").TextContent);
    }

    [Fact]
    public void The_required_category_is_shown_on_and_locked_and_posts_nothing()
    {
        var cut = RenderPage(new CurrentConsent(1, true, ["functional", "analytics", "social-media"], Guid.CreateVersion7(), DateTime.UtcNow, DateTime.UtcNow.AddMonths(6)));

        var functional = Switch(cut, "functional");
        Assert.True(functional.HasAttribute("checked"));
        Assert.True(functional.HasAttribute("disabled"));
        Assert.Null(functional.GetAttribute("name"));
        Assert.DoesNotContain("functional", cut.FindAll("input[name=granted]").Select(i => i.GetAttribute("value")));
    }

    [Fact]
    public void The_page_loads_no_script_and_renders_no_MudBlazor_component()
    {
        var cut = RenderPage(new CurrentConsent(1, false, []));

        Assert.Empty(cut.FindAll("script"));
        Assert.Empty(cut.FindAll("[class*=mud-]"));
        Assert.Equal(["custom", "accept-all", "reject-all"], cut.FindAll("button[type=submit]").Select(b => b.GetAttribute("value")));
    }

    [Fact]
    public void A_visitor_with_a_decision_can_withdraw_it()
    {
        var cut = RenderPage(new CurrentConsent(1, true, ["functional", "analytics"], Guid.CreateVersion7(), DateTime.UtcNow, DateTime.UtcNow.AddMonths(6)));

        var withdraw = cut.Find("button[value=withdrawal]");
        Assert.Equal("Withdraw consent (reject all)", withdraw.TextContent.Trim());
        Assert.Equal(["custom", "accept-all", "withdrawal"], cut.FindAll("button[name=method]").Select(b => b.GetAttribute("value")));
        // The refusal posts its own form, without the switches: a switch left on must not travel with a withdrawal.
        var refusal = cut.Find($"form#{withdraw.GetAttribute("form")}");
        Assert.Empty(refusal.QuerySelectorAll("input[name=granted]"));
        Assert.Equal("preference-center", refusal.QuerySelector("input[name=source]")!.GetAttribute("value"));
    }
}

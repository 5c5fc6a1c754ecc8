using Bunit;
using Consent.App.Components.Visitor;
using Consent.Core.Catalogue;
using Consent.Core.Consents;
using Consent.Core.Statistics;
using Consent.Tests.Support;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Consent.Tests.Components;

public class ConsentBannerTests : VisitorComponentTest
{
    private static readonly CurrentConsent NoDecision = new(1, false, []);

    private IRenderedComponent<ConsentBanner> RenderBanner(CurrentConsent consent, string url = "/")
    {
        bunit.Services.AddCascadingValue(_ => consent);
        bunit.Services.GetRequiredService<NavigationManager>().NavigateTo(url);
        return bunit.Render<ConsentBanner>();
    }

    [Fact]
    public void The_banner_offers_accept_all_reject_all_and_customize_as_buttons_of_one_style()
    {
        var cut = RenderBanner(NoDecision);

        var buttons = cut.FindAll("button");
        Assert.Equal(["Accept all", "Reject all", "Customize"], buttons.Select(b => b.TextContent.Trim()));
        Assert.All(buttons, b => Assert.Equal(("submit", "cc-button"), (b.GetAttribute("type"), b.GetAttribute("class"))));
        Assert.Equal([("method", "accept-all"), ("method", "reject-all"), ("layer", "customize")], buttons.Select(b => (b.GetAttribute("name"), b.GetAttribute("value"))));
        // "Reject all" posts a form of its own, which holds no category box.
        Assert.Empty(cut.Find($"form#{buttons[1].GetAttribute("form")}").QuerySelectorAll("input[name=granted]"));
    }

    [Fact]
    public void The_banner_is_a_landmark_named_for_cookies_that_names_the_purposes_and_links_the_policy()
    {
        var cut = RenderBanner(NoDecision);

        var section = cut.Find("section");
        Assert.Equal("We use cookies", cut.Find("#" + section.GetAttribute("aria-labelledby")).TextContent);
        // Words and names keep their spaces around the localized pieces the sentence is made of.
        Assert.Contains("cookies for: Analytics and Social media + embedded videos.", section.TextContent);
        Assert.Contains("Functional, always on", section.TextContent);
        Assert.Equal("/cookies", cut.Find("section a").GetAttribute("href"));
    }

    [Fact]
    public void The_first_layer_has_no_checkbox_at_all()
    {
        var cut = RenderBanner(NoDecision);

        Assert.Empty(cut.FindAll("input[type=checkbox]"));
        Assert.Empty(cut.FindAll("#cc-customize"));
    }

    [Fact]
    public void Customize_shows_every_category_with_nothing_pre_ticked_and_functional_locked_on()
    {
        var cut = RenderBanner(NoDecision, "/cookies?cc=customize");

        var boxes = cut.FindAll("#cc-customize input[type=checkbox]");
        Assert.Equal(3, boxes.Count);
        Assert.True(boxes[0].HasAttribute("checked"));
        Assert.True(boxes[0].HasAttribute("disabled"));
        Assert.Null(boxes[0].GetAttribute("name"));
        Assert.All(boxes.Skip(1), b => Assert.False(b.HasAttribute("checked") || b.HasAttribute("disabled")));
        Assert.Equal(["analytics", "social-media"], boxes.Skip(1).Select(b => b.GetAttribute("value")));
        Assert.Equal(["Functional (always on)", "Analytics", "Social media + embedded videos"],
            cut.FindAll("#cc-customize label").Select(l => l.TextContent.Trim()));
        Assert.Equal("custom", cut.Find("#cc-customize button").GetAttribute("value"));
    }

    [Fact]
    public void Customize_lists_each_categorys_description_and_cookies()
    {
        var cut = RenderBanner(NoDecision, "/?cc=customize");

        var analytics = cut.FindAll(".cc-category")[1];
        Assert.Contains("audience measurement", analytics.TextContent);
        Assert.Contains("_gid (Google Analytics)", analytics.QuerySelector("table")!.TextContent);
    }

    [Fact]
    public void The_form_carries_the_policy_version_shown_and_the_page_to_return_to()
    {
        var cut = RenderBanner(NoDecision with { PolicyVersion = 4 }, "/privacy?section=2&cc=customize");

        Assert.Equal("4", cut.Find("input[name=policyVersion]").GetAttribute("value"));
        Assert.Equal("/privacy?section=2", cut.Find("input[name=returnUrl]").GetAttribute("value"));
        Assert.Equal("banner", cut.Find("input[name=source]").GetAttribute("value"));
    }

    [Theory]
    [InlineData(PrivacySignal.GlobalPrivacyControl)]
    [InlineData(PrivacySignal.DoNotTrack)]
    public void A_visitor_whose_privacy_signal_was_honoured_sees_no_banner(PrivacySignal signal)
    {
        var cut = RenderBanner(new CurrentConsent(1, false, ["functional"], HonouredSignal: signal));

        Assert.Empty(cut.FindAll("section"));
        Assert.Empty(cut.FindAll("button"));
    }

    [Fact]
    public void A_visitor_with_a_valid_decision_sees_no_banner()
    {
        var cut = RenderBanner(new CurrentConsent(1, true, ["functional"]));

        Assert.Empty(cut.FindAll("section"));
        Assert.Empty(cut.FindAll("button"));
    }

    [Fact]
    public void After_a_choice_the_page_confirms_it_where_the_banner_was()
    {
        var cut = RenderBanner(new CurrentConsent(1, true, ["functional"]), "/?cc=saved");

        Assert.Contains("Your cookie choices are saved", cut.Find("[role=status]").TextContent);
    }

    [Fact]
    public void A_decision_on_an_older_policy_shows_the_banner_saying_the_policy_changed()
    {
        var cut = RenderBanner(new CurrentConsent(2, false, [], AnsweredOlderPolicy: true));

        Assert.Contains("Our cookie policy has changed since your last choice", cut.Find("section").TextContent);
    }

    [Fact]
    public void A_returning_visitor_reads_what_changed_before_the_buttons()
    {
        var changes = new List<Consent.Core.Policies.PolicyChange>
        {
            new(3, new DateTime(2026, 12, 10, 0, 0, 0, DateTimeKind.Utc), "Analytics now uses a second cookie for sessions.", ["Analytics"]),
            new(2, new DateTime(2026, 12, 1, 0, 0, 0, DateTimeKind.Utc), "We added a video supplier.", ["Analytics", "Social media + embedded videos"]),
        };

        var cut = RenderBanner(new CurrentConsent(3, false, [], AnsweredOlderPolicy: true, Changes: changes));

        var changed = cut.Find("[data-testid=policy-changes]");
        Assert.Equal("What changed", cut.Find("#" + changed.QuerySelector("ul")!.GetAttribute("aria-labelledby")).TextContent);
        var items = changed.QuerySelectorAll("li").Select(li => string.Join(" ", li.TextContent.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))).ToList();
        Assert.Equal(
        [
            "Analytics now uses a second cookie for sessions. (Category concerned: Analytics.)",
            "We added a video supplier. (Categories concerned: Analytics and Social media + embedded videos.)",
        ], items);
        var order = cut.FindAll("[data-testid=policy-changes], .cc-actions").Select(e => e.ClassName ?? "changes").ToList();
        Assert.Equal(["cc-what-changed", "cc-actions"], order);
    }

    [Fact]
    public void A_first_time_visitor_sees_no_change_text()
    {
        var cut = RenderBanner(NoDecision);

        Assert.Empty(cut.FindAll("[data-testid=policy-changes]"));
        Assert.DoesNotContain("changed", cut.Find("section").TextContent);
    }
}

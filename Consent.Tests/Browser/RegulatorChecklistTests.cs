using System.Text.Json;
using System.Text.RegularExpressions;
using Consent.Core.Catalogue;
using Consent.Core.Consents;
using Consent.Core.Persistence;
using Consent.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Consent.Tests.Browser;

/// <summary>
/// The checks regulators make of a cookie banner (EDPB Cookie Banner Taskforce 2023, CNIL 2020,
/// GDPR Art. 7), made in a real browser as a regulator would make them.
/// </summary>
public class RegulatorChecklistTests(BrowserSession session) : BrowserTest(session)
{
    private async Task<int> RecordCountAsync()
    {
        await using var db = await Session.App.Services.GetRequiredService<IDbContextFactory<ConsentDbContext>>().CreateDbContextAsync();
        return await db.ConsentRecords.CountAsync();
    }

    private static Task<string[]> StorageKeysAsync(IPage page) =>
        page.EvaluateAsync<string[]>("() => [...Object.keys(localStorage).map(k => 'local:' + k), ...Object.keys(sessionStorage).map(k => 'session:' + k)]");

    [Fact]
    public async Task Before_any_choice_browsing_several_pages_stores_nothing_and_calls_no_third_party()
    {
        Session.RequireBrowser();
        var recordsBefore = await RecordCountAsync();
        var page = await Session.NewVisitorAsync();
        var hosts = new System.Collections.Concurrent.ConcurrentDictionary<string, bool>();
        page.Context.Request += (_, request) => hosts[new Uri(request.Url).Authority] = true;
        page.WebSocket += (_, socket) => hosts[new Uri(socket.Url).Authority] = true;
        var storage = new List<string>();

        await page.GotoAsync("/");
        storage.AddRange(await StorageKeysAsync(page));
        await page.SiteLink("Cookie policy").ClickAsync();
        storage.AddRange(await StorageKeysAsync(page));
        await page.FooterLink("Privacy policy").ClickAsync();
        await page.Mouse.WheelAsync(0, 5000);
        storage.AddRange(await StorageKeysAsync(page));
        await page.FooterLink("Cookie settings").ClickAsync();
        storage.AddRange(await StorageKeysAsync(page));
        await page.SiteLink("Home").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Welcome to the Community");
        storage.AddRange(await StorageKeysAsync(page));

        Assert.Empty(await page.Context.CookiesAsync());
        Assert.Empty(storage);
        Assert.Equal([new Uri(Session.BaseUrl).Authority], hosts.Keys);
        Assert.Equal(recordsBefore, await RecordCountAsync());
    }

    public static TheoryData<string, int, int> PagesAndViewports => new()
    {
        { "/", 1280, 800 }, { "/", 390, 844 }, { "/preferences", 1280, 800 }, { "/preferences", 390, 844 },
    };

    [Theory]
    [MemberData(nameof(PagesAndViewports))]
    public async Task Reject_all_is_a_button_beside_accept_all_with_the_same_look_and_readable_text(string path, int width, int height)
    {
        Session.RequireBrowser();
        var page = await Session.NewVisitorAsync();
        await page.SetViewportSizeAsync(width, height);
        await page.GotoAsync(path);

        var looks = new Dictionary<string, JsonElement>();
        foreach (var name in new[] { "Accept all", "Reject all", "Customize" })
        {
            var button = page.Banner().GetByRole(AriaRole.Button, new() { Name = name, Exact = true });
            await Expect(button).ToBeInViewportAsync();
            looks[name] = await button.EvaluateAsync<JsonElement>(LookScript);
        }

        var accept = looks["Accept all"];
        foreach (var other in new[] { looks["Reject all"], looks["Customize"] })
        {
            Assert.Equal(accept.GetProperty("fontSize").GetString(), other.GetProperty("fontSize").GetString());
            Assert.Equal(accept.GetProperty("fontWeight").GetString(), other.GetProperty("fontWeight").GetString());
            Assert.InRange(other.GetProperty("width").GetDouble(), accept.GetProperty("width").GetDouble() * 0.9, accept.GetProperty("width").GetDouble() * 1.1);
            Assert.InRange(other.GetProperty("height").GetDouble(), accept.GetProperty("height").GetDouble() * 0.9, accept.GetProperty("height").GetDouble() * 1.1);
        }
        Assert.All(looks.Values, look => Assert.True(look.GetProperty("contrast").GetDouble() >= 4.5, $"contrast {look.GetProperty("contrast")}"));
    }

    [Fact]
    public async Task In_the_preference_center_reject_all_looks_like_accept_all()
    {
        Session.RequireBrowser();
        var page = await Session.NewVisitorAsync();
        await page.GotoAsync("/preferences");
        var actions = page.GetByTestId("preferences-form");

        var accept = await actions.GetByRole(AriaRole.Button, new() { Name = "Accept all" }).EvaluateAsync<JsonElement>(LookScript);
        var reject = await actions.GetByRole(AriaRole.Button, new() { Name = "Reject all" }).EvaluateAsync<JsonElement>(LookScript);

        Assert.Equal(accept.GetProperty("fontSize").GetString(), reject.GetProperty("fontSize").GetString());
        Assert.Equal(accept.GetProperty("fontWeight").GetString(), reject.GetProperty("fontWeight").GetString());
        Assert.InRange(reject.GetProperty("width").GetDouble(), accept.GetProperty("width").GetDouble() * 0.9, accept.GetProperty("width").GetDouble() * 1.1);
        Assert.InRange(reject.GetProperty("height").GetDouble(), accept.GetProperty("height").GetDouble() * 0.9, accept.GetProperty("height").GetDouble() * 1.1);
        Assert.True(reject.GetProperty("contrast").GetDouble() >= 4.5);
    }

    /// <summary>Font, box and WCAG contrast ratio of an element's text against its (opaque) background.</summary>
    private const string LookScript = """
        el => {
            const rgb = s => s.match(/[\d.]+/g).slice(0, 3).map(Number);
            const lum = c => { const [r, g, b] = c.map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); }); return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
            let bgEl = el, bg = getComputedStyle(el).backgroundColor;
            while (bgEl && (bg === 'rgba(0, 0, 0, 0)' || bg === 'transparent')) { bgEl = bgEl.parentElement; bg = bgEl ? getComputedStyle(bgEl).backgroundColor : 'rgb(255, 255, 255)'; }
            const [l1, l2] = [lum(rgb(getComputedStyle(el).color)), lum(rgb(bg))].sort((a, b) => b - a);
            const box = el.getBoundingClientRect(), style = getComputedStyle(el);
            return { fontSize: style.fontSize, fontWeight: style.fontWeight, width: box.width, height: box.height, contrast: (l1 + 0.05) / (l2 + 0.05) };
        }
        """;

    [Theory]
    [InlineData("Accept all", ConsentMethod.AcceptAll, "analytics functional social-media")]
    [InlineData("Reject all", ConsentMethod.RejectAll, "functional")]
    public async Task Refusing_takes_one_action_exactly_like_accepting(string button, ConsentMethod method, string granted)
    {
        Session.RequireBrowser();
        var page = await Session.NewVisitorAsync();
        await page.GotoAsync("/");

        await page.Banner().GetByRole(AriaRole.Button, new() { Name = button }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("saved");
        await Expect(page.Locator("#cc-banner")).ToHaveCountAsync(0);
        var record = Assert.Single(await Session.RecordsOfAsync(page));
        Assert.Equal(method, record.Method);
        Assert.Equal(granted, string.Join(' ', record.Decisions.Where(d => d.Granted).Select(d => d.CategoryKey).Order()));
    }

    [Fact]
    public async Task No_toggle_is_pre_ticked_in_the_banner_or_the_preference_center()
    {
        Session.RequireBrowser();
        var page = await Session.NewVisitorAsync();

        await page.GotoAsync("/");
        await page.Banner().GetByRole(AriaRole.Button, new() { Name = "Customize" }).ClickAsync();
        var bannerBoxes = await page.Banner().GetByRole(AriaRole.Checkbox).EvaluateAllAsync<string[]>(
            "boxes => boxes.map(b => `${b.labels[0].textContent.trim()}|${b.checked}|${b.disabled}`)");
        await page.GotoAsync("/preferences");
        var switches = await page.GetByTestId("preferences-form").GetByRole(AriaRole.Switch).EvaluateAllAsync<bool[]>("inputs => inputs.map(i => i.checked)");

        Assert.Equal(["Functional (always on)|true|true", "Analytics|false|false", "Social media + embedded videos|false|false"], bannerBoxes);
        Assert.Equal([true, false, false], switches);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/preferences")]
    public async Task Scrolling_navigating_pressing_escape_or_leaving_grants_nothing(string path)
    {
        Session.RequireBrowser();
        var before = await RecordCountAsync();
        var page = await Session.NewVisitorAsync();
        await page.GotoAsync(path);

        await page.Mouse.WheelAsync(0, 3000);
        await page.Keyboard.PressAsync("Escape");
        await page.SiteLink("Privacy policy").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Privacy Policy");
        await page.GotoAsync(path);
        await page.Keyboard.PressAsync("Escape");
        await page.CloseAsync(new() { RunBeforeUnload = true });

        Assert.Empty(await page.Context.CookiesAsync());
        Assert.Equal(before, await RecordCountAsync());
        var again = await page.Context.NewPageAsync();
        await again.GotoAsync(Session.BaseUrl + path);
        await Expect(again.Banner()).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Every_cookie_present_after_accept_all_is_declared_with_supplier_duration_and_function()
    {
        Session.RequireBrowser();
        var page = await Session.NewVisitorAsync();
        await page.GotoAsync("/");
        await page.Banner().GetByRole(AriaRole.Button, new() { Name = "Accept all" }).ClickAsync();
        await page.WaitForChoiceSavedAsync();
        await page.GotoAsync("/preferences");

        var cookies = (await page.Context.CookiesAsync()).Select(c => c.Name).ToList();
        await page.GotoAsync("/cookies");

        Assert.NotEmpty(cookies);
        foreach (var name in cookies)
        {
            var row = page.Locator("table.cookie-table tbody tr").Filter(new() { Has = page.Locator("td code", new() { HasTextRegex = new Regex($"^{Regex.Escape(name)}$") }) });
            await Expect(row).ToHaveCountAsync(1);
            var cells = await row.Locator("td").AllInnerTextsAsync();
            Assert.All(cells, cell => Assert.False(string.IsNullOrWhiteSpace(cell), $"{name} has an empty column in the cookie policy"));
        }
    }

    [Fact]
    public async Task The_first_layer_names_the_purposes_and_links_to_the_full_cookie_list()
    {
        Session.RequireBrowser();
        var page = await Session.NewVisitorAsync();
        await page.GotoAsync("/");
        var optional = (await Session.App.Services.GetRequiredService<CatalogueService>().GetCategoriesAsync()).Where(c => !c.IsRequired).ToList();

        foreach (var category in optional) await Expect(page.Banner()).ToContainTextAsync(category.Name);
        await page.Banner().GetByRole(AriaRole.Link, new() { Name = "Read the cookie policy and the full list of cookies" }).ClickAsync();

        await Expect(page.Locator("table.cookie-table")).ToHaveCountAsync(3);
    }
}

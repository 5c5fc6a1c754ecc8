using System.Text.Json;
using Consent.Core.Audit;
using Consent.Core.Catalogue;
using Consent.Core.Consents;
using Consent.Tests.Support;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace Consent.Tests.Core;

public abstract class CatalogueEditingTests(TestEngine engine) : DatabaseTest(engine)
{
    public sealed class OnSqlite() : CatalogueEditingTests(TestEngine.Sqlite);

    [Trait("Engine", "Postgres")]
    public sealed class OnPostgres() : CatalogueEditingTests(TestEngine.Postgres);

    private const string Actor = "privacy@example.org";

    private CatalogueService Catalogue => db.Get<CatalogueService>();

    /// <summary>Everything a refused change must leave as it was: the three lists and the audit trail.</summary>
    private async Task<string> StateAsync()
    {
        await using var context = db.NewContext();
        var audit = await context.AuditEntries.AsNoTracking().OrderBy(a => a.Id).Select(a => new { a.Action, a.EntityKey }).ToListAsync();
        return JsonSerializer.Serialize(new
        {
            Cookies = await Catalogue.ListCookiesAsync(),
            Categories = await Catalogue.ListCategoriesAsync(),
            Suppliers = await Catalogue.ListSuppliersAsync(),
            audit,
        });
    }

    private async Task<List<AuditEntry>> AuditAsync()
    {
        await using var context = db.NewContext();
        return await context.AuditEntries.AsNoTracking().OrderBy(a => a.Id).ToListAsync();
    }

    private async Task<CategoryRow> CategoryAsync(string key) => (await Catalogue.ListCategoriesAsync()).Single(c => c.Key == key);

    private async Task<CookieRow> CookieAsync(string name) => (await Catalogue.ListCookiesAsync()).Single(c => c.Name == name);

    private async Task<SupplierRow> SupplierAsync(string name) => (await Catalogue.ListSuppliersAsync()).Single(s => s.Name == name);

    private static JsonElement Json(string? text) => JsonDocument.Parse(text!).RootElement;

    private Task<int> AddMarketingAsync() => Catalogue.AddCategoryAsync(
        new CategoryInput { Key = "marketing", Name = "Marketing", Description = "Adverts on other sites.", Order = 3 }, Actor);

    [Fact]
    public async Task The_grids_list_cookies_categories_and_suppliers_with_their_counts()
    {
        var cookies = await Catalogue.ListCookiesAsync();
        var categories = await Catalogue.ListCategoriesAsync();
        var suppliers = await Catalogue.ListSuppliersAsync();

        Assert.Equal(9, cookies.Count);
        Assert.Equal(("analytics", "Analytics", false), (cookies.Single(c => c.Name == "_gid (Google Analytics)").CategoryKey,
            cookies.Single(c => c.Name == "_gid (Google Analytics)").CategoryName, cookies.Single(c => c.Name == "_gid (Google Analytics)").IsCenterOwn));
        Assert.True(cookies.Single(c => c.Name == ConsentCookie.Name).IsCenterOwn);
        Assert.Equal([("functional", 7), ("analytics", 1), ("social-media", 1)], categories.Select(c => (c.Key, c.CookieCount)));
        Assert.Equal([("Gainsight", 4, false), (CenterCookies.Supplier, 5, true)], suppliers.Select(s => (s.Name, s.CookieCount, s.IsCenter)));
    }

    [Fact]
    public async Task Adding_a_cookie_writes_an_audit_entry_for_it_and_its_new_supplier_with_the_actor_and_time()
    {
        var id = await Catalogue.AddCookieAsync(new CookieInput
        {
            SupplierName = " Vimeo ",
            Name = "vuid",
            CategoryKey = "social-media",
            Duration = "2 years",
            Function = "Remembers which videos the visitor watched.",
        }, Actor);

        var audit = await AuditAsync();
        Assert.Equal(["supplier.create", "cookie.create"], audit.Select(a => a.Action));
        var cookie = audit[1];
        Assert.Equal((Actor, "Cookie", id.ToString(), TestDatabase.Start.UtcDateTime), (cookie.Actor, cookie.EntityType, cookie.EntityKey, cookie.At));
        Assert.Null(cookie.Before);
        Assert.Equal("Vimeo", Json(cookie.After).GetProperty("Supplier").GetString());
        Assert.Equal("social-media", Json(cookie.After).GetProperty("Category").GetString());
        Assert.Equal("Vimeo", Json(audit[0].After).GetProperty("Name").GetString());
        Assert.Equal((await SupplierAsync("Vimeo")).Id.ToString(), audit[0].EntityKey);
    }

    [Fact]
    public async Task Editing_a_cookie_writes_its_state_before_and_after_with_the_actor()
    {
        var gid = await CookieAsync("_gid (Google Analytics)");
        var input = CookieInput.From(gid);
        input.Function = "Counts visits without identifying the visitor.";
        db.Time.Advance(TimeSpan.FromHours(2));

        await Catalogue.UpdateCookieAsync(gid.Id, input, Actor);

        var entry = Assert.Single(await AuditAsync());
        Assert.Equal(("cookie.update", "Cookie", gid.Id.ToString(), Actor), (entry.Action, entry.EntityType, entry.EntityKey, entry.Actor));
        Assert.Equal(TestDatabase.Start.UtcDateTime.AddHours(2), entry.At);
        Assert.Equal(gid.Function, Json(entry.Before).GetProperty("Function").GetString());
        Assert.Equal("Counts visits without identifying the visitor.", Json(entry.After).GetProperty("Function").GetString());
        Assert.Equal("Counts visits without identifying the visitor.", (await CookieAsync(gid.Name)).Function);
    }

    [Fact]
    public async Task A_cookie_edit_refused_by_validation_changes_nothing_and_writes_no_audit_entry()
    {
        var gid = await CookieAsync("_gid (Google Analytics)");
        var input = CookieInput.From(gid);
        input.Function = " ";
        input.Duration = "forever";
        var before = await StateAsync();

        var error = await Assert.ThrowsAsync<ValidationException>(() => Catalogue.UpdateCookieAsync(gid.Id, input, Actor));

        Assert.Contains(error.Errors, e => e.PropertyName == nameof(CookieInput.Function));
        Assert.Contains(error.Errors, e => e.PropertyName == nameof(CookieInput.Duration));
        Assert.Equal(before, await StateAsync());
    }

    [Fact]
    public async Task Deleting_a_cookie_removes_it_from_the_policy_and_keeps_its_last_state_in_the_audit_trail()
    {
        var insights = await CookieAsync("insights-store");

        await Catalogue.DeleteCookieAsync(insights.Id, Actor);

        Assert.DoesNotContain((await Catalogue.GetCategoriesAsync()).SelectMany(c => c.Cookies), c => c.Id == insights.Id);
        var entry = Assert.Single(await AuditAsync());
        Assert.Equal(("cookie.delete", insights.Id.ToString(), Actor), (entry.Action, entry.EntityKey, entry.Actor));
        Assert.Equal("insights-store", Json(entry.Before).GetProperty("Name").GetString());
        Assert.Null(entry.After);
    }

    [Theory]
    [InlineData(ConsentCookie.Name)]
    [InlineData(CenterCookies.Antiforgery)]
    public async Task The_centers_own_cookies_cannot_be_deleted(string name)
    {
        var own = await CookieAsync(name);
        var before = await StateAsync();

        var error = await Assert.ThrowsAsync<CatalogueRuleException>(() => Catalogue.DeleteCookieAsync(own.Id, Actor));

        Assert.Equal($"“{name}” is one of the center's own cookies; the center declares it itself, so it cannot be deleted.", error.Message);
        Assert.Equal(before, await StateAsync());
    }

    [Fact]
    public async Task Adding_a_category_is_audited_with_its_key()
    {
        var id = await AddMarketingAsync();

        var entry = Assert.Single(await AuditAsync());
        Assert.Equal(("category.create", "Category", id.ToString()), (entry.Action, entry.EntityType, entry.EntityKey));
        Assert.Equal("marketing", Json(entry.After).GetProperty("Key").GetString());
    }

    [Fact]
    public async Task Editing_a_category_changes_its_name_description_and_order_and_audits_them()
    {
        var analytics = await CategoryAsync("analytics");
        var input = CategoryInput.From(analytics);
        input.Name = "Audience measurement";
        input.Description = "Counts visits to improve the site.";
        input.Order = 5;

        await Catalogue.UpdateCategoryAsync(analytics.Id, input, Actor);

        var edited = await CategoryAsync("analytics");
        Assert.Equal(("Audience measurement", "Counts visits to improve the site.", 5), (edited.Name, edited.Description, edited.Order));
        var entry = Assert.Single(await AuditAsync());
        Assert.Equal(("category.update", Actor), (entry.Action, entry.Actor));
        Assert.Equal("Analytics", Json(entry.Before).GetProperty("Name").GetString());
        Assert.Equal("Audience measurement", Json(entry.After).GetProperty("Name").GetString());
    }

    [Fact]
    public async Task A_category_key_cannot_change_once_the_category_exists()
    {
        var analytics = await CategoryAsync("analytics");
        var input = CategoryInput.From(analytics);
        input.Key = "audience";
        var before = await StateAsync();

        var error = await Assert.ThrowsAsync<ValidationException>(() => Catalogue.UpdateCategoryAsync(analytics.Id, input, Actor));

        Assert.Contains(error.Errors, e => e.PropertyName == nameof(CategoryInput.Key) && e.ErrorMessage.StartsWith("The key cannot change once the category exists"));
        Assert.Equal(before, await StateAsync());
    }

    [Fact]
    public async Task The_category_holding_the_centers_own_cookies_must_stay_required()
    {
        var functional = await CategoryAsync("functional");
        var input = CategoryInput.From(functional);
        input.IsRequired = false;
        var before = await StateAsync();

        var error = await Assert.ThrowsAsync<ValidationException>(() => Catalogue.UpdateCategoryAsync(functional.Id, input, Actor));

        Assert.Contains(error.Errors, e => e.PropertyName == nameof(CategoryInput.IsRequired) && e.ErrorMessage.Contains("center's own cookies"));
        Assert.Equal(before, await StateAsync());
    }

    [Fact]
    public async Task An_optional_category_cannot_become_always_on_once_it_exists()
    {
        var analytics = await CategoryAsync("analytics");
        var input = CategoryInput.From(analytics);
        input.IsRequired = true;
        var before = await StateAsync();

        var error = await Assert.ThrowsAsync<ValidationException>(() => Catalogue.UpdateCategoryAsync(analytics.Id, input, Actor));

        Assert.Contains(error.Errors, e => e.PropertyName == nameof(CategoryInput.IsRequired) && e.ErrorMessage.StartsWith("Whether a category is always on cannot change"));
        Assert.Equal(before, await StateAsync());
    }

    [Fact]
    public async Task A_required_category_cannot_be_deleted()
    {
        var functional = await CategoryAsync("functional");
        var before = await StateAsync();

        var error = await Assert.ThrowsAsync<CatalogueRuleException>(() => Catalogue.DeleteCategoryAsync(functional.Id, "analytics", Actor));

        Assert.Equal("“Functional” is always on (required), so it cannot be deleted.", error.Message);
        Assert.Equal(before, await StateAsync());
    }

    [Fact]
    public async Task A_category_with_cookies_cannot_be_deleted_without_moving_them()
    {
        var analytics = await CategoryAsync("analytics");
        await Catalogue.AddCookieAsync(new CookieInput
        {
            SupplierName = "Matomo",
            Name = "_pk_id",
            CategoryKey = "analytics",
            Duration = "13 months",
            Function = "Recognises a returning visitor for audience measurement.",
        }, Actor);
        var before = await StateAsync();

        var error = await Assert.ThrowsAsync<CatalogueRuleException>(() => Catalogue.DeleteCategoryAsync(analytics.Id, null, Actor));

        Assert.Equal("“Analytics” still has 2 cookies. Choose a category to move them to, or move or delete them first.", error.Message);
        Assert.Equal(before, await StateAsync());
    }

    [Theory]
    [InlineData("no-such-category")]
    [InlineData("analytics")]
    public async Task Moving_the_cookies_to_a_category_that_is_not_another_one_is_refused(string target)
    {
        var analytics = await CategoryAsync("analytics");
        var before = await StateAsync();

        var error = await Assert.ThrowsAsync<CatalogueRuleException>(() => Catalogue.DeleteCategoryAsync(analytics.Id, target, Actor));

        Assert.Contains("to move the cookies to", error.Message);
        Assert.Equal(before, await StateAsync());
    }

    [Fact]
    public async Task Deleting_a_category_can_move_its_cookies_to_another_first_and_audits_each_move()
    {
        var analytics = await CategoryAsync("analytics");
        var gid = await CookieAsync("_gid (Google Analytics)");

        await Catalogue.DeleteCategoryAsync(analytics.Id, "social-media", Actor);

        Assert.DoesNotContain(await Catalogue.ListCategoriesAsync(), c => c.Key == "analytics");
        Assert.Equal("social-media", (await CookieAsync(gid.Name)).CategoryKey);
        var audit = await AuditAsync();
        Assert.Equal(["cookie.move", "category.delete"], audit.Select(a => a.Action));
        Assert.Equal(("analytics", "social-media"), (Json(audit[0].Before).GetProperty("Category").GetString(), Json(audit[0].After).GetProperty("Category").GetString()));
        Assert.Equal(("analytics", Actor), (Json(audit[1].Before).GetProperty("Key").GetString(), audit[1].Actor));
        Assert.Null(audit[1].After);
    }

    [Fact]
    public async Task An_empty_category_is_deleted()
    {
        var id = await AddMarketingAsync();

        await Catalogue.DeleteCategoryAsync(id, null, Actor);

        Assert.DoesNotContain(await Catalogue.ListCategoriesAsync(), c => c.Key == "marketing");
        Assert.Equal(["category.create", "category.delete"], (await AuditAsync()).Select(a => a.Action));
    }

    [Fact]
    public async Task Renaming_a_supplier_renames_it_in_the_cookie_policy_and_is_audited()
    {
        var gainsight = await SupplierAsync("Gainsight");

        await Catalogue.RenameSupplierAsync(gainsight.Id, new SupplierInput { Name = "Gainsight Inc." }, Actor);

        var policySuppliers = (await Catalogue.GetCategoriesAsync()).SelectMany(c => c.Cookies).Select(c => c.Supplier).ToHashSet();
        Assert.Contains("Gainsight Inc.", policySuppliers);
        Assert.DoesNotContain("Gainsight", policySuppliers);
        var entry = Assert.Single(await AuditAsync());
        Assert.Equal(("supplier.rename", "Supplier", gainsight.Id.ToString()), (entry.Action, entry.EntityType, entry.EntityKey));
        Assert.Equal(("Gainsight", "Gainsight Inc."), (Json(entry.Before).GetProperty("Name").GetString(), Json(entry.After).GetProperty("Name").GetString()));
    }

    [Fact]
    public async Task A_supplier_can_change_only_the_case_of_its_own_name()
    {
        var gainsight = await SupplierAsync("Gainsight");

        await Catalogue.RenameSupplierAsync(gainsight.Id, new SupplierInput { Name = "GainSight" }, Actor);

        Assert.Equal("GainSight", (await Catalogue.ListSuppliersAsync()).Single(s => s.Id == gainsight.Id).Name);
    }

    [Fact]
    public async Task Renaming_a_supplier_to_another_suppliers_name_in_any_case_is_refused()
    {
        await Catalogue.AddCookieAsync(new CookieInput
        {
            SupplierName = "Vimeo",
            Name = "vuid",
            CategoryKey = "social-media",
            Duration = "2 years",
            Function = "Remembers which videos the visitor watched.",
        }, Actor);
        var vimeo = await SupplierAsync("Vimeo");
        var before = await StateAsync();

        var error = await Assert.ThrowsAsync<ValidationException>(() => Catalogue.RenameSupplierAsync(vimeo.Id, new SupplierInput { Name = "gainsight " }, Actor));

        Assert.Equal("Another supplier is already named \"gainsight\".", Assert.Single(error.Errors, e => e.PropertyName == nameof(SupplierInput.Name)).ErrorMessage);
        Assert.Equal(before, await StateAsync());
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    public async Task A_supplier_name_cannot_be_empty(string? name)
    {
        var gainsight = await SupplierAsync("Gainsight");

        var error = await Assert.ThrowsAsync<ValidationException>(() => Catalogue.RenameSupplierAsync(gainsight.Id, new SupplierInput { Name = name }, Actor));

        Assert.Equal("Enter the supplier's name, for example \"Gainsight\".", Assert.Single(error.Errors).ErrorMessage);
    }

    [Fact]
    public async Task A_supplier_name_cannot_be_longer_than_the_limit()
    {
        var gainsight = await SupplierAsync("Gainsight");

        var error = await Assert.ThrowsAsync<ValidationException>(() => Catalogue.RenameSupplierAsync(
            gainsight.Id, new SupplierInput { Name = new string('g', CookieInputValidator.MaxSupplierName + 1) }, Actor));

        Assert.Contains(error.Errors, e => e.ErrorMessage == $"The supplier's name can have at most {CookieInputValidator.MaxSupplierName} characters.");
    }

    [Fact]
    public async Task No_supplier_can_take_the_centers_name()
    {
        var gainsight = await SupplierAsync("Gainsight");
        var before = await StateAsync();

        var error = await Assert.ThrowsAsync<ValidationException>(() => Catalogue.RenameSupplierAsync(
            gainsight.Id, new SupplierInput { Name = CenterCookies.Supplier.ToUpperInvariant() }, Actor));

        Assert.Contains(error.Errors, e => e.ErrorMessage.StartsWith("This name is reserved for the center's own cookies"));
        Assert.Equal(before, await StateAsync());
    }

    [Fact]
    public async Task The_center_as_supplier_cannot_be_renamed()
    {
        var center = await SupplierAsync(CenterCookies.Supplier);
        var before = await StateAsync();

        var error = await Assert.ThrowsAsync<ValidationException>(() => Catalogue.RenameSupplierAsync(center.Id, new SupplierInput { Name = "Us" }, Actor));

        Assert.Contains(error.Errors, e => e.ErrorMessage.StartsWith("This supplier is the center itself"));
        Assert.Equal(before, await StateAsync());
    }

    [Fact]
    public async Task The_center_as_supplier_cannot_be_deleted()
    {
        var center = await SupplierAsync(CenterCookies.Supplier);
        var before = await StateAsync();

        var error = await Assert.ThrowsAsync<CatalogueRuleException>(() => Catalogue.DeleteSupplierAsync(center.Id, Actor));

        Assert.Equal("This supplier is the center itself and sets the center's own cookies; it cannot be deleted.", error.Message);
        Assert.Equal(before, await StateAsync());
    }

    [Fact]
    public async Task A_supplier_with_cookies_cannot_be_deleted()
    {
        var gainsight = await SupplierAsync("Gainsight");
        var before = await StateAsync();

        var error = await Assert.ThrowsAsync<CatalogueRuleException>(() => Catalogue.DeleteSupplierAsync(gainsight.Id, Actor));

        Assert.Equal("“Gainsight” still has 4 cookies in the catalogue. Delete them or give them another supplier first.", error.Message);
        Assert.Equal(before, await StateAsync());
    }

    [Fact]
    public async Task A_supplier_left_without_cookies_can_be_deleted()
    {
        var id = await Catalogue.AddCookieAsync(new CookieInput
        {
            SupplierName = "Vimeo",
            Name = "vuid",
            CategoryKey = "social-media",
            Duration = "2 years",
            Function = "Remembers which videos the visitor watched.",
        }, Actor);
        await Catalogue.DeleteCookieAsync(id, Actor);
        var vimeo = await SupplierAsync("Vimeo");
        Assert.Equal(0, vimeo.CookieCount);

        await Catalogue.DeleteSupplierAsync(vimeo.Id, Actor);

        Assert.DoesNotContain(await Catalogue.ListSuppliersAsync(), s => s.Name == "Vimeo");
        var entry = (await AuditAsync()).Last();
        Assert.Equal(("supplier.delete", vimeo.Id.ToString()), (entry.Action, entry.EntityKey));
        Assert.Equal("Vimeo", Json(entry.Before).GetProperty("Name").GetString());
    }

    [Fact]
    public async Task Giving_a_cookie_a_new_supplier_audits_the_new_supplier_too()
    {
        var insights = await CookieAsync("insights-store");
        var input = CookieInput.From(insights);
        input.SupplierName = "Insights Ltd";

        await Catalogue.UpdateCookieAsync(insights.Id, input, Actor);

        var audit = await AuditAsync();
        Assert.Equal(["supplier.create", "cookie.update"], audit.Select(a => a.Action));
        Assert.Equal((await SupplierAsync("Insights Ltd")).Id.ToString(), audit[0].EntityKey);
        Assert.Equal(("Gainsight", "Insights Ltd"), (Json(audit[1].Before).GetProperty("Supplier").GetString(), Json(audit[1].After).GetProperty("Supplier").GetString()));
    }
}

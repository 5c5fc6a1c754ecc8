using Consent.Core.Catalogue;
using Consent.Tests.Support;
using FluentValidation;

namespace Consent.Tests.Core;

public abstract class CookieInputValidatorTests(TestEngine engine) : DatabaseTest(engine)
{
    public sealed class OnSqlite() : CookieInputValidatorTests(TestEngine.Sqlite);

    [Trait("Engine", "Postgres")]
    public sealed class OnPostgres() : CookieInputValidatorTests(TestEngine.Postgres);

    private static CookieInput Valid() => new()
    {
        SupplierName = "Matomo",
        Name = "_pk_id",
        CategoryKey = "analytics",
        Duration = "13 months",
        Function = "Distinguishes visits for audience measurement.",
    };

    private async Task<Dictionary<string, string>> ErrorsOf(CookieInput input)
    {
        var result = await db.Get<IValidator<CookieInput>>().ValidateAsync(input, TestContext.Current.CancellationToken);
        return result.Errors.GroupBy(e => e.PropertyName).ToDictionary(g => g.Key, g => g.First().ErrorMessage);
    }

    [Fact]
    public async Task A_complete_cookie_is_valid()
    {
        Assert.Empty(await ErrorsOf(Valid()));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public async Task A_cookie_without_a_category_is_refused(string? key)
    {
        var input = Valid();
        input.CategoryKey = key;

        var errors = await ErrorsOf(input);

        Assert.Equal("Choose the category the cookie belongs to.", errors[nameof(CookieInput.CategoryKey)]);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public async Task An_empty_cookie_name_is_refused(string? name)
    {
        var input = Valid();
        input.Name = name;

        var errors = await ErrorsOf(input);

        Assert.Equal("Enter the cookie's name as the browser shows it, for example \"_gid\".", errors[nameof(CookieInput.Name)]);
    }

    [Fact]
    public async Task An_over_long_supplier_name_is_refused()
    {
        var input = Valid();
        input.SupplierName = new string('x', CookieInputValidator.MaxSupplierName + 1);

        var errors = await ErrorsOf(input);

        Assert.Equal("The supplier's name can have at most 100 characters.", errors[nameof(CookieInput.SupplierName)]);
    }

    [Fact]
    public async Task An_empty_function_is_refused()
    {
        var input = Valid();
        input.Function = "";

        Assert.Contains("Describe what the cookie is used for", (await ErrorsOf(input))[nameof(CookieInput.Function)]);
    }

    [Fact]
    public async Task An_unknown_category_is_refused()
    {
        var input = Valid();
        input.CategoryKey = "marketing";

        var errors = await ErrorsOf(input);

        Assert.Equal("There is no category \"marketing\"; choose one of the catalogue's categories.", errors[nameof(CookieInput.CategoryKey)]);
    }

    [Fact]
    public async Task A_duplicate_supplier_and_name_is_refused_whatever_the_case()
    {
        var input = Valid();
        input.SupplierName = "gainsight";
        input.Name = "insights-STORE";

        var errors = await ErrorsOf(input);

        Assert.Equal("gainsight already has a cookie named \"insights-STORE\" in the catalogue.", errors[nameof(CookieInput.Name)]);
    }

    [Fact]
    public async Task The_same_cookie_name_from_another_supplier_is_allowed()
    {
        var input = Valid();
        input.Name = "Locale";

        Assert.Empty(await ErrorsOf(input));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("soon")]
    [InlineData("5")]
    [InlineData("years")]
    [InlineData("0 days")]
    [InlineData("1001 days")]
    [InlineData("-3 hours")]
    [InlineData("3 fortnights")]
    [InlineData("3 hours more")]
    public async Task An_invalid_duration_is_refused_with_a_hint_of_what_is_valid(string? duration)
    {
        var input = Valid();
        input.Duration = duration;

        var errors = await ErrorsOf(input);

        Assert.StartsWith("Write the duration as a whole number from 1 to 1000 and a unit", errors[nameof(CookieInput.Duration)]);
    }

    [Theory]
    [InlineData("30 Minutes")]
    [InlineData("1 day")]
    [InlineData("2 weeks")]
    [InlineData("session")]
    [InlineData("Persistent")]
    public async Task Durations_written_as_in_a_cookie_policy_are_valid(string duration)
    {
        var input = Valid();
        input.Duration = duration;

        Assert.Empty(await ErrorsOf(input));
    }

    [Fact]
    public async Task An_over_long_cookie_name_is_refused()
    {
        var input = Valid();
        input.Name = new string('c', CookieInputValidator.MaxCookieName + 1);

        Assert.Equal("The cookie's name can have at most 200 characters.", (await ErrorsOf(input))[nameof(CookieInput.Name)]);
    }

    [Fact]
    public async Task The_center_itself_cannot_be_named_as_a_supplier()
    {
        var input = Valid();
        input.SupplierName = "this site (CONSENT center)";

        Assert.Contains("declares its own cookies itself", (await ErrorsOf(input))[nameof(CookieInput.SupplierName)]);
    }
}

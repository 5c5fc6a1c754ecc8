using Consent.Core.Catalogue;
using Consent.Tests.Support;
using FluentValidation;

namespace Consent.Tests.Core;

public abstract class CategoryInputValidatorTests(TestEngine engine) : DatabaseTest(engine)
{
    public sealed class OnSqlite() : CategoryInputValidatorTests(TestEngine.Sqlite);

    [Trait("Engine", "Postgres")]
    public sealed class OnPostgres() : CategoryInputValidatorTests(TestEngine.Postgres);

    private async Task<Dictionary<string, string>> ErrorsOf(CategoryInput input)
    {
        var result = await db.Get<IValidator<CategoryInput>>().ValidateAsync(input, TestContext.Current.CancellationToken);
        return result.Errors.GroupBy(e => e.PropertyName).ToDictionary(g => g.Key, g => g.First().ErrorMessage);
    }

    private static CategoryInput Valid() => new() { Key = "marketing", Name = "Marketing", Description = "Adverts shown elsewhere.", Order = 3 };

    [Fact]
    public async Task A_complete_category_is_valid()
    {
        Assert.Empty(await ErrorsOf(Valid()));
    }

    [Theory]
    [InlineData("Marketing")]
    [InlineData("1st-party")]
    [InlineData("social media")]
    [InlineData("")]
    public async Task A_key_that_cannot_go_in_a_cookie_or_url_is_refused(string key)
    {
        var input = Valid();
        input.Key = key;

        Assert.True((await ErrorsOf(input)).ContainsKey(nameof(CategoryInput.Key)));
    }

    [Fact]
    public async Task An_empty_name_and_an_over_long_description_are_refused()
    {
        var input = Valid();
        input.Name = " ";
        input.Description = new string('d', CategoryInputValidator.MaxDescription + 1);

        var errors = await ErrorsOf(input);

        Assert.Equal("Enter the category's name as visitors will read it.", errors[nameof(CategoryInput.Name)]);
        Assert.Equal("The description can have at most 1000 characters.", errors[nameof(CategoryInput.Description)]);
    }

    [Fact]
    public async Task Each_of_the_seven_google_consent_types_may_be_mapped()
    {
        var input = Valid();
        input.GoogleConsentTypes = ["ad_storage", "ad_user_data", "ad_personalization", "analytics_storage",
            "functionality_storage", "personalization_storage", "security_storage"];

        Assert.Empty(await ErrorsOf(input));
    }

    [Theory]
    [InlineData("ads_storage")]
    [InlineData("Analytics_Storage")]
    [InlineData("")]
    public async Task A_name_google_does_not_know_is_refused_with_the_list_of_types(string type)
    {
        var input = Valid();
        input.GoogleConsentTypes = ["analytics_storage", type];

        var errors = await ErrorsOf(input);

        Assert.Equal($"“{type}” is not a Google consent type; the types are ad_storage, ad_user_data, ad_personalization, analytics_storage, functionality_storage, personalization_storage, security_storage.",
            errors[$"{nameof(CategoryInput.GoogleConsentTypes)}[1]"]);
    }

    [Fact]
    public async Task A_type_named_twice_is_refused()
    {
        var input = Valid();
        input.GoogleConsentTypes = ["ad_storage", "ad_storage"];

        Assert.Equal("Name each Google consent type once.", (await ErrorsOf(input))[nameof(CategoryInput.GoogleConsentTypes)]);
    }
}

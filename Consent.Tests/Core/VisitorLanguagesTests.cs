using System.Collections;
using System.Globalization;
using System.Text.RegularExpressions;
using Consent.Core.Catalogue;
using Consent.Core.Languages;
using Consent.Tests.Support;

namespace Consent.Tests.Core;

public abstract partial class VisitorLanguagesTests(TestEngine engine) : DatabaseTest(engine)
{
    public sealed class OnSqlite() : VisitorLanguagesTests(TestEngine.Sqlite);

    [Trait("Engine", "Postgres")]
    public sealed class OnPostgres() : VisitorLanguagesTests(TestEngine.Postgres);

    private static Dictionary<string, string> Texts(string language)
    {
        var culture = language == VisitorLanguages.Default ? CultureInfo.InvariantCulture : CultureInfo.GetCultureInfo(language);
        var set = VisitorTexts.Resources.GetResourceSet(culture, createIfNotExists: true, tryParents: false);
        Assert.NotNull(set);
        return set.Cast<DictionaryEntry>().ToDictionary(e => (string)e.Key, e => (string)e.Value!);
    }

    public static TheoryData<string> OtherLanguages() => [.. VisitorLanguages.Supported.Skip(1)];

    [Fact]
    public void The_languages_are_discovered_from_the_resource_files_english_first()
    {
        Assert.Equal(["en", "fr"], VisitorLanguages.Supported);
    }

    [Theory]
    [MemberData(nameof(OtherLanguages))]
    public void Every_language_has_every_english_key_and_no_other_each_with_a_value(string language)
    {
        var english = Texts(VisitorLanguages.Default);
        var other = Texts(language);

        Assert.Empty(english.Keys.Except(other.Keys));
        Assert.Empty(other.Keys.Except(english.Keys));
        Assert.All(english.Concat(other), text => Assert.False(string.IsNullOrWhiteSpace(text.Value), $"{text.Key} is empty"));
    }

    [Theory]
    [MemberData(nameof(OtherLanguages))]
    public void A_translation_keeps_the_placeholders_and_the_links_of_the_english_text(string language)
    {
        var other = Texts(language);

        Assert.All(Texts(VisitorLanguages.Default), english =>
        {
            Assert.Equal(Placeholders(english.Value), Placeholders(other[english.Key]));
            Assert.Equal(Tags(english.Value), Tags(other[english.Key]));
        });
    }

    private static List<string> Placeholders(string text) => [.. Placeholder().Matches(text).Select(m => m.Value).Order()];

    private static List<string> Tags(string text) => [.. Tag().Matches(text).Select(m => m.Value).Order()];

    [Theory]
    [InlineData(null, null)]
    [InlineData("fr-FR,fr;q=0.9,en;q=0.8", "fr")]
    [InlineData("de;q=0.5,FR-ca;q=0.7", "fr")]
    [InlineData("fr;q=0, en", "en")]
    [InlineData("de, *", null)]
    public void The_browser_s_first_language_the_center_has_is_found_by_q_value(string? acceptLanguage, string? expected)
    {
        Assert.Equal(expected, VisitorLanguages.FromAcceptLanguage(acceptLanguage));
    }

    [Fact]
    public async Task Every_seeded_catalogue_text_is_translated_and_durations_are_written_in_french()
    {
        var english = await db.Get<CatalogueService>().GetCategoriesAsync();

        var french = VisitorLanguages.Translate(english, CultureInfo.GetCultureInfo("fr"));

        Assert.Equal(["Fonctionnels", "Mesure d'audience", "Réseaux sociaux + vidéos intégrées"], french.Select(c => c.Name));
        Assert.All(english.Zip(french), pair => Assert.NotEqual(pair.First.Description, pair.Second.Description));
        var cookies = english.SelectMany(c => c.Cookies).Zip(french.SelectMany(c => c.Cookies)).ToList();
        Assert.All(cookies, pair => Assert.NotEqual(pair.First.Function, pair.Second.Function));
        var durations = cookies.Where(p => p.First.Supplier == "Gainsight").ToDictionary(p => p.First.Name, p => p.Second.Duration);
        Assert.Equal("5\u00a0ans", durations["Locale"]);
        Assert.Equal("30\u00a0minutes", durations["anon:new_visit"]);
        Assert.Equal("Persistant", durations["insights-store"]);
        Assert.Equal(english.SelectMany(c => c.Cookies).Select(c => c.Name), french.SelectMany(c => c.Cookies).Select(c => c.Name));
    }

    [Fact]
    public async Task In_english_the_catalogue_is_shown_exactly_as_the_team_wrote_it()
    {
        var english = await db.Get<CatalogueService>().GetCategoriesAsync();

        Assert.Same(english, VisitorLanguages.Translate(english, CultureInfo.GetCultureInfo("en-GB")));
    }

    [Fact]
    public void Every_cookie_the_center_sets_has_its_function_in_the_resources_word_for_word()
    {
        var english = Texts(VisitorLanguages.Default);

        Assert.All(CenterCookies.All(6), cookie => Assert.Equal(cookie.Function, english[$"Cookie.{cookie.Name}.Function"]));
    }

    [Theory]
    [InlineData("Analytics", "fr", "Mesure d'audience")]
    [InlineData("Videos", "fr", "Videos")]
    [InlineData("Analytics", "en", "Analytics")]
    public void A_category_named_in_what_changed_is_translated_while_it_is_a_seeded_name(string name, string language, string expected)
    {
        Assert.Equal(expected, VisitorLanguages.CategoryName(name, CultureInfo.GetCultureInfo(language)));
    }

    [GeneratedRegex(@"\{\d+\}")]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"<[^>]+>")]
    private static partial Regex Tag();
}

using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Consent.Core.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class ConsentModeMapping : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "GoogleConsentMode",
                table: "Settings",
                type: "TEXT",
                maxLength: 20,
                nullable: false,
                defaultValue: "Basic");

            migrationBuilder.AddColumn<string>(
                name: "GoogleConsentTypes",
                table: "Categories",
                type: "TEXT",
                nullable: false,
                defaultValue: "[]");

            // Hand-written: an existing database's seeded categories get the same mapping a new database is
            // seeded with (ConsentDatabase.SeedGoogleConsentTypes), matched by their keys. A fresh database has no
            // categories yet at this point; the seed gives them the mapping.
            migrationBuilder.Sql("""UPDATE "Categories" SET "GoogleConsentTypes" = '["functionality_storage","security_storage"]' WHERE "Key" = 'functional';""");
            migrationBuilder.Sql("""UPDATE "Categories" SET "GoogleConsentTypes" = '["analytics_storage"]' WHERE "Key" = 'analytics';""");
            migrationBuilder.Sql("""UPDATE "Categories" SET "GoogleConsentTypes" = '["ad_storage","ad_user_data","ad_personalization","personalization_storage"]' WHERE "Key" = 'social-media';""");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "GoogleConsentMode",
                table: "Settings");

            migrationBuilder.DropColumn(
                name: "GoogleConsentTypes",
                table: "Categories");
        }
    }
}

using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Consent.Core.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class PolicyVersionsAndSettings : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "ChangedCategories",
                table: "PolicyVersions",
                type: "TEXT",
                nullable: false,
                defaultValue: "[]");

            migrationBuilder.AddColumn<string>(
                name: "PublishedBy",
                table: "PolicyVersions",
                type: "TEXT",
                maxLength: 256,
                nullable: false,
                defaultValue: "system");

            migrationBuilder.AddColumn<string>(
                name: "Snapshot",
                table: "PolicyVersions",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "Settings",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false),
                    LifetimeMonths = table.Column<int>(type: "INTEGER", nullable: false),
                    RefusalLifetimeMonths = table.Column<int>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Settings", x => x.Id);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "Settings");

            migrationBuilder.DropColumn(
                name: "ChangedCategories",
                table: "PolicyVersions");

            migrationBuilder.DropColumn(
                name: "PublishedBy",
                table: "PolicyVersions");

            migrationBuilder.DropColumn(
                name: "Snapshot",
                table: "PolicyVersions");
        }
    }
}

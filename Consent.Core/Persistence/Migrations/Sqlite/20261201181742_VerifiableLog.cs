using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Consent.Core.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class VerifiableLog : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Name",
                table: "SigningKeys",
                type: "TEXT",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<byte[]>(
                name: "PublicKey",
                table: "SigningKeys",
                type: "BLOB",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<byte[]>(
                name: "ContentHash",
                table: "PolicyVersions",
                type: "BLOB",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AlterColumn<byte[]>(
                name: "VisitorId",
                table: "ConsentRecords",
                type: "BLOB",
                nullable: true,
                oldClrType: typeof(byte[]),
                oldType: "BLOB");

            migrationBuilder.AddColumn<byte[]>(
                name: "LeafHash",
                table: "ConsentRecords",
                type: "BLOB",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "LogIndex",
                table: "ConsentRecords",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<byte[]>(
                name: "VisitorCommitment",
                table: "ConsentRecords",
                type: "BLOB",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<byte[]>(
                name: "VisitorSalt",
                table: "ConsentRecords",
                type: "BLOB",
                maxLength: 16,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "LogCheckpoints",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    TreeSize = table.Column<long>(type: "INTEGER", nullable: false),
                    RootHash = table.Column<byte[]>(type: "BLOB", maxLength: 32, nullable: false),
                    Note = table.Column<string>(type: "TEXT", maxLength: 4096, nullable: false),
                    KeyName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    SignedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    TimestampToken = table.Column<byte[]>(type: "BLOB", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LogCheckpoints", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "LogHead",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false),
                    Size = table.Column<long>(type: "INTEGER", nullable: false),
                    Frontier = table.Column<byte[]>(type: "BLOB", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LogHead", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "LogNodes",
                columns: table => new
                {
                    Level = table.Column<int>(type: "INTEGER", nullable: false),
                    Index = table.Column<long>(type: "INTEGER", nullable: false),
                    Hash = table.Column<byte[]>(type: "BLOB", maxLength: 32, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LogNodes", x => new { x.Level, x.Index });
                });

            migrationBuilder.InsertData(
                table: "LogHead",
                columns: new[] { "Id", "Frontier", "Size", "UpdatedAt" },
                values: new object[] { 1, new byte[0], 0L, 0L });

            migrationBuilder.CreateIndex(
                name: "IX_ConsentRecords_LogIndex",
                table: "ConsentRecords",
                column: "LogIndex",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_LogCheckpoints_TreeSize",
                table: "LogCheckpoints",
                column: "TreeSize",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "LogCheckpoints");

            migrationBuilder.DropTable(
                name: "LogHead");

            migrationBuilder.DropTable(
                name: "LogNodes");

            migrationBuilder.DropIndex(
                name: "IX_ConsentRecords_LogIndex",
                table: "ConsentRecords");

            migrationBuilder.DropColumn(
                name: "Name",
                table: "SigningKeys");

            migrationBuilder.DropColumn(
                name: "PublicKey",
                table: "SigningKeys");

            migrationBuilder.DropColumn(
                name: "ContentHash",
                table: "PolicyVersions");

            migrationBuilder.DropColumn(
                name: "LeafHash",
                table: "ConsentRecords");

            migrationBuilder.DropColumn(
                name: "LogIndex",
                table: "ConsentRecords");

            migrationBuilder.DropColumn(
                name: "VisitorCommitment",
                table: "ConsentRecords");

            migrationBuilder.DropColumn(
                name: "VisitorSalt",
                table: "ConsentRecords");

            migrationBuilder.AlterColumn<byte[]>(
                name: "VisitorId",
                table: "ConsentRecords",
                type: "BLOB",
                nullable: false,
                defaultValue: new byte[0],
                oldClrType: typeof(byte[]),
                oldType: "BLOB",
                oldNullable: true);
        }
    }
}

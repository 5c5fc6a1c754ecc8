using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Consent.Core.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class RecordTriggers : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Records stay append-only, with the two changes the log allows (docs/log.md, "Erasure"): erasing a visitor id and its salt,
            // and giving a record stored before the log its leaf once. A migration of their own because EF Core rebuilds a SQLite table
            // at the end of a migration (VerifiableLog made VisitorId nullable), which drops its triggers.
            migrationBuilder.Sql(""" DROP TRIGGER IF EXISTS "ConsentRecords_no_update"; """);
            migrationBuilder.Sql(""" DROP TRIGGER IF EXISTS "ConsentRecords_no_delete"; """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "ConsentRecords_no_update" BEFORE UPDATE ON "ConsentRecords"
                WHEN NOT (NEW."Id" IS OLD."Id"
                    AND NEW."PolicyVersion" IS OLD."PolicyVersion"
                    AND NEW."Method" IS OLD."Method"
                    AND NEW."Source" IS OLD."Source"
                    AND NEW."RecordedAt" IS OLD."RecordedAt"
                    AND NEW."ExpiresAt" IS OLD."ExpiresAt"
                    AND NEW."Language" IS OLD."Language"
                    AND NEW."BrowserFamily" IS OLD."BrowserFamily"
                    AND NEW."Site" IS OLD."Site"
                    AND NEW."Decisions" IS OLD."Decisions"
                    AND (NEW."VisitorId" IS OLD."VisitorId" OR NEW."VisitorId" IS NULL)
                    AND (NEW."VisitorSalt" IS OLD."VisitorSalt" OR NEW."VisitorSalt" IS NULL OR OLD."VisitorSalt" IS NULL)
                    AND (NEW."VisitorCommitment" IS OLD."VisitorCommitment" OR OLD."VisitorCommitment" IS NULL)
                    AND (NEW."LogIndex" IS OLD."LogIndex" OR OLD."LogIndex" IS NULL)
                    AND (NEW."LeafHash" IS OLD."LeafHash" OR OLD."LeafHash" IS NULL))
                BEGIN SELECT RAISE(ABORT, 'ConsentRecords is append-only'); END;
                """);
            migrationBuilder.Sql(""" CREATE TRIGGER "ConsentRecords_no_delete" BEFORE DELETE ON "ConsentRecords" BEGIN SELECT RAISE(ABORT, 'ConsentRecords is append-only'); END; """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(""" DROP TRIGGER "ConsentRecords_no_update"; """);
            migrationBuilder.Sql(""" CREATE TRIGGER "ConsentRecords_no_update" BEFORE UPDATE ON "ConsentRecords" BEGIN SELECT RAISE(ABORT, 'ConsentRecords is append-only'); END; """);

        }
    }
}

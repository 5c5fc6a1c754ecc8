using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Consent.Core.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class RecordTriggers : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Records stay append-only, with the two changes the log allows (docs/log.md, "Erasure"): erasing a visitor id and its salt,
            // and giving a record stored before the log its leaf once.
            migrationBuilder.Sql("""
                CREATE FUNCTION consent_records_guard() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF TG_OP = 'UPDATE'
                    AND NEW."Id" IS NOT DISTINCT FROM OLD."Id"
                    AND NEW."PolicyVersion" IS NOT DISTINCT FROM OLD."PolicyVersion"
                    AND NEW."Method" IS NOT DISTINCT FROM OLD."Method"
                    AND NEW."Source" IS NOT DISTINCT FROM OLD."Source"
                    AND NEW."RecordedAt" IS NOT DISTINCT FROM OLD."RecordedAt"
                    AND NEW."ExpiresAt" IS NOT DISTINCT FROM OLD."ExpiresAt"
                    AND NEW."Language" IS NOT DISTINCT FROM OLD."Language"
                    AND NEW."BrowserFamily" IS NOT DISTINCT FROM OLD."BrowserFamily"
                    AND NEW."Site" IS NOT DISTINCT FROM OLD."Site"
                    AND NEW."Decisions" IS NOT DISTINCT FROM OLD."Decisions"
                    AND (NEW."VisitorId" IS NOT DISTINCT FROM OLD."VisitorId" OR NEW."VisitorId" IS NULL)
                    AND (NEW."VisitorSalt" IS NOT DISTINCT FROM OLD."VisitorSalt" OR NEW."VisitorSalt" IS NULL OR OLD."VisitorSalt" IS NULL)
                    AND (NEW."VisitorCommitment" IS NOT DISTINCT FROM OLD."VisitorCommitment" OR OLD."VisitorCommitment" IS NULL)
                    AND (NEW."LogIndex" IS NOT DISTINCT FROM OLD."LogIndex" OR OLD."LogIndex" IS NULL)
                    AND (NEW."LeafHash" IS NOT DISTINCT FROM OLD."LeafHash" OR OLD."LeafHash" IS NULL)
                    THEN
                        RETURN NEW;
                    END IF;
                    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'restrict_violation';
                END $$;
                """);
            migrationBuilder.Sql(""" DROP TRIGGER "ConsentRecords_append_only" ON "ConsentRecords"; """);
            migrationBuilder.Sql(""" CREATE TRIGGER "ConsentRecords_append_only" BEFORE UPDATE OR DELETE ON "ConsentRecords" FOR EACH ROW EXECUTE FUNCTION consent_records_guard(); """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(""" DROP TRIGGER "ConsentRecords_append_only" ON "ConsentRecords"; """);
            migrationBuilder.Sql(""" CREATE TRIGGER "ConsentRecords_append_only" BEFORE UPDATE OR DELETE ON "ConsentRecords" FOR EACH ROW EXECUTE FUNCTION consent_append_only(); """);
            migrationBuilder.Sql(""" DROP FUNCTION consent_records_guard(); """);


        }
    }
}

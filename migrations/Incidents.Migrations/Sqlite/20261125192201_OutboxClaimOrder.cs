using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Incidents.Migrations
{
    /// <inheritdoc />
    public partial class OutboxClaimOrder : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_outbox_due",
                table: "outbox");

            migrationBuilder.CreateIndex(
                name: "ix_outbox_due",
                table: "outbox",
                columns: new[] { "due_at", "id" },
                filter: "done_at IS NULL AND dead_at IS NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_outbox_due",
                table: "outbox");

            migrationBuilder.CreateIndex(
                name: "ix_outbox_due",
                table: "outbox",
                column: "due_at",
                filter: "done_at IS NULL AND dead_at IS NULL");
        }
    }
}

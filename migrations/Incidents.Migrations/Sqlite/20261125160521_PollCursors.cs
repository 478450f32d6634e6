using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Incidents.Migrations
{
    /// <inheritdoc />
    public partial class PollCursors : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "poll_cursors",
                columns: table => new
                {
                    source = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    cursor = table.Column<long>(type: "INTEGER", nullable: true),
                    lease_owner = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    lease_until = table.Column<long>(type: "INTEGER", nullable: true),
                    polled_at = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_poll_cursors", x => x.source);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "poll_cursors");
        }
    }
}

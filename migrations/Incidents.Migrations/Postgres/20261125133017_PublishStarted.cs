using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Incidents.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class PublishStarted : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "publish_started",
                table: "channels",
                type: "boolean",
                nullable: false,
                defaultValue: false);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "publish_started",
                table: "channels");
        }
    }
}

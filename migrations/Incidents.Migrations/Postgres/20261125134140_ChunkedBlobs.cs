using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Incidents.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ChunkedBlobs : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropPrimaryKey(
                name: "pk_transcript_blobs",
                table: "transcript_blobs");

            migrationBuilder.AddColumn<int>(
                name: "chunk",
                table: "transcript_blobs",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddPrimaryKey(
                name: "pk_transcript_blobs",
                table: "transcript_blobs",
                columns: new[] { "channel_id", "format", "chunk" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropPrimaryKey(
                name: "pk_transcript_blobs",
                table: "transcript_blobs");

            migrationBuilder.DropColumn(
                name: "chunk",
                table: "transcript_blobs");

            migrationBuilder.AddPrimaryKey(
                name: "pk_transcript_blobs",
                table: "transcript_blobs",
                columns: new[] { "channel_id", "format" });
        }
    }
}

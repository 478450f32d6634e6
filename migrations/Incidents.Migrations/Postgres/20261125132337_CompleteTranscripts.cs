using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Incidents.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class CompleteTranscripts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "markdown_parts",
                table: "transcripts");

            migrationBuilder.AddColumn<int>(
                name: "file_count",
                table: "transcripts",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<long>(
                name: "html_bytes",
                table: "transcripts",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<long>(
                name: "json_bytes",
                table: "transcripts",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<string>(
                name: "manifest_json",
                table: "transcripts",
                type: "jsonb",
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<int>(
                name: "part_count",
                table: "transcripts",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "export_cursor",
                table: "channels",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "export_files",
                table: "channels",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "export_messages",
                table: "channels",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "export_pages",
                table: "channels",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<bool>(
                name: "history_complete",
                table: "channels",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateTable(
                name: "captured_files",
                columns: table => new
                {
                    channel_id = table.Column<Guid>(type: "uuid", nullable: false),
                    file_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    name = table.Column<string>(type: "text", nullable: false),
                    content_type = table.Column<string>(type: "text", nullable: true),
                    size = table.Column<long>(type: "bigint", nullable: false),
                    sha256 = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    content = table.Column<byte[]>(type: "bytea", nullable: true),
                    source_url = table.Column<string>(type: "text", nullable: false),
                    downloaded_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    problem = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_captured_files", x => new { x.channel_id, x.file_id });
                });

            migrationBuilder.CreateTable(
                name: "captured_messages",
                columns: table => new
                {
                    channel_id = table.Column<Guid>(type: "uuid", nullable: false),
                    message_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    timestamp = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    thread_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    username = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    system_type = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    json = table.Column<string>(type: "jsonb", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_captured_messages", x => new { x.channel_id, x.message_id });
                });

            migrationBuilder.CreateTable(
                name: "transcript_blobs",
                columns: table => new
                {
                    channel_id = table.Column<Guid>(type: "uuid", nullable: false),
                    format = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    content = table.Column<byte[]>(type: "bytea", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_transcript_blobs", x => new { x.channel_id, x.format });
                });

            migrationBuilder.CreateTable(
                name: "transcript_parts",
                columns: table => new
                {
                    channel_id = table.Column<Guid>(type: "uuid", nullable: false),
                    part = table.Column<int>(type: "integer", nullable: false),
                    content = table.Column<string>(type: "text", nullable: false),
                    sha256 = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_transcript_parts", x => new { x.channel_id, x.part });
                });

            migrationBuilder.CreateIndex(
                name: "ix_captured_messages_channel_id_timestamp",
                table: "captured_messages",
                columns: new[] { "channel_id", "timestamp" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "captured_files");

            migrationBuilder.DropTable(
                name: "captured_messages");

            migrationBuilder.DropTable(
                name: "transcript_blobs");

            migrationBuilder.DropTable(
                name: "transcript_parts");

            migrationBuilder.DropColumn(
                name: "file_count",
                table: "transcripts");

            migrationBuilder.DropColumn(
                name: "html_bytes",
                table: "transcripts");

            migrationBuilder.DropColumn(
                name: "json_bytes",
                table: "transcripts");

            migrationBuilder.DropColumn(
                name: "manifest_json",
                table: "transcripts");

            migrationBuilder.DropColumn(
                name: "part_count",
                table: "transcripts");

            migrationBuilder.DropColumn(
                name: "export_cursor",
                table: "channels");

            migrationBuilder.DropColumn(
                name: "export_files",
                table: "channels");

            migrationBuilder.DropColumn(
                name: "export_messages",
                table: "channels");

            migrationBuilder.DropColumn(
                name: "export_pages",
                table: "channels");

            migrationBuilder.DropColumn(
                name: "history_complete",
                table: "channels");

            migrationBuilder.AddColumn<List<string>>(
                name: "markdown_parts",
                table: "transcripts",
                type: "text[]",
                nullable: false);
        }
    }
}

using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Incidents.Migrations
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "captured_files",
                columns: table => new
                {
                    channel_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    file_id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    name = table.Column<string>(type: "TEXT", nullable: false),
                    content_type = table.Column<string>(type: "TEXT", nullable: true),
                    size = table.Column<long>(type: "INTEGER", nullable: false),
                    sha256 = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    content = table.Column<byte[]>(type: "BLOB", nullable: true),
                    source_url = table.Column<string>(type: "TEXT", nullable: false),
                    downloaded_at = table.Column<long>(type: "INTEGER", nullable: true),
                    problem = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_captured_files", x => new { x.channel_id, x.file_id });
                });

            migrationBuilder.CreateTable(
                name: "captured_messages",
                columns: table => new
                {
                    channel_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    message_id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    timestamp = table.Column<long>(type: "INTEGER", nullable: false),
                    thread_id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    username = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    system_type = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    json = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_captured_messages", x => new { x.channel_id, x.message_id });
                });

            migrationBuilder.CreateTable(
                name: "deliveries",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    source = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    delivery_id = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    @event = table.Column<string>(name: "event", type: "TEXT", maxLength: 128, nullable: false),
                    incident_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    received_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_deliveries", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "incidents",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    source = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ticket_key = table.Column<string>(type: "TEXT", maxLength: 512, nullable: false),
                    ticket_ref = table.Column<string>(type: "TEXT", maxLength: 512, nullable: false),
                    title = table.Column<string>(type: "TEXT", nullable: false),
                    url = table.Column<string>(type: "TEXT", nullable: false),
                    author = table.Column<string>(type: "TEXT", nullable: false),
                    labels = table.Column<string>(type: "TEXT", nullable: false),
                    assignees = table.Column<string>(type: "TEXT", nullable: false),
                    body = table.Column<string>(type: "TEXT", nullable: true),
                    state = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    state_at = table.Column<long>(type: "INTEGER", nullable: false),
                    snapshot_at = table.Column<long>(type: "INTEGER", nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false),
                    updated_at = table.Column<long>(type: "INTEGER", nullable: false),
                    version = table.Column<uint>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_incidents", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "outbox",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    incident_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    channel_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    kind = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    text = table.Column<string>(type: "TEXT", nullable: true),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false),
                    due_at = table.Column<long>(type: "INTEGER", nullable: false),
                    attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    failures = table.Column<int>(type: "INTEGER", nullable: false),
                    lease_owner = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    lease_until = table.Column<long>(type: "INTEGER", nullable: true),
                    done_at = table.Column<long>(type: "INTEGER", nullable: true),
                    dead_at = table.Column<long>(type: "INTEGER", nullable: true),
                    last_error = table.Column<string>(type: "TEXT", nullable: true),
                    trace_parent = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_outbox", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "timeline",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    incident_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    at = table.Column<long>(type: "INTEGER", nullable: false),
                    kind = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    summary = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    duration_ms = table.Column<double>(type: "REAL", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_timeline", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "transcript_blobs",
                columns: table => new
                {
                    channel_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    format = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false),
                    chunk = table.Column<int>(type: "INTEGER", nullable: false),
                    content = table.Column<byte[]>(type: "BLOB", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_transcript_blobs", x => new { x.channel_id, x.format, x.chunk });
                });

            migrationBuilder.CreateTable(
                name: "transcript_parts",
                columns: table => new
                {
                    channel_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    part = table.Column<int>(type: "INTEGER", nullable: false),
                    content = table.Column<string>(type: "TEXT", nullable: false),
                    sha256 = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_transcript_parts", x => new { x.channel_id, x.part });
                });

            migrationBuilder.CreateTable(
                name: "transcripts",
                columns: table => new
                {
                    channel_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    incident_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    message_count = table.Column<int>(type: "INTEGER", nullable: false),
                    thread_count = table.Column<int>(type: "INTEGER", nullable: false),
                    file_count = table.Column<int>(type: "INTEGER", nullable: false),
                    part_count = table.Column<int>(type: "INTEGER", nullable: false),
                    sha256 = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    manifest_json = table.Column<string>(type: "TEXT", nullable: false),
                    json_bytes = table.Column<long>(type: "INTEGER", nullable: false),
                    html_bytes = table.Column<long>(type: "INTEGER", nullable: false),
                    captured_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_transcripts", x => x.channel_id);
                });

            migrationBuilder.CreateTable(
                name: "channels",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    incident_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    period = table.Column<int>(type: "INTEGER", nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    room_id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    opened_at = table.Column<long>(type: "INTEGER", nullable: false),
                    closed_at = table.Column<long>(type: "INTEGER", nullable: true),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false),
                    removed_at = table.Column<long>(type: "INTEGER", nullable: true),
                    transcript_hash = table.Column<string>(type: "TEXT", nullable: true),
                    transcript_comment_ids = table.Column<string>(type: "TEXT", nullable: false),
                    transcript_url = table.Column<string>(type: "TEXT", nullable: true),
                    last_error = table.Column<string>(type: "TEXT", nullable: true),
                    export_cursor = table.Column<string>(type: "TEXT", nullable: true),
                    history_complete = table.Column<bool>(type: "INTEGER", nullable: false),
                    export_pages = table.Column<int>(type: "INTEGER", nullable: false),
                    export_messages = table.Column<int>(type: "INTEGER", nullable: false),
                    export_files = table.Column<int>(type: "INTEGER", nullable: false),
                    publish_started = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_channels", x => x.id);
                    table.ForeignKey(
                        name: "fk_channels_incidents_incident_id",
                        column: x => x.incident_id,
                        principalTable: "incidents",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_captured_messages_channel_id_timestamp",
                table: "captured_messages",
                columns: new[] { "channel_id", "timestamp" });

            migrationBuilder.CreateIndex(
                name: "ix_channels_incident_id_period",
                table: "channels",
                columns: new[] { "incident_id", "period" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_channels_status",
                table: "channels",
                column: "status");

            migrationBuilder.CreateIndex(
                name: "ix_deliveries_incident_id",
                table: "deliveries",
                column: "incident_id");

            migrationBuilder.CreateIndex(
                name: "ix_deliveries_source_delivery_id",
                table: "deliveries",
                columns: new[] { "source", "delivery_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_incidents_created_at",
                table: "incidents",
                column: "created_at");

            migrationBuilder.CreateIndex(
                name: "ix_incidents_source_ticket_key",
                table: "incidents",
                columns: new[] { "source", "ticket_key" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_incidents_state_created_at",
                table: "incidents",
                columns: new[] { "state", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_outbox_due",
                table: "outbox",
                column: "due_at",
                filter: "done_at IS NULL AND dead_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_outbox_incident_pending",
                table: "outbox",
                columns: new[] { "incident_id", "id" },
                filter: "done_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_timeline_incident_id_id",
                table: "timeline",
                columns: new[] { "incident_id", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_transcripts_incident_id",
                table: "transcripts",
                column: "incident_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "captured_files");

            migrationBuilder.DropTable(
                name: "captured_messages");

            migrationBuilder.DropTable(
                name: "channels");

            migrationBuilder.DropTable(
                name: "deliveries");

            migrationBuilder.DropTable(
                name: "outbox");

            migrationBuilder.DropTable(
                name: "timeline");

            migrationBuilder.DropTable(
                name: "transcript_blobs");

            migrationBuilder.DropTable(
                name: "transcript_parts");

            migrationBuilder.DropTable(
                name: "transcripts");

            migrationBuilder.DropTable(
                name: "incidents");
        }
    }
}

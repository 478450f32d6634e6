using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace Incidents.IntegrationTests.Tickets.Redmine;

/// <summary>
/// A real Redmine 5 (Debian packages redmine, redmine-sqlite, thin) run by the test run itself: a copy of the
/// package's SQLite database in a temporary folder (<c>DATABASE_URL</c>), provisioned with <c>rails runner</c> —
/// REST API on, a fresh project, an integration user "incidents-bot" that is no administrator but a project member
/// whose role has only the permissions the docs list, and an administrator's API key for the "people" — then served
/// by <c>rackup</c> (thin) on a free loopback port, as www-data like the package does. Stopped and removed at the end.
/// </summary>
public sealed class RealRedmine : IAsyncLifetime
{
    public const string Share = "/usr/share/redmine";
    public const string TemplateDatabase = "/var/lib/dbconfig-common/sqlite3/redmine/instances/default/redmine_default";
    private const string RunAs = "www-data";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(120);

    private Process? _server;
    private string? _dir;

    /// <summary>Why the tests cannot run here, or null when Redmine is installed.</summary>
    public static string? Missing
    {
        get
        {
            string[] needed = [$"{Share}/config.ru", TemplateDatabase, "/usr/bin/rails", "/usr/bin/rackup", "/usr/bin/thin", "/usr/sbin/runuser"];
            var missing = needed.Where(f => !File.Exists(f)).ToList();
            return missing.Count == 0 && Environment.UserName == "root"
                ? null
                : $"a real Redmine 5 is not installed here ({(missing.Count > 0 ? "missing " + string.Join(", ", missing) : "not running as root, which runs it as www-data")}); "
                  + ".ci/run installs it: debconf-set-selections (sqlite3, dbconfig-install true) then apt-get install -y redmine redmine-sqlite thin";
        }
    }

    public Uri BaseUrl { get; private set; } = new("http://127.0.0.1/");

    /// <summary>API key of Redmine's administrator, who plays the people opening and closing issues.</summary>
    public string AdminKey { get; private set; } = "";

    /// <summary>API key of the integration user the service runs as.</summary>
    public string BotKey { get; private set; } = "";

    public long BotId { get; private set; }

    /// <summary>Identifier of the project created for this run.</summary>
    public string Project { get; private set; } = "";

    public async Task InitializeAsync()
    {
        if (Missing is not null)
        {
            return;
        }
        _dir = Directory.CreateTempSubdirectory("incidents-redmine-").FullName;
        var database = Path.Combine(_dir, "redmine.db");
        File.Copy(TemplateDatabase, database);
        await File.WriteAllTextAsync(Path.Combine(_dir, "provision.rb"), ProvisionScript);
        await File.WriteAllTextAsync(Path.Combine(_dir, "render.rb"), RenderScript);
        // Ruby buffers its output into a pipe: unbuffered, thin's "Listening on" line tells when Redmine is up.
        await File.WriteAllTextAsync(Path.Combine(_dir, "sync.rb"), "$stdout.sync = true\n$stderr.sync = true\n");
        await RunAsync("chown", $"-R {RunAs} {_dir}", asRedmine: false);

        var output = Path.Combine(_dir, "provisioned.json");
        Project = $"incidents-{Guid.NewGuid():N}"[..24];
        await RunAsync("rails", $"runner {Path.Combine(_dir, "provision.rb")} {output} {Project}");
        using (var provisioned = JsonDocument.Parse(await File.ReadAllTextAsync(output)))
        {
            var root = provisioned.RootElement;
            AdminKey = root.GetProperty("admin_key").GetString()!;
            BotKey = root.GetProperty("bot_key").GetString()!;
            BotId = root.GetProperty("bot_id").GetInt64();
        }

        var port = FreePort();
        BaseUrl = new Uri($"http://127.0.0.1:{port}/");
        _server = Start("rackup", $"-E production -o 127.0.0.1 -p {port}");
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var log = new System.Collections.Concurrent.ConcurrentQueue<string>();
        void OnLine(object? _, DataReceivedEventArgs e)
        {
            if (e.Data is null)
            {
                return;
            }
            log.Enqueue(e.Data);
            // thin: "Listening on 127.0.0.1:PORT, CTRL+C to stop"
            if (e.Data.Contains($"Listening on 127.0.0.1:{port}", StringComparison.Ordinal))
            {
                ready.TrySetResult();
            }
        }
        _server.OutputDataReceived += OnLine;
        _server.ErrorDataReceived += OnLine;
        _server.BeginOutputReadLine();
        _server.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(StartTimeout);
        await Task.WhenAny(ready.Task, _server.WaitForExitAsync(timeout.Token));
        if (!ready.Task.IsCompleted)
        {
            throw new InvalidOperationException($"Redmine did not start within {StartTimeout.TotalSeconds} s:\n{string.Join('\n', log)}");
        }
    }

    /// <summary>How Redmine itself renders a text in its Textile formatting (the HTML its issue page shows).</summary>
    public async Task<string> RenderTextileAsync(string text)
    {
        var input = Path.Combine(_dir!, $"render-{Guid.NewGuid():N}.txt");
        var output = input + ".html";
        await File.WriteAllTextAsync(input, text);
        await RunAsync("chown", $"{RunAs} {input}", asRedmine: false);
        await RunAsync("rails", $"runner {Path.Combine(_dir!, "render.rb")} {input} {output}");
        return await File.ReadAllTextAsync(output);
    }

    public async Task DisposeAsync()
    {
        if (_server is { HasExited: false })
        {
            _server.Kill(entireProcessTree: true);
            await _server.WaitForExitAsync();
        }
        _server?.Dispose();
        if (_dir is not null)
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    private Process Start(string tool, string arguments)
    {
        var start = new ProcessStartInfo("runuser", $"-u {RunAs} -- env RUBYOPT=-r{Path.Combine(_dir!, "sync.rb")} REDMINE_INSTANCE=default RAILS_ENV=production DATABASE_URL=sqlite3:{Path.Combine(_dir!, "redmine.db")} /usr/bin/{tool} {arguments}")
        {
            WorkingDirectory = Share,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        return Process.Start(start) ?? throw new InvalidOperationException($"could not start {tool}");
    }

    private async Task RunAsync(string tool, string arguments, bool asRedmine = true)
    {
        using var process = asRedmine ? Start(tool, arguments) : Process.Start(new ProcessStartInfo(tool, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{tool} {arguments} exited with {process.ExitCode}: {await stderr}{await stdout}");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>rails runner provision.rb OUT PROJECT: the REST API, a project, the integration user and its role, the keys.</summary>
    private const string ProvisionScript = """
        require 'json'
        out, identifier = ARGV
        ActionMailer::Base.perform_deliveries = false
        Redmine::DefaultData::Loader.load('en') if Redmine::DefaultData::Loader.no_data?
        Setting.rest_api_enabled = '1'
        Setting.text_formatting = 'textile'
        admin = User.find_by!(login: 'admin')
        admin.must_change_passwd = false
        admin.save!
        project = Project.create!(name: "Incidents #{identifier[-8..]}", identifier: identifier, is_public: false)
        role = Role.find_by(name: 'Incidents bot') ||
          Role.create!(name: 'Incidents bot', permissions: [:view_issues, :add_issue_notes, :set_notes_private])
        bot = User.find_by(login: 'incidents-bot') || User.new(firstname: 'Incidents', lastname: 'Bot', mail: 'incidents-bot@example.com').tap do |u|
          u.login = 'incidents-bot'
          u.password = u.password_confirmation = SecureRandom.hex(16)
          u.save!
        end
        Member.create!(principal: bot, project: project, roles: [role])
        File.write(out, JSON.generate(admin_key: admin.api_key, bot_key: bot.api_key, bot_id: bot.id))
        """;

    /// <summary>rails runner render.rb IN OUT: Redmine's Textile formatter over a text.</summary>
    private const string RenderScript = """
        File.write(ARGV[1], Redmine::WikiFormatting.to_html('textile', File.read(ARGV[0])))
        """;
}

/// <summary>A test that needs <see cref="RealRedmine"/>; skipped, saying why, where Redmine is not installed.</summary>
public sealed class RealRedmineFactAttribute : FactAttribute
{
    public RealRedmineFactAttribute()
    {
        if (RealRedmine.Missing is { } missing)
        {
            Skip = missing;
        }
    }
}

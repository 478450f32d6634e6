# frozen_string_literal: true

# Provisioning of the demo Redmine, run by deploy/provision-redmine.sh through
#   bundle exec rails runner /deploy/provision-redmine.rb OUT_FILE
# as the image's `redmine` user in /usr/src/redmine with RAILS_ENV=production.
#
# Idempotent; every step checks before it changes anything:
#  1. load Redmine's default configuration (trackers, statuses, roles,
#     priorities) when the database has none, so issues can be created;
#  2. enable the REST API (Setting.rest_api_enabled = '1');
#  3. give the admin user REDMINE_ADMIN_PASSWORD and clear its
#     must-change-password flag (the image starts with admin/admin and that
#     flag set);
#  4. create the project REDMINE_PROJECT (default "incidents-demo");
#  5. create the integration user REDMINE_BOT_LOGIN (default "incidents-bot":
#     no administrator, a random password nobody needs) and the role
#     "Incidents bot" (View issues, Add notes, Set notes as private), and make
#     the user a member of the project with that role; read or create its API
#     key (docs/ticket-systems/redmine.md, section 1);
#  6. write to OUT_FILE (created new, mode 0600) what the Incidents service
#     needs: Tickets__Redmine__ApiKey (the integration user's key),
#     Tickets__Redmine__TextFormatting and Tickets__Redmine__MaxAttachmentBytes
#     (Redmine's own settings, so the transcript is written in the markup this
#     Redmine renders and the attachment fits its limit).
#
# The service runs as the integration user, not as the administrator: its
# journals are recognised as its own and never relayed, so a person's (the
# admin's) notes and status changes must come from another account.
#
# Passwords and keys are never printed. Exits non-zero with a message on
# stderr when a step fails.

def provision_log(message)
  warn "provision-redmine: #{message}"
end

def provision_fail!(message)
  provision_log "ERROR: #{message}"
  exit 1
end

out_path = ARGV[0].to_s
provision_fail!('usage: rails runner provision-redmine.rb OUT_FILE') if out_path.empty?
admin_login = ENV.fetch('REDMINE_ADMIN_LOGIN', 'admin')
admin_password = ENV.fetch('REDMINE_ADMIN_PASSWORD', '')
provision_fail!('REDMINE_ADMIN_PASSWORD must be set') if admin_password.empty?
project_identifier = ENV.fetch('REDMINE_PROJECT', 'incidents-demo')
language = ENV.fetch('REDMINE_LANG', 'en')

# A password change would otherwise try to mail a security notification; this
# demo has no mail server.
ActionMailer::Base.perform_deliveries = false

# --- 1. Default configuration ---------------------------------------------
if Redmine::DefaultData::Loader.no_data?
  Redmine::DefaultData::Loader.load(language)
  provision_log "loaded the default configuration (#{language}): #{Tracker.count} trackers, " \
      "#{IssueStatus.count} statuses, #{Role.givable.count} roles"
else
  provision_log 'the default configuration is already loaded'
end

# --- 2. REST API ------------------------------------------------------------
if Setting.rest_api_enabled?
  provision_log 'the REST API is already enabled'
else
  Setting.rest_api_enabled = '1'
  provision_log 'enabled the REST API'
end

# --- 3. Admin password and must-change-password flag ----------------------
admin = User.find_by(login: admin_login)
provision_fail!("there is no user '#{admin_login}'") if admin.nil?
provision_fail!("user '#{admin_login}' is not an administrator") unless admin.admin?
provision_fail!("user '#{admin_login}' is not active") unless admin.active?

changes = []
unless admin.check_password?(admin_password)
  admin.password = admin_password
  admin.password_confirmation = admin_password
  changes << 'set the password from REDMINE_ADMIN_PASSWORD'
end
if admin.must_change_passwd?
  admin.must_change_passwd = false
  changes << 'cleared must-change-password'
end
if changes.empty?
  provision_log "admin '#{admin_login}' already has the configured password"
elsif admin.save
  provision_log "admin '#{admin_login}': #{changes.join(', ')}"
else
  # Validation messages (e.g. "Password is too short") carry no secret.
  provision_fail!("updating admin '#{admin_login}' failed: #{admin.errors.full_messages.join('; ')}")
end

# --- 4. Demo project -------------------------------------------------------
project = Project.find_by(identifier: project_identifier)
if project
  provision_log "project '#{project_identifier}' exists (id #{project.id})"
else
  project = Project.new(name: project_identifier, identifier: project_identifier)
  unless project.save
    provision_fail!("creating project '#{project_identifier}' failed: #{project.errors.full_messages.join('; ')}")
  end
  provision_log "created project '#{project_identifier}' (id #{project.id}, trackers: " \
      "#{project.trackers.map(&:name).join(', ')})"
end

# --- 5. Integration user, its role and membership ------------------------
bot_login = ENV.fetch('REDMINE_BOT_LOGIN', 'incidents-bot')
role = Role.find_by(name: 'Incidents bot')
if role
  provision_log "role 'Incidents bot' exists"
else
  role = Role.new(name: 'Incidents bot', permissions: %i[view_issues add_issue_notes set_notes_private])
  provision_fail!("creating role 'Incidents bot' failed: #{role.errors.full_messages.join('; ')}") unless role.save
  provision_log "created role 'Incidents bot' (View issues, Add notes, Set notes as private)"
end
bot = User.find_by(login: bot_login)
if bot
  provision_log "user '#{bot_login}' exists (id #{bot.id})"
else
  bot = User.new(firstname: 'Incidents', lastname: 'Bot', mail: "#{bot_login}@example.com")
  bot.login = bot_login
  bot.password = bot.password_confirmation = SecureRandom.hex(24)
  provision_fail!("creating user '#{bot_login}' failed: #{bot.errors.full_messages.join('; ')}") unless bot.save
  provision_log "created user '#{bot_login}' (id #{bot.id}, not an administrator)"
end
if Member.where(user_id: bot.id, project_id: project.id).exists?
  provision_log "user '#{bot_login}' is a member of '#{project_identifier}'"
else
  member = Member.new(principal: bot, project: project, roles: [role])
  provision_fail!("adding '#{bot_login}' to '#{project_identifier}' failed: #{member.errors.full_messages.join('; ')}") unless member.save
  provision_log "made '#{bot_login}' a member of '#{project_identifier}' with role 'Incidents bot'"
end
had_key = !bot.api_token.nil?
api_key = bot.api_key
provision_fail!("no API key for '#{bot_login}'") if api_key.to_s.empty?
provision_log(had_key ? "user '#{bot_login}' already has an API key" : "created an API key for '#{bot_login}'")

# --- 6. Output file ---------------------------------------------------------
formatting = Setting.text_formatting.to_s
unless %w[textile markdown common_mark].include?(formatting)
  provision_log "text formatting '#{formatting}' is none the service writes; it writes textile"
  formatting = 'textile'
end
max_attachment_bytes = Setting.attachment_max_size.to_i * 1024
File.open(out_path, File::WRONLY | File::CREAT | File::EXCL, 0o600) do |file|
  file.write("# Written by deploy/provision-redmine.rb for the Incidents service (user #{bot_login})\n")
  file.write("Tickets__Redmine__ApiKey=#{api_key}\n")
  file.write("Tickets__Redmine__TextFormatting=#{formatting}\n")
  file.write("Tickets__Redmine__MaxAttachmentBytes=#{max_attachment_bytes}\n")
end
provision_log "wrote the API key of '#{bot_login}', text formatting '#{formatting}' and maximum attachment size " \
    "#{max_attachment_bytes} to #{out_path}"

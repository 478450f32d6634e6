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
#  4. read the admin's API key, creating it when it has none;
#  5. create the project REDMINE_PROJECT (default "incidents-demo");
#  6. write "REDMINE_API_KEY=<key>" to OUT_FILE (created new, mode 0600).
#
# The password and the key are never printed. Exits non-zero with a message on
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

# --- 4. API key --------------------------------------------------------------
had_key = !admin.api_token.nil?
api_key = admin.api_key
provision_fail!("no API key for '#{admin_login}'") if api_key.to_s.empty?
provision_log(had_key ? "admin '#{admin_login}' already has an API key" : "created an API key for admin '#{admin_login}'")

# --- 5. Demo project -------------------------------------------------------
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

# --- 6. Output file ---------------------------------------------------------
File.open(out_path, File::WRONLY | File::CREAT | File::EXCL, 0o600) do |file|
  file.write("# Written by deploy/provision-redmine.rb: REST API key of Redmine user #{admin_login}\n")
  file.write("REDMINE_API_KEY=#{api_key}\n")
end
provision_log "wrote REDMINE_API_KEY to #{out_path}"

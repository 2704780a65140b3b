/* test-server-campaigns.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Email campaigns sent by desks and run by sesame-server, on loopback
 * through the real programs and the test mail server: a campaign sent
 * from a desk whose own mail settings lead nowhere reaches the mail
 * server with the server's, and the desk (and another one after its sync)
 * holds the campaign and where each recipient stands; a campaign stopped
 * from the desk stops on the server, a second one meanwhile is refused,
 * and resuming it sends the rest and nothing twice; a manager who may not
 * send campaigns is refused by the server even with a forged request; a
 * desk whose server is gone says that campaigns need it. Runs in a
 * keyring of its own (run-with-keyring.sh), where desks keep their keys
 * and the server its mail password.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "sesame.h"
#include "sesame-accounts-private.h"
#include "sesame-secrets.h"
#include "sesame-store-private.h"
#include "sesame-test-ctl.h"
#include "sesame-test-permissions.h"
#include "sesame-test-server.h"
#include "sesame-test-smtp.h"
#include "sesame-test-util.h"

#define ADMIN "alice.noel"
#define N_PUPILS 12
#define ENT_URL "https://ent.example.org"

typedef struct
{
  char                 *dir;
  SesameTestServer      server;
  SesameTestSmtpServer *smtp;
} Fixture;

/* The permissions' fixture, a class 4C of pupils with addresses in A,
 * and the test mail server in the server's settings and keyring. */
static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  const char *smtp_args = data;
  g_autoptr(SesameSmtpSettings) settings = NULL;
  g_autoptr(GError) error = NULL;
  SesameStore *store;
  g_autofree char *store_path = NULL;

  fixture->dir = sesame_test_make_tmpdir ();
  store = perm_fixture_store (fixture->dir, NULL, NULL);
  store_path = g_strdup (sesame_store_get_path (store));

  g_assert_true (_sesame_store_begin (store, &error));
  for (guint i = 0; i < N_PUPILS; i++)
    {
      g_autofree char *key = g_strdup_printf ("C%02u", i);
      g_autofree char *first = g_strdup_printf ("Élève%02u", i);
      char *sql = sqlite3_mprintf ("INSERT INTO persons (key, kind, profile, last_name, first_name, structure, email, first_seen_at)"
                                   " VALUES (%Q, 'Eleve', 1, 'Quatrième', %Q, '52006', 'eleve%02u@example.org', 0);"
                                   "INSERT INTO memberships (person_key, structure, kind, code) VALUES (%Q, '52006', 'class', '4C');",
                                   key, first, i, key);

      g_assert_true (_sesame_store_exec (store, sql, &error));
      g_assert_no_error (error);
      sqlite3_free (sql);
      g_assert_true (_sesame_accounts_create (store, NULL, key, SESAME_PROFILE_ELEVE, first, "Quatrième", NULL, &error));
      g_assert_no_error (error);
    }
  g_assert_true (_sesame_store_commit (store, &error));
  g_assert_true (sesame_store_settings_set (store, SESAME_SETTING_ENT_URL, ENT_URL, &error));
  g_assert_no_error (error);

  if (smtp_args != NULL)
    fixture->smtp = sesame_test_smtp_server_start ("--user", SESAME_TEST_SMTP_USER, "--password", SESAME_TEST_SMTP_PASSWORD,
                                                   smtp_args, "0.3", NULL);
  else
    fixture->smtp = sesame_test_smtp_server_start ("--user", SESAME_TEST_SMTP_USER, "--password", SESAME_TEST_SMTP_PASSWORD,
                                                   "--permfail", "eleve03@example.org", NULL);
  settings = sesame_test_smtp_server_settings (fixture->smtp);
  g_assert_true (sesame_smtp_settings_save (settings, store, &error));
  g_assert_no_error (error);
  g_assert_true (sesame_secrets_store_smtp_password (sesame_smtp_settings_get_host (settings),
                                                     sesame_smtp_settings_get_user (settings),
                                                     SESAME_TEST_SMTP_PASSWORD, NULL, &error));
  g_assert_no_error (error);
  g_assert_finalize_object (store);
  /* The server trusts the test mail server's certificate; desks know of
   * no mail server at all. */
  sesame_test_server_setenv (&fixture->server, SESAME_SMTP_CA_FILE_ENV, fixture->smtp->cert);
  sesame_test_server_start (&fixture->server, store_path);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  sesame_test_server_clear (&fixture->server);
  g_clear_pointer (&fixture->smtp, sesame_test_smtp_server_free);
  sesame_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
}

static void
ctl (const char    *store,
     const char    *operator,
     SesameTestRun *run,
     ...)
{
  SesameTestCtl options = { 0 };
  va_list ap;

  options.store = store;
  options.operator = operator;
  va_start (ap, run);
  sesame_test_ctl_run_va (&options, run, ap);
  va_end (ap);
  g_test_message ("sesamectl → %d\n%s%s", run->status, run->out, run->err);
}

static char *
join (Fixture    *fixture,
      const char *name)
{
  return sesame_test_server_join (&fixture->server, name, fixture->dir);
}

static SesameStore *
open_desk (const char *path,
           const char *login)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SesameStore) desk = sesame_store_open (path, &error);
  gboolean offline = TRUE;

  g_assert_no_error (error);
  g_assert_true (sesame_sync_client_sign_in (desk, login, SESAME_TEST_PASSPHRASE, &offline, &error));
  g_assert_no_error (error);
  g_assert_false (offline);
  return g_steal_pointer (&desk);
}

static gint64
count_rows (const char *store_path,
            const char *sql)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SesameStore) store = sesame_store_open (store_path, &error);
  sqlite3_stmt *stmt;
  gint64 count;

  g_assert_no_error (error);
  stmt = _sesame_store_prepare (store, sql, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  count = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return count;
}

static JsonObject *
parse_object (const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static void
test_send_through_server (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autofree char *a = join (fixture, "Secrétariat");
  g_autofree char *b = join (fixture, "Vie scolaire");
  g_auto(SesameTestRun) send = { 0 };
  g_auto(SesameTestRun) show = { 0 };
  g_auto(SesameTestRun) sync_b = { 0 };
  g_auto(SesameTestRun) list_b = { 0 };
  g_auto(SesameTestRun) report = { 0 };
  g_autoptr(JsonObject) campaign = NULL;
  g_autoptr(JsonObject) shown = NULL;
  g_autoptr(GPtrArray) recipients = NULL;
  g_autofree char *report_path = g_build_filename (fixture->dir, "report.csv", NULL);
  g_autofree char *csv = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *counts;
  const char *id;

  /* The desk's own mail settings lead nowhere: only the server's reach
   * the mail server. */
  {
    g_autoptr(SesameStore) desk = sesame_store_open (a, &error);

    g_assert_no_error (error);
    g_assert_true (sesame_store_settings_set (desk, SESAME_SETTING_SMTP_PORT, "1", &error));
    g_assert_no_error (error);
  }

  ctl (a, ADMIN, &send, "diffusion", "send", "--profile", "eleve", "--class", "4C",
       "--establishment", PERM_UAI_A, "--no-report-mail", "--json", NULL);
  g_assert_cmpint (send.status, ==, 0);
  campaign = parse_object (send.out);
  id = json_object_get_string_member (campaign, "id");
  counts = json_object_get_object_member (campaign, "counts");
  g_assert_cmpstr (json_object_get_string_member (campaign, "state"), ==, "finished");
  g_assert_cmpstr (json_object_get_string_member (campaign, "operator"), ==, ADMIN);
  g_assert_cmpint (json_object_get_int_member (counts, "total"), ==, N_PUPILS);
  g_assert_cmpint (json_object_get_int_member (counts, "sent"), ==, N_PUPILS - 1);
  g_assert_cmpint (json_object_get_int_member (counts, "failed"), ==, 1);

  /* The mail server got them, from the server's settings (its login). */
  g_assert_cmpuint (sesame_test_smtp_server_count (fixture->smtp), ==, N_PUPILS - 1);
  recipients = sesame_test_smtp_server_recipients (fixture->smtp);
  g_assert_cmpuint (recipients->len, ==, N_PUPILS - 1);
  g_assert_cmpstr (g_ptr_array_index (recipients, 0), ==, "eleve00@example.org");

  /* Recorded on the server, as the operator, and on the desk by the feed:
   * the failed send with the mail server's reply. */
  g_assert_cmpint (count_rows (fixture->server.store_path, "SELECT COUNT (*) FROM campaigns WHERE operator = '" ADMIN "'"), ==, 1);
  g_assert_cmpint (count_rows (fixture->server.store_path, "SELECT COUNT (*) FROM campaign_attempts"), >=, N_PUPILS);
  ctl (a, NULL, &show, "diffusion", "show", id, "--json", NULL);
  g_assert_cmpint (show.status, ==, 0);
  shown = parse_object (show.out);
  g_assert_cmpint (json_array_get_length (json_object_get_array_member (shown, "recipients")), ==, N_PUPILS);
  g_assert_nonnull (strstr (show.out, "\"failed\""));
  ctl (a, NULL, &report, "diffusion", "report", id, "--output", report_path, NULL);
  g_assert_cmpint (report.status, ==, 0);
  g_assert_true (g_file_get_contents (report_path, &csv, NULL, NULL));
  g_assert_nonnull (strstr (csv, "eleve03@example.org"));

  /* Another desk sees the campaign and its report after its sync. */
  ctl (b, NULL, &sync_b, "sync", NULL);
  g_assert_cmpint (sync_b.status, ==, 0);
  ctl (b, NULL, &list_b, "diffusion", "list", "--json", NULL);
  g_assert_cmpint (list_b.status, ==, 0);
  g_assert_nonnull (strstr (list_b.out, id));
  g_assert_cmpint (count_rows (b, "SELECT COUNT (*) FROM campaign_recipients WHERE state = 'sent'"), ==, N_PUPILS - 1);
  /* A desk never pushes the campaign: nothing waits in its outbox. */
  g_assert_cmpint (count_rows (a, "SELECT COUNT (*) FROM sync_outbox"), ==, 0);
}

typedef struct
{
  SesameStore  *desk;
  GCancellable *cancellable;
  gboolean      busy_refused;
  guint64       done_at_cancel;
} CancelState;

static void
cancel_after_two (const SesameSyncJobProgress *progress,
                  gpointer                     user_data)
{
  CancelState *state = user_data;

  if (progress->state != SESAME_SYNC_JOB_RUNNING || !g_str_equal (progress->phase, "send"))
    return;
  /* While it sends: a second campaign is refused clearly. */
  if (!state->busy_refused)
    {
      g_autoptr(SesameCampaign) second = sesame_campaign_new ();
      g_autoptr(SesameSyncJobProgress) refused = NULL;
      g_autoptr(GError) error = NULL;
      const char * const classes[] = { "4C", NULL };

      sesame_campaign_set_profiles (second, SESAME_PROFILE_BIT (SESAME_PROFILE_ELEVE));
      sesame_campaign_set_classes (second, classes);
      sesame_campaign_set_establishment (second, PERM_UAI_A);
      sesame_campaign_set_subject (second, "Encore");
      refused = sesame_sync_jobs_run_campaign (state->desk, second, NULL, SESAME_SYNC_CAMPAIGN_FLAGS_NONE, NULL, NULL,
                                               NULL, &error);
      g_assert_null (refused);
      g_assert_error (error, SESAME_SYNC_JOBS_ERROR, SESAME_SYNC_JOBS_ERROR_BUSY);
      g_assert_nonnull (strstr (error->message, "Another email campaign"));
      state->busy_refused = TRUE;
    }
  if (progress->done >= 2 && !g_cancellable_is_cancelled (state->cancellable))
    {
      state->done_at_cancel = progress->done;
      g_cancellable_cancel (state->cancellable);
    }
}

static void
test_cancel_and_resume (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *a = join (fixture, "Secrétariat");
  g_autoptr(SesameStore) desk = open_desk (a, ADMIN);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(SesameSyncJobProgress) progress = NULL;
  g_autoptr(SesameCampaign) campaign = sesame_campaign_new ();
  g_autoptr(SesameCampaign) local = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(SesameTestRun) resume = { 0 };
  g_autoptr(GPtrArray) recipients = NULL;
  const char * const classes[] = { "4C", NULL };
  CancelState state = { desk, cancellable, FALSE, 0 };
  guint sent;

  sesame_campaign_set_profiles (campaign, SESAME_PROFILE_BIT (SESAME_PROFILE_ELEVE));
  sesame_campaign_set_classes (campaign, classes);
  sesame_campaign_set_establishment (campaign, PERM_UAI_A);
  sesame_campaign_set_subject (campaign, "Vos identifiants");
  progress = sesame_sync_jobs_run_campaign (desk, campaign, NULL, SESAME_SYNC_CAMPAIGN_FLAGS_NONE, cancel_after_two,
                                            &state, cancellable, &error);
  g_assert_no_error (error);
  g_assert_nonnull (progress);
  g_assert_true (state.busy_refused);
  g_assert_cmpuint (state.done_at_cancel, >=, 2);
  g_assert_cmpint (progress->state, ==, SESAME_SYNC_JOB_CANCELLED);
  g_assert_nonnull (sesame_sync_job_progress_get_campaign_id (progress));

  /* Stopped on the server between two messages, well before the end. */
  sent = sesame_test_smtp_server_count (fixture->smtp);
  g_assert_cmpuint (sent, >=, 2);
  g_assert_cmpuint (sent, <, N_PUPILS);
  g_assert_cmpint (count_rows (fixture->server.store_path, "SELECT COUNT (*) FROM campaigns WHERE state = 'cancelled'"), ==, 1);
  /* The desk holds the stopped campaign, brought by the sync. */
  local = sesame_campaigns_find (desk, sesame_sync_job_progress_get_campaign_id (progress), &error);
  g_assert_no_error (error);
  g_assert_cmpint (sesame_campaign_get_state (local), ==, SESAME_CAMPAIGN_STATE_CANCELLED);
  g_assert_cmpuint (sesame_campaign_get_counts (local)->counts[SESAME_RECIPIENT_SENT], ==, sent);

  /* Resumed from the desk: the rest goes, nothing twice. */
  ctl (a, ADMIN, &resume, "diffusion", "resume", sesame_sync_job_progress_get_campaign_id (progress),
       "--no-report-mail", "--json", NULL);
  g_assert_cmpint (resume.status, ==, 0);
  g_assert_nonnull (strstr (resume.out, "\"finished\""));
  g_assert_cmpuint (sesame_test_smtp_server_count (fixture->smtp), ==, N_PUPILS);
  recipients = sesame_test_smtp_server_recipients (fixture->smtp);
  for (guint i = 1; i < recipients->len; i++)
    g_assert_cmpstr (g_ptr_array_index (recipients, i - 1), !=, g_ptr_array_index (recipients, i));
  g_assert_cmpint (count_rows (a, "SELECT COUNT (*) FROM campaign_recipients WHERE state = 'sent'"), ==, N_PUPILS);
}

static void
test_manager_refused (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *a = join (fixture, "Accueil");
  g_autoptr(SesameStore) desk = open_desk (a, PERM_MANAGER_A);
  g_autoptr(SesameCampaign) campaign = sesame_campaign_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autofree char *ticket = NULL;
  g_autofree char *forged = NULL;
  g_auto(SesameTestRun) run = { 0 };
  const char * const classes[] = { "4C", NULL };
  sqlite3_stmt *stmt;
  guint status = 0;

  /* Through the desk's own code: the server says no. */
  sesame_campaign_set_profiles (campaign, SESAME_PROFILE_BIT (SESAME_PROFILE_ELEVE));
  sesame_campaign_set_classes (campaign, classes);
  sesame_campaign_set_establishment (campaign, PERM_UAI_A);
  sesame_campaign_set_subject (campaign, "Vos identifiants");
  g_assert_null (sesame_sync_jobs_run_campaign (desk, campaign, NULL, SESAME_SYNC_CAMPAIGN_FLAGS_NONE, NULL, NULL,
                                                NULL, &error));
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);

  /* A request the desk forges with her real ticket: refused by the
   * server's own check of her rights. */
  stmt = _sesame_store_prepare (desk, "SELECT ticket FROM sync_tickets WHERE login = '" PERM_MANAGER_A "'", &error);
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  ticket = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  forged = g_strdup_printf ("{\"ticket\": \"%s\", \"profiles\": [\"eleve\"], \"classes\": [\"4C\"],"
                            " \"establishment\": \"" PERM_UAI_A "\", \"subject\": \"Forgé\"}", ticket);
  body = g_bytes_new (forged, strlen (forged));
  answer = sesame_sync_client_request (desk, "POST", "/api/v1/campaigns", body, &status, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (status, ==, 403);
  g_clear_pointer (&answer, g_bytes_unref);

  /* Nor without a ticket at all. */
  g_clear_pointer (&body, g_bytes_unref);
  body = g_bytes_new_static ("{\"profiles\": [\"eleve\"]}", strlen ("{\"profiles\": [\"eleve\"]}"));
  answer = sesame_sync_client_request (desk, "POST", "/api/v1/campaigns", body, &status, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (status, ==, 403);

  /* sesamectl says the same, and nothing was recorded or sent. */
  ctl (a, PERM_MANAGER_A, &run, "diffusion", "send", "--profile", "eleve", "--class", "4C", NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_cmpint (count_rows (fixture->server.store_path, "SELECT COUNT (*) FROM campaigns"), ==, 0);
  g_assert_cmpuint (sesame_test_smtp_server_count (fixture->smtp), ==, 0);
}

static void
test_unreachable (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *a = join (fixture, "Secrétariat");
  g_auto(SesameTestRun) sign_in = { 0 };
  g_auto(SesameTestRun) send = { 0 };

  ctl (a, ADMIN, &sign_in, "audit", "--mine", NULL);
  g_assert_cmpint (sign_in.status, ==, 0);
  sesame_test_server_stop (&fixture->server);

  ctl (a, ADMIN, &send, "diffusion", "send", "--profile", "eleve", "--class", "4C",
       "--establishment", PERM_UAI_A, NULL);
  g_assert_cmpint (send.status, ==, 2);
  g_assert_nonnull (strstr (send.err, "cannot be reached"));
  g_assert_nonnull (strstr (send.err, "email campaigns are sent by the server"));
  /* Nothing was recorded or sent behind the server's back. */
  g_assert_cmpint (count_rows (a, "SELECT COUNT (*) FROM campaigns"), ==, 0);
  g_assert_cmpuint (sesame_test_smtp_server_count (fixture->smtp), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  sesame_test_init (&argc, &argv);

#define ADD(path, data, func) \
  g_test_add (path, Fixture, data, fixture_set_up, func, fixture_tear_down)
  ADD ("/sesame/server-campaigns/send-through-server", NULL, test_send_through_server);
  ADD ("/sesame/server-campaigns/cancel-and-resume", "--delay-rcpt", test_cancel_and_resume);
  ADD ("/sesame/server-campaigns/manager-refused", NULL, test_manager_refused);
  ADD ("/sesame/server-campaigns/unreachable", NULL, test_unreachable);
#undef ADD

  return g_test_run ();
}

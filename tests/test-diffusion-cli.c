/* test-diffusion-cli.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `sesamectl smtp` / `sesamectl diffusion`, through the real sesamectl,
 * against a real SMTP server on localhost, the mail server's password in
 * the keyring and nowhere else. Runs inside its own
 * session bus with gnome-keyring-daemon (tests/run-with-keyring.sh).
 */
#define _GNU_SOURCE
#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <sqlite3.h>
#include <string.h>

#include "sesame-accounts-private.h"
#include "sesame-mail-message.h"
#include "sesame-secrets.h"
#include "sesame-store-private.h"
#include "sesame-test-ctl.h"
#include "sesame-test-fixture.h"
#include "sesame-test-smtp.h"
#include "sesame-test-util.h"

#define ENT_URL "https://ent.example.org/auth"
#define N_PUPILS 30

typedef struct
{
  char                 *dir;
  char                 *store_path;
  SesameStore          *store;
  SesameTestSmtpServer *server;
  GString              *transcript;   /* everything sesamectl printed */
  gboolean              debug;        /* with every debug message */
  gboolean              french;       /* under a French locale */
} Fixture;

typedef SesameTestRun Run;

/* The environment of the fixture's sesamectl: NAME, VALUE pairs. */
static GPtrArray *
ctl_env (Fixture *fixture)
{
  GPtrArray *env = g_ptr_array_new ();

  if (fixture->server != NULL)
    {
      g_ptr_array_add (env, (char *) "SESAME_SMTP_CA_FILE");
      g_ptr_array_add (env, fixture->server->cert);
    }
  /* Every debug message too, to prove the password is in none (GLib prints
   * them on stdout, so not where JSON is read). */
  if (fixture->debug)
    {
      g_ptr_array_add (env, (char *) "G_MESSAGES_DEBUG");
      g_ptr_array_add (env, (char *) "all");
    }
  if (fixture->french)
    {
      g_ptr_array_add (env, (char *) "LC_ALL");
      g_ptr_array_add (env, (char *) "fr_FR.UTF-8");
      g_ptr_array_add (env, (char *) "LANGUAGE");
      g_ptr_array_add (env, (char *) "fr");
    }
  g_ptr_array_add (env, NULL);
  return env;
}

static GSubprocessLauncher *
make_launcher (Fixture        *fixture,
               GSubprocessFlags flags)
{
  GSubprocessLauncher *launcher = g_subprocess_launcher_new (flags);
  g_autoptr(GPtrArray) env = ctl_env (fixture);

  for (guint i = 0; env->pdata[i] != NULL; i += 2)
    g_subprocess_launcher_setenv (launcher, env->pdata[i], env->pdata[i + 1], TRUE);
  return launcher;
}

/* Runs sesamectl --store STORE [--as OPERATOR] ARGS… with INPUT on stdin. */
static void
run_ctl (Fixture    *fixture,
         Run        *run,
         const char *operator,
         const char *input,
         ...)
{
  g_autoptr(GPtrArray) env = ctl_env (fixture);
  SesameTestCtl ctl = { .store = fixture->store_path, .operator = operator, .input = input,
                        .env = (const char * const *) env->pdata };
  const char *first;
  va_list ap;

  va_start (ap, input);
  first = va_arg (ap, const char *);
  va_end (ap);
  va_start (ap, input);
  sesame_test_ctl_run_va (&ctl, run, ap);
  va_end (ap);
  g_string_append (fixture->transcript, run->out);
  g_string_append (fixture->transcript, run->err);
  g_test_message ("sesamectl %s → %d\n%s%s", operator != NULL ? "--as" : first, run->status, run->out, run->err);
}

static void
exec_sql (SesameStore *store,
          const char  *sql)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (_sesame_store_exec (store, sql, &error));
  g_assert_no_error (error);
}

/* The fixture's school, and a class 4C of thirty pupils with addresses. */
static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = sesame_test_make_tmpdir ();
  fixture->store = sesame_test_fixture_store (fixture->dir);
  fixture->store_path = g_strdup (sesame_store_get_path (fixture->store));
  fixture->transcript = g_string_new (NULL);

  g_assert_true (_sesame_store_begin (fixture->store, &error));
  for (guint i = 0; i < N_PUPILS; i++)
    {
      g_autofree char *key = g_strdup_printf ("C%02u", i);
      g_autofree char *first = g_strdup_printf ("Élève%02u", i);
      char *sql = sqlite3_mprintf ("INSERT INTO persons (key, kind, profile, last_name, first_name, structure, email, first_seen_at)"
                                   " VALUES (%Q, 'Eleve', 1, 'Quatrième', %Q, '52006', 'eleve%02u@example.org', 0);"
                                   "INSERT INTO memberships (person_key, structure, kind, code) VALUES (%Q, '52006', 'class', '4C');",
                                   key, first, i, key);

      exec_sql (fixture->store, sql);
      sqlite3_free (sql);
      g_assert_true (_sesame_accounts_create (fixture->store, NULL, key, SESAME_PROFILE_ELEVE, first, "Quatrième",
                                              NULL, &error));
      g_assert_no_error (error);
    }
  g_assert_true (_sesame_store_commit (fixture->store, &error));
  g_assert_true (sesame_store_settings_set (fixture->store, SESAME_SETTING_ENT_URL, ENT_URL, &error));
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_pointer (&fixture->server, sesame_test_smtp_server_free);
  g_clear_object (&fixture->store);
  sesame_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->store_path);
  g_string_free (fixture->transcript, TRUE);
}

static void
start_server (Fixture    *fixture,
              const char *password,
              const char *extra)
{
  fixture->server = sesame_test_smtp_server_start ("--user", SESAME_TEST_SMTP_USER, "--password", password,
                                                   extra ? "--delay-rcpt" : NULL, extra, NULL);
}

/* sesamectl smtp set towards the test server, the password on stdin. */
static void
set_smtp (Fixture    *fixture,
          const char *password)
{
  g_auto(SesameTestRun) run = { 0 };
  g_autofree char *port = g_strdup_printf ("%u", fixture->server->port);
  g_autofree char *input = g_strdup_printf ("%s\n", password);

  run_ctl (fixture, &run, NULL, input, "smtp", "set", "--host", "127.0.0.1", "--port", port,
           "--security", "starttls", "--user", SESAME_TEST_SMTP_USER,
           "--from", "ce.0740017s@ac-grenoble.example.org", "--from-name", "Collège Les Aravis",
           "--rate", "0", NULL);
  g_assert_cmpint (run.status, ==, 0);
}

static gboolean
file_contains (const char *path,
               const char *needle)
{
  g_autofree char *contents = NULL;
  gsize len;

  if (!g_file_get_contents (path, &contents, &len, NULL))
    return FALSE;
  return memmem (contents, len, needle, strlen (needle)) != NULL;
}

static void
assert_tree_lacks (const char *path,
                   const char *needle)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (!g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_test_message ("checking %s", path);
      g_assert_false (file_contains (path, needle));
      return;
    }
  dir = g_dir_open (path, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      assert_tree_lacks (child, needle);
    }
}

static void
test_password_nowhere (Fixture       *fixture,
                       gconstpointer  data)
{
  g_auto(SesameTestRun) run = { 0 };
  g_autofree char *wal = g_strconcat (fixture->store_path, "-wal", NULL);
  const char *password = SESAME_TEST_SMTP_PASSWORD;

  fixture->debug = TRUE;
  start_server (fixture, password, NULL);
  set_smtp (fixture, password);

  /* The password works: it came from the keyring. */
  run_ctl (fixture, &run, NULL, NULL, "smtp", "show", "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "\"password_in_keyring\" : true"));
  sesame_test_run_clear (&run);
  run_ctl (fixture, &run, NULL, NULL, "smtp", "test", "--to", "helene.roche@example.org", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "was accepted: 250 "));
  sesame_test_run_clear (&run);
  run_ctl (fixture, &run, NULL, NULL, "diffusion", "send", "--profile", "parent", "--subject", "Vos identifiants", NULL);
  g_assert_cmpint (run.status, ==, 0);
  sesame_test_run_clear (&run);
  run_ctl (fixture, &run, NULL, NULL, "audit", "--json", "--limit", "1000", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "smtp-host"));
  g_assert_cmpuint (sesame_test_smtp_server_count (fixture->server), ==, 3); /* test, Marie, Nathalie */

  /* The password is in no file of the store (nor its journal), no settings
   * file, and nothing sesamectl printed, debug messages included. */
  g_assert_true (g_file_test (wal, G_FILE_TEST_EXISTS));
  g_assert_false (file_contains (fixture->store_path, password));
  g_assert_false (file_contains (wal, password));
  assert_tree_lacks (fixture->dir, password);
  assert_tree_lacks (g_get_user_config_dir (), password);
  assert_tree_lacks (g_get_user_data_dir (), password);
  g_assert_null (strstr (fixture->transcript->str, password));
  g_assert_nonnull (strstr (fixture->transcript->str, "sesame-smtp")); /* the debug log was on */
  {
    g_auto(SesameTestRun) dump = { 0 };

    run_ctl (fixture, &dump, NULL, NULL, "diffusion", "list", "--json", NULL);
    g_assert_null (strstr (dump.out, password));
  }

  /* A wrong password in the keyring: refused, in words for the office. */
  set_smtp (fixture, "a wrong one");
  sesame_test_run_clear (&run);
  run_ctl (fixture, &run, NULL, NULL, "smtp", "test", "--to", "helene.roche@example.org", NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "refused the user name or the password (535"));
  g_assert_null (strstr (run.err, "a wrong one"));
}

static char *
campaign_id_from_list (Fixture *fixture)
{
  g_auto(SesameTestRun) run = { 0 };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonArray *campaigns;

  run_ctl (fixture, &run, NULL, NULL, "diffusion", "list", "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (json_parser_load_from_data (parser, run.out, -1, &error));
  campaigns = json_node_get_array (json_parser_get_root (parser));
  g_assert_cmpuint (json_array_get_length (campaigns), ==, 1);
  return g_strdup (json_object_get_string_member (json_array_get_object_element (campaigns, 0), "id"));
}

/* A campaign killed with SIGKILL half way, then resumed: every pupil gets
 * the message exactly once. */
static void
test_sigkill_resume (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GPtrArray) argv = NULL;
  g_autoptr(GPtrArray) received = NULL;
  g_autoptr(GPtrArray) uncertain = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_auto(SesameTestRun) run = { 0 };
  g_autofree char *id = NULL;
  JsonArray *recipients;
  guint before_kill;

  /* Each recipient takes a tenth of a second: time to kill it. */
  start_server (fixture, SESAME_TEST_SMTP_PASSWORD, "0.1");
  set_smtp (fixture, SESAME_TEST_SMTP_PASSWORD);

  launcher = make_launcher (fixture, G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  argv = g_ptr_array_new ();
  g_ptr_array_add (argv, (char *) g_getenv ("SESAMECTL"));
  g_ptr_array_add (argv, (char *) "--store");
  g_ptr_array_add (argv, fixture->store_path);
  g_ptr_array_add (argv, (char *) "diffusion");
  g_ptr_array_add (argv, (char *) "send");
  g_ptr_array_add (argv, (char *) "--profile");
  g_ptr_array_add (argv, (char *) "eleve");
  g_ptr_array_add (argv, (char *) "--class");
  g_ptr_array_add (argv, (char *) "4C");
  g_ptr_array_add (argv, NULL);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);

  g_assert_true (sesame_test_smtp_server_wait_count (fixture->server, 8, 30000));
  g_subprocess_send_signal (process, SIGKILL);
  g_assert_true (g_subprocess_wait (process, NULL, &error));
  g_assert_true (g_subprocess_get_if_signaled (process));
  g_assert_cmpint (g_subprocess_get_term_sig (process), ==, SIGKILL);
  before_kill = sesame_test_smtp_server_count (fixture->server);
  g_assert_cmpuint (before_kill, <, N_PUPILS);

  /* The campaign shows it was cut off. */
  id = campaign_id_from_list (fixture);
  run_ctl (fixture, &run, NULL, NULL, "diffusion", "show", id, "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "\"state\" : \"interrupted\""));
  sesame_test_run_clear (&run);

  run_ctl (fixture, &run, NULL, NULL, "diffusion", "resume", id, "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "\"state\" : \"finished\""));
  sesame_test_run_clear (&run);

  /* Where each pupil stands, from the store. */
  run_ctl (fixture, &run, NULL, NULL, "diffusion", "show", id, "--json", NULL);
  g_assert_true (json_parser_load_from_data (parser, run.out, -1, &error));
  recipients = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "recipients");
  g_assert_cmpuint (json_array_get_length (recipients), ==, N_PUPILS);
  for (guint i = 0; i < json_array_get_length (recipients); i++)
    {
      JsonObject *r = json_array_get_object_element (recipients, i);
      const char *state = json_object_get_string_member (r, "state");

      if (g_str_equal (state, "uncertain"))
        g_ptr_array_add (uncertain, g_strdup (json_object_get_string_member (r, "address")));
      else
        g_assert_cmpstr (state, ==, "sent");
    }
  /* At most the one message in flight when the process died. */
  g_assert_cmpuint (uncertain->len, <=, 1);

  /* Nobody twice; everybody once but a message cut off after the server
   * had it, which arrived at most once. */
  received = sesame_test_smtp_server_recipients (fixture->server);
  for (guint i = 1; i < received->len; i++)
    g_assert_cmpstr (g_ptr_array_index (received, i - 1), !=, g_ptr_array_index (received, i));
  for (guint i = 0; i < N_PUPILS; i++)
    {
      g_autofree char *address = g_strdup_printf ("eleve%02u@example.org", i);
      gboolean got = g_ptr_array_find_with_equal_func (received, address, g_str_equal, NULL);

      if (!g_ptr_array_find_with_equal_func (uncertain, address, g_str_equal, NULL))
        g_assert_true (got);
    }
  g_assert_cmpuint (received->len, >=, N_PUPILS - uncertain->len);
}

static void
test_diffusion_commands (Fixture       *fixture,
                         gconstpointer  data)
{
  g_auto(SesameTestRun) run = { 0 };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *report = g_build_filename (fixture->dir, "bilan.csv", NULL);
  g_autofree char *without = g_build_filename (fixture->dir, "sans-adresse.csv", NULL);
  g_autofree char *text_file = g_build_filename (fixture->dir, "texte.txt", NULL);
  g_autofree char *contents = NULL;
  JsonObject *object;

  start_server (fixture, SESAME_TEST_SMTP_PASSWORD, NULL);
  set_smtp (fixture, SESAME_TEST_SMTP_PASSWORD);
  g_assert_true (g_file_set_contents (text_file, "Réunion le 12 septembre.\n", -1, NULL));

  /* Dry run: counts and one real message, nothing sent or recorded. */
  run_ctl (fixture, &run, NULL, NULL, "diffusion", "send", "--profile", "eleve", "--profile", "parent",
           "--class", "6A", "--text-file", text_file, "--dry-run", "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (json_parser_load_from_data (parser, run.out, -1, &error));
  object = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpint (json_object_get_int_member (object, "with_address"), ==, 1);    /* Marie */
  g_assert_cmpint (json_object_get_int_member (object, "without_address"), ==, 3); /* Éloïse, Jean, Paul */
  g_assert_cmpstr (json_object_get_string_member (object, "subject"), ==, "Your ENT login details");
  g_assert_nonnull (strstr (json_object_get_string_member (object, "preview"), "Réunion le 12 septembre."));
  g_assert_cmpuint (sesame_test_smtp_server_count (fixture->server), ==, 0);
  sesame_test_run_clear (&run);
  run_ctl (fixture, &run, NULL, NULL, "diffusion", "list", "--json", NULL);
  g_assert_cmpstr (g_strstrip (run.out), ==, "[]");
  sesame_test_run_clear (&run);

  /* Refusals: academy staff, an unknown profile, a subject on two lines, a
   * teacher. */
  run_ctl (fixture, &run, NULL, NULL, "diffusion", "send", "--profile", "enseignant", NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "academy staff"));
  sesame_test_run_clear (&run);
  run_ctl (fixture, &run, NULL, NULL, "diffusion", "send", "--profile", "eleves", NULL);
  g_assert_cmpint (run.status, ==, 2);
  sesame_test_run_clear (&run);
  run_ctl (fixture, &run, NULL, NULL, "diffusion", "send", "--profile", "parent", "--subject", "Vos\nidentifiants", NULL);
  g_assert_cmpint (run.status, ==, 2);
  sesame_test_run_clear (&run);
  run_ctl (fixture, &run, "luc.bernard", NULL, "diffusion", "send", "--profile", "parent", NULL);
  g_assert_cmpint (run.status, ==, 1);
  sesame_test_run_clear (&run);
  run_ctl (fixture, &run, "luc.bernard", "x\n", "smtp", "set", "--host", "smtp.example.org", "--from", "a@example.org", NULL);
  g_assert_cmpint (run.status, ==, 1);
  sesame_test_run_clear (&run);
  run_ctl (fixture, &run, NULL, "x\n", "smtp", "set", "--host", "smtp.example.org", "--security", "none",
           "--from", "a@example.org", NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "must be encrypted"));
  sesame_test_run_clear (&run);

  /* The real thing, for parents. */
  run_ctl (fixture, &run, NULL, NULL, "diffusion", "send", "--profile", "parent", "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (json_parser_load_from_data (parser, run.out, -1, &error));
  object = json_node_get_object (json_parser_get_root (parser));
  id = g_strdup (json_object_get_string_member (object, "id"));
  g_assert_cmpstr (json_object_get_string_member (object, "state"), ==, "finished");
  object = json_object_get_object_member (object, "counts");
  g_assert_cmpint (json_object_get_int_member (object, "sent"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (object, "no_address"), ==, 2);
  sesame_test_run_clear (&run);

  run_ctl (fixture, &run, NULL, NULL, "diffusion", "list", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, id));
  sesame_test_run_clear (&run);

  run_ctl (fixture, &run, NULL, NULL, "diffusion", "report", id, "--output", report, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_file_get_contents (report, &contents, NULL, NULL));
  g_assert_nonnull (strstr (contents, "marie.dupont;Dupont;Marie;Parent;marie.dupont@example.org;Sent;250 "));
  g_clear_pointer (&contents, g_free);
  sesame_test_run_clear (&run);

  run_ctl (fixture, &run, NULL, NULL, "diffusion", "without-email", id, "--output", without, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_file_get_contents (without, &contents, NULL, NULL));
  g_assert_nonnull (strstr (contents, "paul.dupont;Dupont;Paul;Parent;6A;0740017S;3 rue des Écoles;74220;La Clusaz;FRANCE;"));
  g_assert_null (strstr (contents, "marie.dupont"));
  sesame_test_run_clear (&run);

  run_ctl (fixture, &run, NULL, NULL, "diffusion", "show", "not-a-campaign", NULL);
  g_assert_cmpint (run.status, ==, 1);
  sesame_test_run_clear (&run);

  /* Nothing left: resuming sends nothing more. */
  run_ctl (fixture, &run, NULL, NULL, "diffusion", "resume", id, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpuint (sesame_test_smtp_server_count (fixture->server), ==, 2);
}

/* The message in French, as the families receive it. */
static void
test_french (Fixture       *fixture,
             gconstpointer  data)
{
  g_auto(SesameTestRun) run = { 0 };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *object;
  const char *preview;

  if (!g_file_test ("/usr/lib/locale/fr_FR.utf8", G_FILE_TEST_IS_DIR) &&
      !g_file_test ("/usr/lib/locale/locale-archive", G_FILE_TEST_EXISTS))
    {
      g_test_skip ("No French locale on this machine");
      return;
    }
  fixture->french = TRUE;
  run_ctl (fixture, &run, NULL, NULL, "diffusion", "send", "--profile", "parent", "--establishment", "0740017S",
           "--dry-run", "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (json_parser_load_from_data (parser, run.out, -1, &error));
  object = json_node_get_object (json_parser_get_root (parser));
  if (!g_str_has_suffix (json_object_get_string_member (object, "subject"), "vos identifiants de connexion"))
    {
      g_test_skip ("The French translation is not built");
      return;
    }
  g_assert_cmpstr (json_object_get_string_member (object, "subject"), ==, "Collège Les Aravis - vos identifiants de connexion");
  preview = json_object_get_string_member (object, "preview");
  g_assert_true (g_str_has_prefix (preview, "Bonjour Marie DUPONT,\n"));
  g_assert_nonnull (strstr (preview, "Veuillez trouver ci-dessous"));
  g_assert_nonnull (strstr (preview, "Identifiant ENT : marie.dupont\n"));
  g_assert_nonnull (strstr (preview, "À réception de ce message, vous disposez de 60 jours pour initialiser votre mot de passe"));
  g_assert_nonnull (strstr (preview, "Si vous rencontrez des difficultés pour vous connecter, contactez votre administrateur auprès de votre établissement."));
  g_assert_nonnull (strstr (preview, "initialiser votre mot de passe :\n" ENT_URL "/activer?jeton=…\n"
                                     "(ce lien vous dirige vers la page de votre ENT où vous choisirez votre mot de passe)\n"));
  g_assert_true (g_str_has_suffix (preview, "Cordialement,\n\nCollège Les Aravis\n" ENT_URL "\n"));
}

/* The link carries a token: an ENT address over plain http is refused. */
static void
test_https_only (Fixture       *fixture,
                 gconstpointer  data)
{
  g_auto(SesameTestRun) run = { 0 };
  g_auto(SesameTestRun) again = { 0 };

  run_ctl (fixture, &run, NULL, NULL, "settings", "set", "ent-url", "http://ent.example.org/auth", NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "https://"));

  run_ctl (fixture, &again, NULL, NULL, "diffusion", "send", "--profile", "parent", "--establishment", "0740018T",
           "--dry-run", "--json", NULL);
  g_assert_cmpint (again.status, ==, 0);
  g_assert_nonnull (strstr (again.out, "\"with_address\" : 1"));
}

/* The operator's copy by email: on for oneself, sent after the password
 * is shown, never holding it; waiting when the server is away, sent later
 * with "notices send". */
static void
test_notices (Fixture       *fixture,
              gconstpointer  data)
{
  g_auto(SesameTestRun) set = { 0 };
  g_auto(SesameTestRun) reset = { 0 };
  g_auto(SesameTestRun) list = { 0 };
  g_auto(SesameTestRun) again = { 0 };
  g_auto(SesameTestRun) waiting = { 0 };
  g_auto(SesameTestRun) send = { 0 };
  g_autoptr(GPtrArray) log = NULL;
  g_autoptr(GMimeMessage) message = NULL;
  g_autofree char *password = NULL;
  g_autofree char *body = NULL;

  start_server (fixture, SESAME_TEST_SMTP_PASSWORD, NULL);
  set_smtp (fixture, SESAME_TEST_SMTP_PASSWORD);
  exec_sql (fixture->store, "UPDATE persons SET email = 'helene.roche@example.org' WHERE key ="
                            " (SELECT person_key FROM accounts WHERE login = 'helene.roche')");
  sesame_test_enrol_operator (fixture->store, "helene.roche");

  run_ctl (fixture, &set, "helene.roche", NULL, "notices", "set", "on", NULL);
  g_assert_cmpint (set.status, ==, 0);
  run_ctl (fixture, &reset, "helene.roche", NULL, "account", "reset-password", "zoe.martin", NULL);
  g_assert_cmpint (reset.status, ==, 0);
  password = g_strstrip (g_strdup (reset.out));
  g_assert_cmpuint (strlen (password), >=, 6);

  g_assert_cmpuint (sesame_test_smtp_server_count (fixture->server), ==, 1);
  log = sesame_test_smtp_server_read_log (fixture->server);
  message = sesame_test_smtp_server_parse (fixture->server,
                                           json_object_get_string_member (g_ptr_array_index (log, 0), "file"));
  g_assert_cmpstr (internet_address_mailbox_get_addr (INTERNET_ADDRESS_MAILBOX (
                     internet_address_list_get_address (g_mime_message_get_to (message), 0))), ==,
                   "helene.roche@example.org");
  body = g_mime_text_part_get_text (GMIME_TEXT_PART (g_mime_message_get_mime_part (message)));
  g_assert_nonnull (strstr (body, "(login: zoe.martin)"));
  g_assert_null (strstr (body, password));

  run_ctl (fixture, &list, "helene.roche", NULL, "notices", "list", "--json", NULL);
  g_assert_cmpint (list.status, ==, 0);
  g_assert_nonnull (strstr (list.out, "\"state\" : \"sent\""));

  /* The server away: the password is still given, the notice waits. */
  sesame_test_smtp_server_stop (fixture->server);
  run_ctl (fixture, &again, "helene.roche", NULL, "account", "reset-password", "zoe.martin", NULL);
  g_assert_cmpint (again.status, ==, 0);
  g_assert_cmpuint (strlen (again.out), >, 6);
  g_assert_nonnull (strstr (again.err, "Warning: "));
  run_ctl (fixture, &waiting, "helene.roche", NULL, "notices", "list", "--json", NULL);
  g_assert_nonnull (strstr (waiting.out, "\"state\" : \"pending\""));

  sesame_test_smtp_server_restart (fixture->server, "--user", SESAME_TEST_SMTP_USER,
                                   "--password", SESAME_TEST_SMTP_PASSWORD, NULL);
  run_ctl (fixture, &send, "helene.roche", NULL, "notices", "send", NULL);
  g_assert_cmpint (send.status, ==, 0);
  g_assert_nonnull (strstr (send.err, "1 notice sent."));
}

int
main (int   argc,
      char *argv[])
{
  sesame_test_init (&argc, &argv);
  sesame_mail_init ();

  g_test_add ("/sesame/secrets/password-nowhere", Fixture, NULL, fixture_set_up, test_password_nowhere, fixture_tear_down);
  g_test_add ("/sesame/diffusion-cli/commands", Fixture, NULL, fixture_set_up, test_diffusion_commands, fixture_tear_down);
  g_test_add ("/sesame/diffusion-cli/notices", Fixture, NULL, fixture_set_up, test_notices, fixture_tear_down);
  g_test_add ("/sesame/diffusion-cli/https-only", Fixture, NULL, fixture_set_up, test_https_only, fixture_tear_down);
  g_test_add ("/sesame/diffusion-cli/french", Fixture, NULL, fixture_set_up, test_french, fixture_tear_down);
  g_test_add ("/sesame/diffusion-cli/sigkill-resume", Fixture, NULL, fixture_set_up, test_sigkill_resume, fixture_tear_down);

  return g_test_run ();
}

/* test-store-processes.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One store file, several connections and several processes: the window
 * keeps connections open while sesamectl runs beside it, and an import
 * holds a long write transaction while the desk goes on searching. These
 * tests run the real sesamectl and a helper that uses the store as the
 * window does (store-holder), and check that no process ever loses or hides
 * another's writes, that readers are never blocked, and that a busy store
 * tells the user to try again.
 */
#include "config.h"

#include <json-glib/json-glib.h>
#include <signal.h>
#include <sqlite3.h>
#include <string.h>

#include "sesame-credentials-private.h"
#include "sesame.h"
#include "sesame-accounts-private.h"
#include "sesame-store-private.h"
#include "sesame-test-ctl.h"
#include "sesame-test-fixture.h"
#include "sesame-test-util.h"

typedef SesameTestFixture Fixture;

typedef SesameTestRun Run;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  sesame_test_fixture_set_up (fixture, data);
  /* The head of establishment signs in with --as in some rounds. */
  sesame_test_enrol_operator (fixture->store, "helene.roche");
  sesame_test_fixture_close (fixture);
}

static GSubprocess *
spawn_ctlv (const char          *store_path,
            const char * const  *args)
{
  SesameTestCtl ctl = { .store = store_path };

  return sesame_test_ctl_spawnv (&ctl, args);
}

/* Waits for a sesamectl started at START (monotonic time). */
static void
finish_ctl (GSubprocess *process,
            gint64       start,
            const char  *input,
            Run         *run)
{
  SesameTestCtl ctl = { .input = input };

  sesame_test_ctl_finish (&ctl, process, start, run);
}

static guint
count_json_array (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonNode *root;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  root = json_parser_get_root (parser);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (root));
  return json_array_get_length (json_node_get_array (root));
}

static guint
count_rows (SesameStore *store,
            const char  *sql)
{
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt = _sesame_store_prepare (store, sql, &error);
  guint n;

  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int (stmt, 0);
  sqlite3_reset (stmt);
  return n;
}

static void
assert_integrity (SesameStore *store)
{
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt = _sesame_store_prepare (store, "PRAGMA integrity_check", &error);

  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "ok");
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_reset (stmt);
}

static char *
first_password (SesameStore *store,
                const char  *key)
{
  return _sesame_credentials_dup_first_password (store, key);
}

#define ROUNDS 200

/* The window holds two connections for its whole life and opens one more
 * per background job; meanwhile sesamectl opens, reads, writes and closes
 * the store again and again. Every write must be visible at once to every
 * other process and connection, the store must stay whole, and the audit
 * trail must hold every action. */
static void
test_shared_with_window (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(SesameStore) store = NULL;
  g_autoptr(SesameStore) second = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *pupil = NULL;
  g_autofree char *other = NULL;
  Run run = { 0 };
  guint audit_before;
  gint64 start = g_get_monotonic_time ();

  store = sesame_store_open (fixture->store_path, &error);
  g_assert_no_error (error);
  second = sesame_store_dup (store, &error);
  g_assert_no_error (error);
  audit_before = count_rows (store, "SELECT count(*) FROM audit");

  for (guint round = 0; round < ROUNDS; round++)
    {
      g_autoptr(SesameStore) job = NULL;
      g_autofree char *written = NULL;
      g_autofree char *seen = NULL;
      g_autofree char *seen_second = NULL;

      const char * const search_args[] = { "search", "dupont", "--json", NULL };
      g_autoptr(GSubprocess) searcher = NULL;
      gint64 search_start = g_get_monotonic_time ();
      Run search = { 0 };

      /* Every other round, a reader opens and closes the store while the
       * rest goes on. */
      if (round % 2 == 0)
        searcher = spawn_ctlv (fixture->store_path, search_args);

      /* Another process writes: this process sees it at once, on both
       * of its connections. */
      sesame_test_ctl_run_on (fixture->store_path, NULL, NULL, &run, "account", "reset-password", "zoe.martin", NULL);
      g_assert_cmpint (run.status, ==, 0);
      written = g_strdup (g_strstrip (run.out));
      seen = first_password (store, "P3");
      seen_second = first_password (second, "P3");
      g_assert_cmpstr (seen, ==, written);
      g_assert_cmpstr (seen_second, ==, written);

      /* This process writes on a connection of a background job, as the
       * window does; another process reads it at once. */
      job = sesame_store_dup (store, &error);
      g_assert_no_error (error);
      g_free (written);
      written = sesame_accounts_reset_password (job, "jean.dupont", &error);
      g_assert_no_error (error);
      g_clear_object (&job);

      sesame_test_ctl_run_on (fixture->store_path, NULL, NULL, &run, "audit", "--json", "--limit", "100000", NULL);
      g_assert_cmpint (run.status, ==, 0);
      g_assert_cmpuint (count_json_array (run.out), ==, 2 * (round + 1) + audit_before);
      g_free (seen);
      seen = first_password (second, "P2");
      g_assert_cmpstr (seen, ==, written);

      if (searcher != NULL)
        {
          finish_ctl (searcher, search_start, NULL, &search);
          g_assert_cmpint (search.status, ==, 0);
          g_assert_cmpuint (count_json_array (search.out), ==, 6);
          sesame_test_run_clear (&search);
        }

      if (round % 20 == 19)
        assert_integrity (second);
    }

  assert_integrity (store);
  g_assert_cmpuint (count_rows (store, "SELECT count(*) FROM audit WHERE action = 'reset-password' AND target = 'zoe.martin'"),
                    ==, ROUNDS);
  g_assert_cmpuint (count_rows (store, "SELECT count(*) FROM audit WHERE action = 'reset-password' AND target = 'jean.dupont'"),
                    ==, ROUNDS);
  g_assert_cmpuint (count_rows (store, "SELECT count(*) FROM credentials WHERE person_key IN ('P2', 'P3')"),
                    >=, 2 * ROUNDS);
  g_test_message ("%u rounds in %.1f s", ROUNDS, (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC);

  /* And once everyone has closed, the file alone holds it all. */
  pupil = first_password (store, "P3");
  other = first_password (store, "P2");
  g_clear_object (&second);
  g_assert_finalize_object (g_steal_pointer (&store));
  store = sesame_store_open (fixture->store_path, &error);
  g_assert_no_error (error);
  assert_integrity (store);
  g_assert_cmpuint (count_rows (store, "SELECT count(*) FROM audit"), ==, 2 * ROUNDS + audit_before);
  {
    g_autofree char *again = first_password (store, "P3");
    g_autofree char *again_other = first_password (store, "P2");

    g_assert_cmpstr (again, ==, pupil);
    g_assert_cmpstr (again_other, ==, other);
  }
  sesame_test_run_clear (&run);
}

typedef struct
{
  GSubprocess      *process;
  GDataInputStream *out;
  GOutputStream    *in;
} Holder;

static void
holder_start (Holder     *holder,
              const char *store_path)
{
  g_autofree char *exe = g_test_build_filename (G_TEST_BUILT, "store-holder", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;

  holder->process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE,
                                      &error, exe, store_path, NULL);
  g_assert_no_error (error);
  holder->out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (holder->process));
  holder->in = g_subprocess_get_stdin_pipe (holder->process);
  line = g_data_input_stream_read_line_utf8 (holder->out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (line, ==, "ready");
}

static char *
holder_ask (Holder     *holder,
            const char *command)
{
  g_autofree char *text = g_strconcat (command, "\n", NULL);
  g_autoptr(GError) error = NULL;
  char *line;

  g_output_stream_write_all (holder->in, text, strlen (text), NULL, NULL, &error);
  g_assert_no_error (error);
  line = g_data_input_stream_read_line_utf8 (holder->out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  return line;
}

static void
holder_kill (Holder *holder)
{
  g_autoptr(GError) error = NULL;

  g_subprocess_send_signal (holder->process, SIGKILL);
  g_subprocess_wait (holder->process, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_signaled (holder->process));
  g_assert_cmpint (g_subprocess_get_term_sig (holder->process), ==, SIGKILL);
  g_clear_object (&holder->out);
  g_clear_object (&holder->process);
}

/* A desk that wrote, while sesamectl opened and closed the store beside
 * it, then died without closing: nothing it committed is lost. */
static void
test_killed_loses_nothing (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(SesameStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *pupil = NULL;
  g_autofree char *other = NULL;
  Holder holder = { 0 };
  Run run = { 0 };

  holder_start (&holder, fixture->store_path);
  for (guint round = 0; round < 10; round++)
    {
      g_autofree char *seen = NULL;

      g_free (pupil);
      pupil = holder_ask (&holder, "reset zoe.martin");
      sesame_test_ctl_run_on (fixture->store_path, NULL, NULL, &run, "search", "martin", NULL);
      g_assert_cmpint (run.status, ==, 0);
      g_free (other);
      other = holder_ask (&holder, "reset jean.dupont");
      sesame_test_ctl_run_on (fixture->store_path, NULL, NULL, &run, "account", "show", "jean.dupont", NULL);
      g_assert_cmpint (run.status, ==, 0);

      /* The holder sees what another process wrote. */
      sesame_test_ctl_run_on (fixture->store_path, NULL, NULL, &run, "account", "reset-password", "eloise.dupont", NULL);
      g_assert_cmpint (run.status, ==, 0);
      seen = holder_ask (&holder, "show eloise.dupont");
      g_assert_cmpstr (seen, ==, g_strstrip (run.out));
    }
  /* What the issue saw: a password the desk regenerates is accepted by
   * another process at once, not only once the desk quits. */
  {
    g_autofree char *password = holder_ask (&holder, "reset anne-sophie.dalmeida");
    g_autofree char *input = g_strconcat (password, "\n", NULL);

    sesame_test_ctl_run_on (fixture->store_path, NULL, input, &run, "account", "authenticate", "anne-sophie.dalmeida", NULL);
    g_assert_cmpint (run.status, ==, 0);
  }
  holder_kill (&holder);

  store = sesame_store_open (fixture->store_path, &error);
  g_assert_no_error (error);
  assert_integrity (store);
  {
    g_autofree char *kept = first_password (store, "P3");
    g_autofree char *kept_other = first_password (store, "P2");

    g_assert_cmpstr (kept, ==, pupil);
    g_assert_cmpstr (kept_other, ==, other);
  }
  g_assert_cmpuint (count_rows (store, "SELECT count(*) FROM audit WHERE action = 'reset-password'"), ==, 31);
  g_assert_cmpuint (count_rows (store, "SELECT count(*) FROM accounts WHERE person_key = 'P4' AND first_sign_in_at IS NOT NULL"), ==, 1);
  sesame_test_run_clear (&run);
}

/* The store's own files named as directory files are refused before they
 * are opened: reading them would drop the importing process's locks on
 * the store while the window holds it too. */
static void
test_import_of_the_store (Fixture       *fixture,
                          gconstpointer  data)
{
  static const char * const suffixes[] = { "", "-wal", "-shm" };
  Holder holder = { 0 };
  Run run = { 0 };

  holder_start (&holder, fixture->store_path);
  g_free (holder_ask (&holder, "reset zoe.martin"));

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *input = g_strconcat (fixture->store_path, suffixes[i], NULL);

      g_assert_true (g_file_test (input, G_FILE_TEST_EXISTS));
      sesame_test_ctl_run_on (fixture->store_path, NULL, NULL, &run, "import", input, NULL);
      g_assert_cmpint (run.status, ==, 2);
      g_assert_nonnull (strstr (run.err, "is the store itself"));
    }
  /* The desk's write-ahead log is still the one everybody uses. */
  {
    g_autofree char *password = holder_ask (&holder, "reset jean.dupont");
    g_autofree char *input = g_strconcat (password, "\n", NULL);

    sesame_test_ctl_run_on (fixture->store_path, NULL, input, &run, "account", "authenticate", "jean.dupont", NULL);
    g_assert_cmpint (run.status, ==, 0);
  }
  holder_kill (&holder);
  sesame_test_run_clear (&run);
}

/* A long write transaction, as an import holds; the store's busy timeout
 * is 10 s. */
static sqlite3 *
hold_write_lock (const char *store_path)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (store_path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db,
                                 "BEGIN IMMEDIATE;"
                                 "INSERT INTO meta (key, value) VALUES ('held-by-test', 'import');",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  return db;
}

static void
release_write_lock (sqlite3 *db)
{
  g_assert_cmpint (sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

/* While an import writes, every command that only reads answers at once;
 * a command that writes waits, then says the store is busy and to try
 * again, with exit status 1 (2 is for bad usage or bad input). */
static void
test_readers_not_blocked (Fixture       *fixture,
                          gconstpointer  data)
{
  static const char * const readers[][7] = {
    { "search", "dupont", NULL },
    { "search", "--class", "6A", "--json", NULL },
    { "--as", "helene.roche", "search", "martin", NULL },
    { "account", "show", "zoe.martin", NULL },
    { "account", "show", "zoe.martin", "--json", NULL },
    { "files", "list", "--json", NULL },
    { "roles", "list", "--json", NULL },
    { "audit", "--json", NULL },
    { "settings", "list", "--json", NULL },
    { "smtp", "show", "--json", NULL },
    { "diffusion", "list", "--json", NULL },
  };
  /* Unknown campaigns: "not found" at once, not "busy" ten seconds later. */
  static const char * const not_found[][7] = {
    { "account", "show", "no.body", NULL },
    { "diffusion", "show", "00000000-0000-7000-8000-000000000000", NULL },
    { "diffusion", "report", "00000000-0000-7000-8000-000000000000", "--output", "report.csv", NULL },
    { "diffusion", "without-email", "00000000-0000-7000-8000-000000000000", "--output", "without.csv", NULL },
  };
  const char * const writer_args[] = { "account", "reset-password", "zoe.martin", NULL };
  g_autoptr(GSubprocess) writer = NULL;
  gint64 writer_start;
  sqlite3 *lock;
  Run run = { 0 };

  lock = hold_write_lock (fixture->store_path);
  writer_start = g_get_monotonic_time ();
  writer = spawn_ctlv (fixture->store_path, writer_args);

  for (guint i = 0; i < G_N_ELEMENTS (readers); i++)
    {
      g_autoptr(GSubprocess) process = NULL;
      g_autofree char *line = g_strjoinv (" ", (char **) readers[i]);
      gint64 start = g_get_monotonic_time ();

      process = spawn_ctlv (fixture->store_path, readers[i]);
      finish_ctl (process, start, NULL, &run);
      g_test_message ("sesamectl %s: %.2f s, exit %d", line, run.seconds, run.status);
      if (run.status != 0)
        g_printerr ("%s\n", run.err);
      g_assert_cmpint (run.status, ==, 0);
      g_assert_cmpfloat (run.seconds, <, 3.0);
    }
  for (guint i = 0; i < G_N_ELEMENTS (not_found); i++)
    {
      g_autoptr(GSubprocess) process = NULL;
      g_autofree char *line = g_strjoinv (" ", (char **) not_found[i]);
      gint64 start = g_get_monotonic_time ();

      process = spawn_ctlv (fixture->store_path, not_found[i]);
      finish_ctl (process, start, NULL, &run);
      g_test_message ("sesamectl %s: %.2f s, exit %d", line, run.seconds, run.status);
      g_assert_cmpint (run.status, ==, 1);
      g_assert_cmpfloat (run.seconds, <, 3.0);
      g_assert_null (strstr (run.err, "busy"));
    }

  /* The writer gave up after the store's timeout. */
  finish_ctl (writer, writer_start, NULL, &run);
  g_test_message ("sesamectl account reset-password: %.2f s, exit %d", run.seconds, run.status);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_cmpfloat (run.seconds, >=, 5.0);
  g_assert_nonnull (strstr (run.err, fixture->store_path));
  g_assert_nonnull (strstr (run.err, "busy"));
  g_assert_nonnull (strstr (run.err, "Try again in a moment"));
  g_assert_cmpstr (run.out, ==, "");

  release_write_lock (lock);

  /* Once the import is done, the same command goes through. */
  sesame_test_ctl_run_on (fixture->store_path, NULL, NULL, &run, "account", "reset-password", "zoe.martin", NULL);
  g_assert_cmpint (run.status, ==, 0);
  sesame_test_run_clear (&run);
}

/* A mistyped --store is not a new, empty store: every command but import
 * exits 2 and names the path, and creates nothing. */
static void
test_missing_store (Fixture       *fixture,
                    gconstpointer  data)
{
  static const char * const commands[][6] = {
    { "search", "dupont", NULL },
    { "account", "show", "zoe.martin", NULL },
    { "account", "reset-password", "zoe.martin", NULL },
    { "files", "list", NULL },
    { "files", "generate", "--establishment", "0740017S", NULL },
    { "roles", "list", NULL },
    { "roles", "grant", "luc.bernard", NULL },
    { "audit", NULL },
    { "settings", "list", NULL },
    { "settings", "set", "ent-name", "ENT", NULL },
    { "smtp", "show", NULL },
    { "diffusion", "list", NULL },
    { "letters", "--output", "out.pdf", NULL },
  };
  g_autofree char *folder = g_build_filename (fixture->dir, "typo", NULL);
  g_autofree char *missing = g_build_filename (folder, "sesame.db", NULL);
  g_autofree char *college = sesame_test_data_path ("aaf/college");
  g_autoptr(SesameStore) store = NULL;
  g_autoptr(GError) error = NULL;
  Run run = { 0 };

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_autoptr(GSubprocess) process = NULL;
      gint64 start = g_get_monotonic_time ();

      process = spawn_ctlv (missing, commands[i]);
      finish_ctl (process, start, NULL, &run);
      g_test_message ("sesamectl %s: exit %d: %s", commands[i][0], run.status, run.err);
      g_assert_cmpint (run.status, ==, 2);
      g_assert_nonnull (strstr (run.err, missing));
      g_assert_false (g_file_test (folder, G_FILE_TEST_EXISTS));
    }

  /* The first import creates it. */
  sesame_test_ctl_run_on (missing, NULL, NULL, &run, "import", college, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_file_test (missing, G_FILE_TEST_IS_REGULAR));
  sesame_test_ctl_run_on (missing, NULL, NULL, &run, "files", "list", "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpuint (count_json_array (run.out), >, 0);

  /* The default store is created by any command. */
  {
    g_autofree char *data_home = g_build_filename (fixture->dir, "data", NULL);
    g_autofree char *default_store = g_build_filename (data_home, "sesame", "sesame.db", NULL);
    const char * const search[] = { "search", "dupont", NULL };
    g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                         G_SUBPROCESS_FLAGS_STDERR_PIPE);
    g_autoptr(GSubprocess) process = NULL;
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;
    const char *argv[4] = { g_getenv ("SESAMECTL"), search[0], search[1], NULL };

    g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", data_home, TRUE);
    process = g_subprocess_launcher_spawnv (launcher, argv, &error);
    g_assert_no_error (error);
    g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, &error);
    g_assert_no_error (error);
    g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
    g_assert_true (g_file_test (default_store, G_FILE_TEST_IS_REGULAR));
  }

  store = sesame_store_open_full (missing, SESAME_STORE_OPEN_NONE, &error);
  g_assert_no_error (error);
  sesame_test_run_clear (&run);
}

int
main (int   argc,
      char *argv[])
{
  sesame_test_init (&argc, &argv);

  g_test_add ("/sesame/store/processes/shared-with-window", Fixture, NULL,
              fixture_set_up, test_shared_with_window, sesame_test_fixture_tear_down);
  g_test_add ("/sesame/store/processes/killed-loses-nothing", Fixture, NULL,
              fixture_set_up, test_killed_loses_nothing, sesame_test_fixture_tear_down);

  g_test_add ("/sesame/store/processes/readers-not-blocked", Fixture, NULL,
              fixture_set_up, test_readers_not_blocked, sesame_test_fixture_tear_down);
  g_test_add ("/sesame/store/processes/import-of-the-store", Fixture, NULL,
              fixture_set_up, test_import_of_the_store, sesame_test_fixture_tear_down);
  g_test_add ("/sesame/store/processes/missing-store", Fixture, NULL,
              fixture_set_up, test_missing_store, sesame_test_fixture_tear_down);

  return g_test_run ();
}

/* test-sync-processes.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The sync as an establishment lives it, every party a process of its
 * own on loopback: one sesame-server and three desks, each on its own
 * store, worked on by sesamectl (and by the core in this process, as the
 * desk's own program, where hundreds of changes are needed quickly).
 * Three desks work at once; one desk works a whole day offline while the
 * server is down; desks and the server are killed with SIGKILL at random
 * points of sync rounds. Whatever happened, once the desks have synced
 * until there is nothing left to exchange, each desk's synced tables
 * equal the server's row for row, every change reached the server once
 * (none lost, none applied twice) and the conflict rules of issue 16
 * held. Runs in a keyring of its own (run-with-keyring.sh). The random
 * points come from a seed printed by the test; SESAME_TEST_SEED replays
 * a run.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <signal.h>
#include <sqlite3.h>
#include <string.h>

#include "sesame.h"
#include "sesame-store-private.h"
#include "sesame-test-ctl.h"
#include "sesame-test-permissions.h"
#include "sesame-test-server.h"
#include "sesame-test-trials.h"
#include "sesame-test-util.h"

#define N_DESKS 3

typedef struct
{
  char             *dir;
  SesameTestServer  server;
  const char       *names[N_DESKS];
  char             *desks[N_DESKS];
  GRand            *rand;
} Fixture;

static void
ctl_ok (const char *store,
        const char *operator,
        ...) G_GNUC_NULL_TERMINATED;

/* sesamectl on @store as @operator; it must succeed. */
static void
ctl_ok (const char *store,
        const char *operator,
        ...)
{
  g_auto(SesameTestRun) run = { 0 };
  SesameTestCtl options = { .store = store, .operator = operator };
  va_list ap;

  va_start (ap, operator);
  sesame_test_ctl_run_va (&options, &run, ap);
  va_end (ap);
  if (run.status != 0)
    g_error ("sesamectl on %s failed (%d): %s%s", store, run.status, run.out, run.err);
}

/* One round of `sesamectl sync`: through (0) or with refusals (1),
 * never "server unreachable" while it runs. */
static void
sync_desk (const char *desk)
{
  g_auto(SesameTestRun) run = { 0 };

  sesame_test_ctl_run_on (desk, NULL, NULL, &run, "sync", NULL);
  if (run.status != 0 && run.status != 1)
    g_error ("sync of %s failed (%d): %s%s", desk, run.status, run.out, run.err);
}

static gint64
pending_of (const char *desk)
{
  g_auto(SesameTestRun) run = { 0 };
  g_autoptr(JsonNode) root = NULL;

  sesame_test_ctl_run_on (desk, NULL, NULL, &run, "sync", "status", "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  root = sesame_test_parse_json (run.out);
  return json_object_get_int_member (json_node_get_object (root), "pending");
}

/* Syncs every desk until none has anything pending and the last pass
 * changed nothing; then each desk must equal the server row for row. */
static void
sync_until_quiet_and_compare (Fixture *fixture)
{
  g_autofree char *server = NULL;
  guint pass;

  for (pass = 0; pass < 6; pass++)
    {
      gint64 pending = 0;

      for (guint i = 0; i < N_DESKS; i++)
        sync_desk (fixture->desks[i]);
      for (guint i = 0; i < N_DESKS; i++)
        pending += pending_of (fixture->desks[i]);
      if (pending == 0)
        break;
    }
  g_assert_cmpuint (pass, <, 6);
  /* What the last pushes brought to the server reaches every desk. */
  for (guint i = 0; i < N_DESKS; i++)
    sync_desk (fixture->desks[i]);

  server = sesame_trial_dump_synced (fixture->server.store_path);
  for (guint i = 0; i < N_DESKS; i++)
    {
      g_autofree char *desk = sesame_trial_dump_synced (fixture->desks[i]);

      if (g_strcmp0 (desk, server) != 0)
        {
          g_autofree char *server_file = g_build_filename (fixture->dir, "server.dump", NULL);
          g_autofree char *desk_file = g_strdup_printf ("%s.dump", fixture->desks[i]);

          g_file_set_contents (server_file, server, -1, NULL);
          g_file_set_contents (desk_file, desk, -1, NULL);
          g_error ("desk %s differs from the server: compare %s and %s",
                   fixture->names[i], desk_file, server_file);
        }
    }
  /* No entry reached the feed twice. */
  g_assert_cmpint (sesame_trial_count_rows (fixture->server.store_path,
                                           "SELECT count(*) FROM (SELECT entry_id FROM sync_feed"
                                           " WHERE entry_id IS NOT NULL AND entry_id <> ''"
                                           " GROUP BY entry_id HAVING count(*) > 1)"), ==, 0);
}

static guint32
test_seed (void)
{
  const char *env = g_getenv ("SESAME_TEST_SEED");
  guint32 seed = env != NULL ? (guint32) g_ascii_strtoull (env, NULL, 10) : (guint32) g_get_real_time ();

  g_test_message ("seed %u (SESAME_TEST_SEED=%u replays this run)", seed, seed);
  return seed;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  static const char * const names[N_DESKS] = { "Secretariat", "CPE", "Direction" };
  g_autoptr(SesameStore) store = NULL;
  g_autofree char *store_path = NULL;

  fixture->dir = sesame_test_make_tmpdir ();
  fixture->rand = g_rand_new_with_seed (test_seed ());
  store = perm_fixture_store (fixture->dir, NULL, NULL);
  store_path = g_strdup (sesame_store_get_path (store));
  g_clear_object (&store);
  sesame_test_server_start (&fixture->server, store_path);
  for (guint i = 0; i < N_DESKS; i++)
    {
      fixture->names[i] = names[i];
      fixture->desks[i] = sesame_test_server_join (&fixture->server, names[i], fixture->dir);
      /* Operators sign in on each desk while the server answers: the
       * desk keeps their ticket and a verifier for offline sign-in. */
      ctl_ok (fixture->desks[i], "alice.noel", "audit", "--mine", NULL);
      ctl_ok (fixture->desks[i], PERM_MANAGER_A, "audit", "--mine", NULL);
    }
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  if (fixture->server.process != NULL)
    sesame_test_server_stop (&fixture->server);
  sesame_test_server_clear (&fixture->server);
  for (guint i = 0; i < N_DESKS; i++)
    g_free (fixture->desks[i]);
  g_rand_free (fixture->rand);
  sesame_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
}

/* How many audit rows of @action the server holds from @desk. */
static int
server_audit (Fixture    *fixture,
              const char *desk,
              const char *action)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM audit WHERE desk = '%s' AND action = '%s'",
                                          desk, action);

  return sesame_trial_count_rows (fixture->server.store_path, sql);
}

/* The desk's own changes the server did not keep: conflicts whose entry
 * is not in the server's feed (a notice about an accepted change, such
 * as a concurrent regeneration, names an entry that is). */
static int
dropped_changes (Fixture    *fixture,
                 const char *desk)
{
  g_autofree char *uri = g_strdup_printf ("file:%s?mode=ro", fixture->server.store_path);
  g_autofree char *attach = g_strdup_printf ("ATTACH '%s' AS server", uri);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  int n;

  g_assert_cmpint (sqlite3_open_v2 (desk, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, attach, NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db,
                                       "SELECT count(*) FROM main.sync_conflicts c WHERE NOT EXISTS"
                                       " (SELECT 1 FROM server.sync_feed f WHERE f.entry_id = c.entry_id)",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return n;
}

/* ------------------------------------------------------------------ */
/* Three desks at once. */

typedef struct
{
  const char *operator;
  const char *args[5];
} Step;

typedef struct
{
  Fixture    *fixture;
  guint       desk;
  const Step *steps;
  guint32     seed;
} Worker;

/* A desk's work: each step by sesamectl, then a sync round, with a
 * random pause so that the desks interleave differently each run. */
static gpointer
work (gpointer data)
{
  Worker *worker = data;
  const char *desk = worker->fixture->desks[worker->desk];
  g_autoptr(GRand) rand = g_rand_new_with_seed (worker->seed);

  for (const Step *step = worker->steps; step->operator != NULL; step++)
    {
      g_auto(SesameTestRun) run = { 0 };
      SesameTestCtl options = { .store = desk, .operator = step->operator };

      sesame_test_ctl_runv (&options, step->args, &run);
      if (run.status != 0)
        g_error ("%s on %s failed (%d): %s", step->args[0], desk, run.status, run.err);
      g_usleep (g_rand_int_range (rand, 0, 200) * 1000);
      sync_desk (desk);
    }
  return NULL;
}

/* Each desk works on its own people. */
static const Step secretariat_steps[] = {
  { "alice.noel", { "account", "reset-password", "eloise.dupont", NULL } },
  { "alice.noel", { "roles", "grant", "marc.faure", NULL } },
  { "alice.noel", { "account", "reset-password", "jean.dupont", NULL } },
  { "alice.noel", { "account", "reset-password", "eloise.dupont", NULL } },
  { "alice.noel", { "account", "set-login", "jean.dupont", "jean.dupont.6a", NULL } },
  { NULL, { NULL } },
};

static const Step cpe_steps[] = {
  { PERM_MANAGER_A, { "account", "reset-password", "zoe.martin", NULL } },
  { PERM_MANAGER_A, { "account", "reset-password", "anne-sophie.dalmeida", NULL } },
  { PERM_MANAGER_A, { "account", "set-login", "anne-sophie.dalmeida", "as.dalmeida", NULL } },
  { PERM_MANAGER_A, { "account", "reset-password", "zoe.martin", NULL } },
  { PERM_MANAGER_A, { "account", "reset-password", "as.dalmeida", NULL } },
  { NULL, { NULL } },
};

static const Step direction_steps[] = {
  { "alice.noel", { "account", "reset-password", "jean.dupont2", NULL } },
  { "alice.noel", { "roles", "revoke", "lea.morel", NULL } },
  { "alice.noel", { "account", "reset-password", "nathalie.dupont", NULL } },
  { "alice.noel", { "roles", "grant", "yves.blanc", NULL } },
  { "alice.noel", { "account", "set-login", "nathalie.dupont", "n.dupont", NULL } },
  { NULL, { NULL } },
};

static gboolean
holds_manager (const char *store_path,
               const char *key)
{
  g_autofree char *sql = g_strdup_printf ("SELECT COALESCE ((SELECT granted FROM role_events WHERE person_key = '%s'"
                                          " AND role = 'manager' ORDER BY seq DESC LIMIT 1), 0)", key);

  return sesame_trial_count_rows (store_path, sql) == 1;
}

static void
test_concurrent (Fixture       *fixture,
                 gconstpointer  data)
{
  const Step *steps[N_DESKS] = { secretariat_steps, cpe_steps, direction_steps };
  Worker workers[N_DESKS];
  GThread *threads[N_DESKS];
  g_autofree char *claire = NULL;

  /* Two desks change one login before either heard of the other's
   * change: the first to reach the server wins. */
  ctl_ok (fixture->desks[0], "alice.noel", "account", "set-login", "claire.martin", "claire.secretariat", NULL);
  ctl_ok (fixture->desks[2], "alice.noel", "account", "set-login", "claire.martin", "claire.direction", NULL);

  for (guint i = 0; i < N_DESKS; i++)
    {
      workers[i] = (Worker) { fixture, i, steps[i], g_rand_int (fixture->rand) };
      threads[i] = g_thread_new (fixture->names[i], work, &workers[i]);
    }
  for (guint i = 0; i < N_DESKS; i++)
    g_thread_join (threads[i]);

  sync_until_quiet_and_compare (fixture);

  /* Nothing lost, nothing twice: each desk's changes reached the server
   * once, with the desk's name. */
  g_assert_cmpint (server_audit (fixture, "Secretariat", "reset-password"), ==, 3);
  g_assert_cmpint (server_audit (fixture, "CPE", "reset-password"), ==, 4);
  g_assert_cmpint (server_audit (fixture, "Direction", "reset-password"), ==, 2);
  g_assert_cmpint (server_audit (fixture, "Secretariat", "grant-role"), ==, 1);
  g_assert_cmpint (server_audit (fixture, "Direction", "grant-role"), ==, 1);
  g_assert_cmpint (server_audit (fixture, "Direction", "revoke-role"), ==, 1);
  g_assert_cmpint (sesame_trial_count_rows (fixture->server.store_path,
                                           "SELECT count(*) FROM credentials WHERE created_by = 'alice.noel'"
                                           " AND person_key IN ('P1', 'P2', 'P8', 'P9')"), ==, 5);
  g_assert_cmpint (sesame_trial_count_rows (fixture->server.store_path,
                                           "SELECT count(*) FROM credentials WHERE created_by = 'sophie.garnier'"
                                           " AND person_key IN ('P3', 'P4')"), ==, 4);
  g_assert_cmpint (sesame_trial_count_rows (fixture->server.store_path,
                                           "SELECT count(*) FROM accounts WHERE login IN"
                                           " ('jean.dupont.6a', 'as.dalmeida', 'n.dupont')"), ==, 3);
  g_assert_true (holds_manager (fixture->server.store_path, "S4"));
  g_assert_true (holds_manager (fixture->server.store_path, "S11"));
  g_assert_false (holds_manager (fixture->server.store_path, "S12"));

  /* The race on one login: one desk's value, kept everywhere; the other
   * desk's change came back as a conflict. */
  claire = g_strdup_printf ("%d", sesame_trial_count_rows (fixture->server.store_path,
                                                          "SELECT count(*) FROM accounts WHERE person_key = 'P7'"
                                                          " AND login IN ('claire.secretariat', 'claire.direction')"));
  g_assert_cmpstr (claire, ==, "1");
  g_assert_cmpint (server_audit (fixture, "Secretariat", "set-login") +
                   server_audit (fixture, "Direction", "set-login"), ==, 3);
  g_assert_cmpint (dropped_changes (fixture, fixture->desks[0]) + dropped_changes (fixture, fixture->desks[2]), ==, 1);
  g_assert_cmpint (dropped_changes (fixture, fixture->desks[1]), ==, 0);
}

/* ------------------------------------------------------------------ */
/* A day offline. */

/* The core in this process, as desk @desk's program: @operator signed in
 * there before (their ticket is on the desk). */
static SesameStore *
open_desk (const char *desk,
           const char *operator)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SesameStore) store = sesame_store_open (desk, &error);

  g_assert_no_error (error);
  g_assert_true (_sesame_store_set_operator_trusted (store, operator, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&store);
}

static const char * const day_targets[] = {
  "jean.dupont", "anne-sophie.dalmeida", "marie.dupont", "paul.dupont", "claire.martin",
  "jean.dupont2", "nathalie.dupont",
};

/* @count changes on @desk: password regenerations of the day's targets,
 * and every fifth a new login for Nathalie DUPONT. Returns how many of
 * each were made. */
static void
day_of_work (const char *desk,
             GRand      *rand,
             guint       count,
             guint      *resets,
             guint      *logins,
             char      **nathalie)
{
  g_autoptr(SesameStore) store = open_desk (desk, "alice.noel");
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < count; i++)
    {
      if (i % 5 == 4)
        {
          g_autofree char *next = g_strdup_printf ("nathalie.d%u.%u", g_rand_int_range (rand, 0, 1000), i);

          g_assert_true (sesame_accounts_set_login (store, *nathalie, next, &error));
          g_assert_no_error (error);
          g_free (*nathalie);
          *nathalie = g_steal_pointer (&next);
          (*logins)++;
        }
      else
        {
          const char *target = day_targets[g_rand_int_range (rand, 0, G_N_ELEMENTS (day_targets) - 1)];
          g_autofree char *password = sesame_accounts_reset_password (store, target, &error);

          g_assert_no_error (error);
          g_assert_nonnull (password);
          (*resets)++;
        }
    }
}

static int
live_credentials (const char *store_path,
                  const char *key)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM credentials WHERE person_key = '%s'"
                                          " AND password IS NOT NULL AND revoked_at IS NULL AND used_at IS NULL",
                                          key);

  return sesame_trial_count_rows (store_path, sql);
}

static void
test_offline_day (Fixture       *fixture,
                  gconstpointer  data)
{
  const char *laptop = fixture->desks[0];
  const char *office = fixture->desks[1];
  g_autoptr(GError) error = NULL;
  g_autofree char *nathalie = g_strdup ("nathalie.dupont");
  g_autofree char *renamed = NULL;
  g_auto(SesameTestRun) unreachable = { 0 };
  guint resets = 0, logins = 0;
  gint64 start;

  sesame_test_server_stop (&fixture->server);

  /* The office, offline too, makes a few changes; sesamectl signs its
   * operator in against the verifier the desk kept. */
  ctl_ok (office, "alice.noel", "account", "set-login", "zoe.martin", "zoe.martin.office", NULL);
  ctl_ok (office, "alice.noel", "account", "reset-password", "eloise.dupont", NULL);
  ctl_ok (office, "alice.noel", "roles", "revoke", PERM_MANAGER_A, NULL);
  sesame_test_ctl_run_on (office, NULL, NULL, &unreachable, "sync", NULL);
  g_assert_cmpint (unreachable.status, ==, 2);

  /* The laptop at the parents' evening: the same login, the same
   * account, a grant of the role the office revoked, then 197 more. */
  {
    g_autoptr(SesameStore) store = open_desk (laptop, "alice.noel");
    g_autofree char *password = NULL;

    g_assert_true (sesame_accounts_set_login (store, "zoe.martin", "zoe.martin.laptop", &error));
    password = sesame_accounts_reset_password (store, "eloise.dupont", &error);
    g_assert_no_error (error);
    g_assert_true (sesame_roles_grant (store, PERM_MANAGER_A, SESAME_ROLE_SCOPE_CLASSES, &error));
    g_assert_no_error (error);
  }
  day_of_work (laptop, fixture->rand, 197, &resets, &logins, &nathalie);
  g_assert_cmpint (pending_of (laptop), ==, 200 + 2); /* and the two sign-ins */

  /* The server is back; the office reaches it first. */
  sesame_test_server_restart (&fixture->server);
  sync_desk (office);
  start = g_get_monotonic_time ();
  sync_desk (laptop);
  g_test_message ("the laptop's day (200 changes) synced in %.2f s",
                  (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC);
  sync_until_quiet_and_compare (fixture);

  /* Every change of the day reached the server once. */
  g_assert_cmpint (server_audit (fixture, "Secretariat", "reset-password"), ==, resets + 1);
  g_assert_cmpint (server_audit (fixture, "Secretariat", "set-login"), ==, logins);
  g_assert_cmpint (sesame_trial_count_rows (fixture->server.store_path,
                                           "SELECT count(*) FROM credentials WHERE created_by = 'alice.noel'"),
                   ==, resets + 2);
  renamed = g_strdup_printf ("SELECT count(*) FROM accounts WHERE login = '%s'", nathalie);
  g_assert_cmpint (sesame_trial_count_rows (fixture->server.store_path, renamed), ==, 1);

  /* The same login: the office was first, the laptop shows the conflict
   * with the office's value. */
  g_assert_cmpint (sesame_trial_count_rows (fixture->server.store_path,
                                           "SELECT count(*) FROM accounts WHERE login = 'zoe.martin.office'"), ==, 1);
  g_assert_cmpint (sesame_trial_count_rows (laptop,
                                           "SELECT count(*) FROM sync_conflicts WHERE message LIKE '%zoe.martin.office%'"),
                   ==, 1);
  /* The same account regenerated on both: both first passwords stay
   * valid until the first sign-in, and both operators are told. */
  g_assert_cmpint (live_credentials (fixture->server.store_path, "P1"), ==, 2);
  g_assert_cmpint (sesame_trial_count_rows (fixture->server.store_path,
                                           "SELECT count(*) FROM audit WHERE action = 'concurrent-regeneration'"
                                           " AND target = 'eloise.dupont'"), >=, 1);
  /* A grant against a revoke: the revoke wins. */
  g_assert_false (holds_manager (fixture->server.store_path, "S3"));
  g_assert_cmpint (sesame_trial_count_rows (laptop,
                                           "SELECT count(*) FROM sync_conflicts WHERE message LIKE '%revoked%'"), ==, 1);
  /* Those two alone of the laptop's day were not kept. */
  g_assert_cmpint (dropped_changes (fixture, laptop), ==, 2);
  g_assert_cmpint (dropped_changes (fixture, office), ==, 0);
}

/* ------------------------------------------------------------------ */
/* Killed during a sync. */

static void
test_kill (Fixture       *fixture,
           gconstpointer  data)
{
  guint changes[N_DESKS] = { 0, };
  char *nathalie[N_DESKS] = { NULL, };
  double round = 0;
  guint killed_desk = 0, killed_server = 0;
  guint cut_desk = 0, cut_server = 0;

  /* How long a round takes here, to kill within it. */
  {
    g_auto(SesameTestRun) run = { 0 };

    sesame_test_ctl_run_on (fixture->desks[0], NULL, NULL, &run, "sync", NULL);
    round = MAX (run.seconds, 0.05);
  }

  for (guint point = 0; point < 20; point++)
    {
      guint d = g_rand_int_range (fixture->rand, 0, N_DESKS);
      const char *desk = fixture->desks[d];
      const char *args[] = { "sync", NULL };
      SesameTestCtl options = { .store = desk, .allow_signal = TRUE };
      g_autoptr(GSubprocess) sync = NULL;
      g_auto(SesameTestRun) run = { 0 };
      guint resets = 0, logins = 0;
      gulong delay;

      /* A few changes to carry, then a round killed after a random
       * delay: the desk on even points, the server on odd ones. */
      if (nathalie[d] == NULL)
        nathalie[d] = g_strdup ("nathalie.dupont");
      /* Only one desk renames Nathalie: the others regenerate. */
      day_of_work (desk, fixture->rand, d == 0 ? 5 : 4, &resets, &logins, &nathalie[d]);
      changes[d] += resets + logins;

      delay = (gulong) (g_rand_double (fixture->rand) * round * G_USEC_PER_SEC * 1.2);
      sync = sesame_test_ctl_spawnv (&options, args);
      g_usleep (delay);
      if (point % 2 == 0)
        {
          g_subprocess_force_exit (sync);
          killed_desk++;
        }
      else
        {
          sesame_test_server_kill (&fixture->server);
          killed_server++;
        }
      sesame_test_ctl_finish (&options, sync, g_get_monotonic_time (), &run);
      /* Whether the kill fell within the round: the desk was still
       * running, or lost the server it was talking to. */
      if (point % 2 == 0 && run.status == -1)
        cut_desk++;
      else if (point % 2 == 1 && run.status == 2)
        cut_server++;
      if (fixture->server.process == NULL)
        sesame_test_server_restart (&fixture->server);
    }
  g_test_message ("killed %u desks (%u within their round) and %u servers (%u within a round) in rounds of %.0f ms",
                  killed_desk, cut_desk, killed_server, cut_server, round * 1000);
  /* The delays are drawn within a round: most kills cut one short. */
  g_assert_cmpuint (cut_desk, >, 0);
  g_assert_cmpuint (cut_server, >, 0);

  /* Restarted, the desks sync until quiet: all agree, and every change
   * reached the server once. */
  sync_until_quiet_and_compare (fixture);
  for (guint d = 0; d < N_DESKS; d++)
    {
      g_assert_cmpint (server_audit (fixture, fixture->names[d], "reset-password") +
                       server_audit (fixture, fixture->names[d], "set-login"), ==, changes[d]);
      /* Nor did a desk undo one of its own as refused on the way: its
       * only conflicts are notices of regenerations made at the same
       * time on another desk. */
      g_assert_cmpint (dropped_changes (fixture, fixture->desks[d]), ==, 0);
      g_assert_cmpint (sesame_trial_count_rows (fixture->desks[d],
                                               "SELECT count(*) FROM sync_conflicts"
                                               " WHERE message NOT LIKE '%at the same time%'"), ==, 0);
      g_free (nathalie[d]);
    }
}

int
main (int   argc,
      char *argv[])
{
  sesame_test_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add ("/sesame/sync-processes/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("concurrent", test_concurrent);
  ADD ("offline-day", test_offline_day);
  ADD ("kill", test_kill);
#undef ADD

  return g_test_run ();
}

/* bench-sync.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * How many changes a server checks and applies per second (issue 16:
 * at least 2,000 on 2 cores). A desk of a collège of 3,000 pupils
 * regenerates passwords offline, as an identifier manager of the
 * establishment (so that every row goes through the reach checks), and
 * the server takes its whole outbox; then a second desk applies the feed.
 * Each regeneration is one entry of four rows: the new credential, the
 * old one revoked, the account and the audit trail.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <time.h>

#define SQLITE_ENABLE_SESSION 1
#define SQLITE_ENABLE_PREUPDATE_HOOK 1
#include <sqlite3.h>

#include "sesame.h"
#include "sesame-accounts-private.h"
#include "sesame-test-util.h"

#define N_PUPILS 3000
#define N_CHANGES 4000

static void
check (gboolean  ok,
       GError   *error)
{
  if (!ok)
    g_error ("%s", error ? error->message : "failed");
}

static SesameStore *
make_server (const char *dir)
{
  g_autofree char *path = g_build_filename (dir, "server.db", NULL);
  g_autoptr(SesameStore) store = NULL;
  GError *error = NULL;

  store = sesame_store_open (path, &error);
  check (store != NULL, error);
  check (_sesame_store_begin (store, &error), error);
  check (_sesame_store_exec (store,
                             "INSERT INTO establishments (jointure, uai, name, first_seen_at)"
                             " VALUES ('52006', '0740017S', 'Collège Les Aravis', 0);"
                             "INSERT INTO persons (key, kind, profile, last_name, first_name, structure, is_head, first_seen_at) VALUES"
                             " ('HEAD', 'PersEducNat', 4, 'Roche', 'Hélène', '52006', 1, 0),"
                             " ('CPE', 'PersEducNat', 4, 'Garnier', 'Sophie', '52006', 0, 0);"
                             "INSERT INTO functions (person_key, structure, code, label) VALUES"
                             " ('HEAD', '52006', 'DIR', 'DIRECTION'), ('CPE', '52006', 'EDU', 'EDUCATION');",
                             &error), error);
  check (_sesame_accounts_create (store, NULL, "HEAD", SESAME_PROFILE_NON_ENSEIGNANT, "Hélène", "Roche", NULL, &error), error);
  check (_sesame_accounts_create (store, NULL, "CPE", SESAME_PROFILE_NON_ENSEIGNANT, "Sophie", "Garnier", NULL, &error), error);
  for (guint i = 0; i < N_PUPILS; i++)
    {
      g_autofree char *key = g_strdup_printf ("E%05u", i);
      g_autofree char *last = g_strdup_printf ("Eleve%05u", i);
      g_autofree char *sql = g_strdup_printf ("INSERT INTO persons (key, kind, profile, last_name, first_name, structure, first_seen_at)"
                                              " VALUES ('%s', 'Eleve', 1, '%s', 'Camille', '52006', 0);"
                                              "INSERT INTO memberships (person_key, structure, kind, code) VALUES ('%s', '52006', 'class', '6A');",
                                              key, last, key);

      check (_sesame_store_exec (store, sql, &error), error);
      check (_sesame_accounts_create (store, NULL, key, SESAME_PROFILE_ELEVE, "Camille", last, NULL, &error), error);
    }
  check (_sesame_store_commit (store, &error), error);
  check (_sesame_store_set_operator_trusted (store, "helene.roche", &error), error);
  check (sesame_roles_grant (store, "sophie.garnier", SESAME_ROLE_SCOPE_ESTABLISHMENT, &error), error);
  check (_sesame_store_set_operator_trusted (store, NULL, &error), error);
  return g_steal_pointer (&store);
}

static SesameStore *
make_desk (SesameStore *server,
           const char  *dir,
           const char  *name)
{
  g_autofree char *path = g_strdup_printf ("%s/%s.db", dir, name);
  g_autofree char *sql = g_strdup_printf ("VACUUM INTO '%s'", path);
  g_autoptr(SesameStore) desk = NULL;
  GError *error = NULL;

  check (_sesame_store_exec (server, sql, &error), error);
  g_chmod (path, 0600);
  desk = sesame_store_open (path, &error);
  check (desk != NULL, error);
  check (sesame_sync_desk_join (desk, "https://server.example:8443", name, 0, &error), error);
  check (_sesame_store_set_operator_trusted (desk, "sophie.garnier", &error), error);
  return g_steal_pointer (&desk);
}

static guint
count_rows (GBytes *changeset)
{
  sqlite3_changeset_iter *iter = NULL;
  gsize size;
  gconstpointer data = g_bytes_get_data (changeset, &size);
  guint rows = 0;

  if (sqlite3changeset_start (&iter, (int) size, (void *) data) != SQLITE_OK)
    return 0;
  while (sqlite3changeset_next (iter) == SQLITE_ROW)
    rows++;
  sqlite3changeset_finalize (iter);
  return rows;
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *dir = g_dir_make_tmp ("sesame-bench-sync-XXXXXX", NULL);
  g_autoptr(SesameStore) server = NULL;
  g_autoptr(SesameStore) desk = NULL;
  g_autoptr(SesameStore) reader = NULL;
  g_autoptr(GPtrArray) pending = NULL;
  g_autoptr(GPtrArray) feed = NULL;
  g_autoptr(GTimer) timer = g_timer_new ();
  GError *error = NULL;
  guint accepted = 0;
  gsize bytes = 0;
  guint rows = 0;
  double seconds;
  clock_t cpu;

  server = make_server (dir);
  desk = make_desk (server, dir, "desk1");
  reader = make_desk (server, dir, "desk2");

  g_timer_start (timer);
  for (guint i = 0; i < N_CHANGES; i++)
    {
      g_autofree char *login = g_strdup_printf ("camille.eleve%05u", i % N_PUPILS);
      g_autofree char *password = sesame_accounts_reset_password (desk, login, &error);

      check (password != NULL, error);
    }
  seconds = g_timer_elapsed (timer, NULL);
  g_print ("desk: %u regenerations recorded in the outbox in %.2f s (%.0f/s)\n",
           N_CHANGES, seconds, N_CHANGES / seconds);

  pending = sesame_sync_desk_list_pending (desk, &error);
  check (pending != NULL, error);
  for (guint i = 0; i < pending->len; i++)
    {
      GBytes *changeset = ((SesameSyncEntry *) g_ptr_array_index (pending, i))->changeset;

      bytes += g_bytes_get_size (changeset);
      rows += count_rows (changeset);
    }

  g_timer_start (timer);
  cpu = clock ();
  for (guint i = 0; i < pending->len; i++)
    {
      SesameSyncEntry *entry = g_ptr_array_index (pending, i);
      gint64 seq = 0;
      g_autofree char *reason = NULL;
      SesameSyncVerdict verdict;

      verdict = sesame_sync_server_apply (server, entry, "desk1", &seq, &reason, &error);
      check (error == NULL, error);
      if (verdict != SESAME_SYNC_VERDICT_ACCEPTED)
        g_error ("entry %u was %s: %s", i, sesame_sync_verdict_to_string (verdict), reason ? reason : "");
      accepted++;
    }
  seconds = g_timer_elapsed (timer, NULL);
  cpu = clock () - cpu;
  g_print ("server: %u entries of %u row changes (%" G_GSIZE_FORMAT " bytes of changesets, %.0f bytes an entry)"
           " checked and applied in %.2f s\n",
           accepted, rows, bytes, (double) bytes / MAX (accepted, 1), seconds);
  g_print ("server: %.0f row changes/s, %.0f entries/s (target: 2,000 changes/s)\n",
           rows / seconds, accepted / seconds);
  g_print ("server: %.2f s of processor time: %.0f row changes, %.0f entries per processor second\n",
           (double) cpu / CLOCKS_PER_SEC, rows / ((double) cpu / CLOCKS_PER_SEC),
           accepted / ((double) cpu / CLOCKS_PER_SEC));

  g_timer_start (timer);
  feed = sesame_sync_server_read_feed (server, NULL, 0, N_CHANGES, &error);
  check (feed != NULL, error);
  check (sesame_sync_desk_apply_feed (reader, feed, &error), error);
  seconds = g_timer_elapsed (timer, NULL);
  g_print ("desk: a feed page of %u entries read and applied in %.2f s (%.0f entries/s)\n",
           feed->len, seconds, feed->len / seconds);

  g_timer_start (timer);
  g_clear_pointer (&feed, g_ptr_array_unref);
  feed = sesame_sync_server_read_feed (server, NULL, 0, N_CHANGES, &error);
  check (feed != NULL, error);
  check (sesame_sync_desk_apply_feed (desk, feed, &error), error);
  seconds = g_timer_elapsed (timer, NULL);
  g_print ("desk: its own %u entries back from the feed (undo, apply, outbox emptied) in %.2f s\n",
           feed->len, seconds);

  g_clear_object (&desk);
  g_clear_object (&reader);
  g_clear_object (&server);
  sesame_test_remove_tree (dir);
  return 0;
}

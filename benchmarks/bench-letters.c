/* bench-letters.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * How long 3,000 parents' letters take to reach a PDF file (target: under
 * 2 s). The store is written straight with SQL: 3,000 pupils of a collège,
 * each with one guardian who has an address and a first password.
 */
#include "config.h"

#include <glib/gstdio.h>

#include "sesame-accounts-private.h"
#include "sesame-letters.h"

#define N_PARENTS 3000

static const char * const last_names[] = {
  "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand",
  "Leroy", "Moreau", "Simon", "Laurent", "Lefèvre", "Michel", "García", "David",
  "Bertrand", "Roux", "Vincent", "Fournier", "Morel", "Girard", "André", "Lefebvre",
};

static const char * const first_names[] = {
  "Camille", "Léa", "Manon", "Chloé", "Inès", "Jade", "Louise", "Zoé",
  "Lucas", "Hugo", "Théo", "Nathan", "Louis", "Enzo", "Raphaël", "Noé",
};

static void
check (gboolean  ok,
       GError   *error)
{
  if (!ok)
    g_error ("%s", error ? error->message : "failed");
}

static SesameStore *
make_store (const char *dir)
{
  g_autofree char *path = g_build_filename (dir, "bench.db", NULL);
  g_autoptr(SesameStore) store = NULL;
  GError *error = NULL;
  sqlite3_stmt *stmt;

  store = sesame_store_open (path, &error);
  check (store != NULL, error);
  check (_sesame_store_begin (store, &error), error);
  check (_sesame_store_exec (store,
                             "INSERT INTO establishments (jointure, uai, name, street, postal_code, city, academy, phone, first_seen_at)"
                             " VALUES ('52006', '0740017S', 'Collège Les Aravis', '12 route des Aravis', '74220',"
                             " 'La Clusaz', 'GRENOBLE', '04 50 02 00 00', 0);"
                             "INSERT INTO persons (key, kind, profile, title, last_name, first_name, structure, is_head, first_seen_at)"
                             " VALUES ('HEAD', 'PersEducNat', 4, 'Mme', 'Roche', 'Hélène', '52006', 1, 0);",
                             &error), error);

  for (guint i = 0; i < N_PARENTS; i++)
    {
      g_autofree char *pupil = g_strdup_printf ("E%05u", i);
      g_autofree char *parent = g_strdup_printf ("R%05u", i);
      g_autofree char *class_name = g_strdup_printf ("%u%c", 6 - (i % 4), 'A' + (i / 4) % 8);
      g_autofree char *address = g_strdup_printf ("%u rue des Écoles", i % 90 + 1);
      const char *last = last_names[i % G_N_ELEMENTS (last_names)];
      const char *child_first = first_names[i % G_N_ELEMENTS (first_names)];
      const char *parent_first = first_names[(i / 7) % G_N_ELEMENTS (first_names)];

      stmt = _sesame_store_prepare (store,
                                    "INSERT INTO persons (key, kind, profile, title, last_name, first_name, structure,"
                                    " address, postal_code, city, country, first_seen_at)"
                                    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, '74220', 'La Clusaz', 'FRANCE', 0)",
                                    &error);
      check (stmt != NULL, error);
      sqlite3_bind_text (stmt, 1, pupil, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, "Eleve", -1, SQLITE_STATIC);
      sqlite3_bind_int (stmt, 3, SESAME_PROFILE_ELEVE);
      sqlite3_bind_text (stmt, 4, "", -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 5, last, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 6, child_first, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 7, "52006", -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 8, "", -1, SQLITE_STATIC);
      check (_sesame_store_step_done (store, stmt, &error), error);

      sqlite3_bind_text (stmt, 1, parent, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, "PersRelEleve", -1, SQLITE_STATIC);
      sqlite3_bind_int (stmt, 3, SESAME_PROFILE_PARENT);
      sqlite3_bind_text (stmt, 4, i % 2 ? "M." : "Mme", -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 5, last, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 6, parent_first, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 7, "", -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 8, address, -1, SQLITE_TRANSIENT);
      check (_sesame_store_step_done (store, stmt, &error), error);

      stmt = _sesame_store_prepare (store,
                                    "INSERT INTO memberships (person_key, structure, kind, code) VALUES (?, '52006', 'class', ?)",
                                    &error);
      check (stmt != NULL, error);
      sqlite3_bind_text (stmt, 1, pupil, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, class_name, -1, SQLITE_TRANSIENT);
      check (_sesame_store_step_done (store, stmt, &error), error);

      stmt = _sesame_store_prepare (store,
                                    "INSERT INTO guardians (pupil_key, parent_key, relationship, legal) VALUES (?, ?, 10, 1)",
                                    &error);
      check (stmt != NULL, error);
      sqlite3_bind_text (stmt, 1, pupil, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, parent, -1, SQLITE_TRANSIENT);
      check (_sesame_store_step_done (store, stmt, &error), error);

      check (_sesame_accounts_create (store, NULL, pupil, SESAME_PROFILE_ELEVE, child_first, last,
                                      NULL, &error), error);
      check (_sesame_accounts_create (store, NULL, parent, SESAME_PROFILE_PARENT, parent_first, last,
                                      NULL, &error), error);
    }
  check (_sesame_store_commit (store, &error), error);
  return g_steal_pointer (&store);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *dir = g_dir_make_tmp ("sesame-bench-letters-XXXXXX", NULL);
  g_autofree char *pdf = g_build_filename (dir, "letters.pdf", NULL);
  g_autoptr(SesameLetterQuery) query = sesame_letter_query_new ();
  g_autoptr(SesameLetterBatch) batch = NULL;
  g_autoptr(SesameStore) store = NULL;
  GError *error = NULL;
  GStatBuf st;
  gint64 start, collected, written;

  g_setenv ("XDG_DATA_HOME", dir, TRUE);
  store = make_store (dir);

  query->profile = SESAME_PROFILE_PARENT;
  query->establishment = g_strdup ("0740017S");

  start = g_get_monotonic_time ();
  batch = sesame_letter_batch_new (store, query, NULL, &error);
  check (batch != NULL, error);
  collected = g_get_monotonic_time ();
  check (sesame_letter_batch_export_pdf (batch, pdf, NULL, &error), error);
  written = g_get_monotonic_time ();

  g_assert_cmpuint (sesame_letter_batch_get_n_letters (batch), ==, N_PARENTS);
  g_stat (pdf, &st);

  g_print ("letters: %u parents' letters, %u pages, %.1f MB\n",
           sesame_letter_batch_get_n_letters (batch), sesame_letter_batch_get_n_pages (batch),
           st.st_size / 1e6);
  g_print ("letters: read from the store %.3f s, PDF %.3f s, total %.3f s (target < 2 s)\n",
           (collected - start) / 1e6, (written - collected) / 1e6, (written - start) / 1e6);

  g_clear_object (&batch);
  g_clear_object (&store);
  g_unlink (pdf);
  {
    g_autofree char *db = g_build_filename (dir, "bench.db", NULL);
    g_autofree char *wal = g_strconcat (db, "-wal", NULL);
    g_autofree char *shm = g_strconcat (db, "-shm", NULL);

    g_unlink (db);
    g_unlink (wal);
    g_unlink (shm);
  }
  g_rmdir (dir);
  return 0;
}

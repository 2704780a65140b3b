/* sesame-sync-snapshot.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The copy of the server's store a desk starts from when it joins. SQLite
 * writes it with VACUUM INTO, a consistent copy taken while the server
 * keeps answering; the copy is then cut down to the establishments the
 * desk serves and stripped of what only the server may hold: operators'
 * passphrase hashes (a desk keeps verifiers of those who sign in on it),
 * enrolment codes, the desks and their nonces, the server's ticket key and
 * the families' activation tokens. A desk store never learns more than the
 * operators at that desk could see.
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "sesame-store-private.h"
#include "sesame-sync-snapshot.h"

/* What no desk receives, whatever it serves. */
static const char strip_secrets[] =
  "DELETE FROM operator_passphrases;"
  "DELETE FROM enrolment_codes;"
  "DELETE FROM operator_sign_ins;"
  "DELETE FROM activation_tokens;"
  "DELETE FROM sync_desks;"
  "DELETE FROM sync_nonces;"
  "DELETE FROM sync_server;"
  "DELETE FROM sync_tickets;"
  "DELETE FROM meta WHERE key LIKE 'sync-%';";

/* Keeps the people attached to the establishments in temp.keep_structures:
 * by their own structure, a class or a function there, or as a guardian of
 * a pupil kept; everything about the others goes. */
static const char filter_establishments[] =
  "CREATE TEMP TABLE keep_persons (key TEXT PRIMARY KEY) WITHOUT ROWID;"
  "INSERT OR IGNORE INTO keep_persons SELECT key FROM persons WHERE structure IN temp.keep_structures;"
  "INSERT OR IGNORE INTO keep_persons SELECT person_key FROM memberships WHERE structure IN temp.keep_structures;"
  "INSERT OR IGNORE INTO keep_persons SELECT person_key FROM functions WHERE structure IN temp.keep_structures;"
  "INSERT OR IGNORE INTO keep_persons SELECT person_key FROM teachings WHERE structure IN temp.keep_structures;"
  "INSERT OR IGNORE INTO keep_persons SELECT parent_key FROM guardians WHERE pupil_key IN temp.keep_persons;"
  "DELETE FROM audit WHERE target IN (SELECT login FROM accounts WHERE person_key NOT IN temp.keep_persons);"
  "DELETE FROM persons_fts WHERE rowid IN (SELECT rowid FROM persons WHERE key NOT IN temp.keep_persons);"
  "DELETE FROM persons WHERE key NOT IN temp.keep_persons;"
  "DELETE FROM memberships WHERE person_key NOT IN temp.keep_persons OR structure NOT IN temp.keep_structures;"
  "DELETE FROM guardians WHERE pupil_key NOT IN temp.keep_persons OR parent_key NOT IN temp.keep_persons;"
  "DELETE FROM functions WHERE person_key NOT IN temp.keep_persons OR structure NOT IN temp.keep_structures;"
  "DELETE FROM teachings WHERE person_key NOT IN temp.keep_persons OR structure NOT IN temp.keep_structures;"
  "DELETE FROM staff_subjects WHERE person_key NOT IN temp.keep_persons OR structure NOT IN temp.keep_structures;"
  "DELETE FROM accounts WHERE person_key NOT IN temp.keep_persons;"
  "DELETE FROM credentials WHERE person_key NOT IN temp.keep_persons;"
  "DELETE FROM role_events WHERE person_key NOT IN temp.keep_persons;"
  "DELETE FROM former_logins WHERE person_key NOT IN temp.keep_persons;"
  "DELETE FROM identifier_file_accounts WHERE file_id IN"
  "  (SELECT id FROM identifier_files WHERE establishment NOT IN temp.keep_uais);"
  "DELETE FROM identifier_files WHERE establishment NOT IN temp.keep_uais;"
  "DELETE FROM identifier_file_accounts WHERE person_key NOT IN temp.keep_persons;"
  "DELETE FROM campaign_attempts WHERE campaign_id IN"
  "  (SELECT id FROM campaigns WHERE establishment <> '' AND establishment NOT IN temp.keep_uais);"
  "DELETE FROM campaign_recipients WHERE campaign_id IN"
  "  (SELECT id FROM campaigns WHERE establishment <> '' AND establishment NOT IN temp.keep_uais);"
  "DELETE FROM campaigns WHERE establishment <> '' AND establishment NOT IN temp.keep_uais;"
  "DELETE FROM campaign_attempts WHERE person_key NOT IN temp.keep_persons;"
  "DELETE FROM campaign_recipients WHERE person_key NOT IN temp.keep_persons;"
  "DELETE FROM establishments WHERE jointure NOT IN temp.keep_structures;";

static gboolean
exec_on (sqlite3     *db,
         const char  *path,
         const char  *sql,
         GError     **error)
{
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    {
      g_set_error (error, SESAME_ERROR, SESAME_ERROR_FAILED,
                   _("Cannot prepare the desk's copy %s: %s"), path,
                   message != NULL ? message : sqlite3_errmsg (db));
      sqlite3_free (message);
      return FALSE;
    }
  return TRUE;
}

/**
 * sesame_sync_snapshot_write:
 * @store: the server's #SesameStore
 * @desk: the desk it is for
 * @head: the last feed entry the copy holds, recorded in it
 * @path: where to write it; must not exist
 * @error: return location for a #GError
 *
 * Writes a copy of @store for @desk: the establishments it serves only (all
 * when it names none), without the server's secrets.
 *
 * Returns: %TRUE if written, or %FALSE with @error set (and nothing left
 *   at @path)
 */
gboolean
sesame_sync_snapshot_write (SesameStore          *store,
                            const SesameSyncDesk *desk,
                            gint64                head,
                            const char           *path,
                            GError              **error)
{
  sqlite3 *db = NULL;
  char *sql;
  gboolean filtered;
  gboolean ok = FALSE;
  int rc;

  g_return_val_if_fail (SESAME_IS_STORE (store), FALSE);
  g_return_val_if_fail (desk != NULL, FALSE);

  sql = sqlite3_mprintf ("VACUUM INTO %Q", path);
  rc = sqlite3_exec (_sesame_store_get_db (store), sql, NULL, NULL, NULL);
  sqlite3_free (sql);
  if (rc != SQLITE_OK)
    {
      _sesame_store_set_error (store, error);
      g_unlink (path);
      return FALSE;
    }

  if (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
    {
      g_set_error (error, SESAME_ERROR, SESAME_ERROR_FAILED,
                   _("Cannot open the desk's copy %s: %s"), path, sqlite3_errmsg (db));
      goto out;
    }
  filtered = desk->establishments != NULL && desk->establishments[0] != NULL;
  if (!exec_on (db, path, "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; BEGIN;", error) ||
      !exec_on (db, path, strip_secrets, error))
    goto out;
  if (filtered)
    {
      sqlite3_stmt *stmt = NULL;

      if (!exec_on (db, path,
                    "CREATE TEMP TABLE keep_uais (uai TEXT PRIMARY KEY) WITHOUT ROWID;"
                    "CREATE TEMP TABLE keep_structures (jointure TEXT PRIMARY KEY) WITHOUT ROWID;",
                    error))
        goto out;
      sqlite3_prepare_v2 (db, "INSERT OR IGNORE INTO temp.keep_uais (uai) VALUES (?)", -1, &stmt, NULL);
      for (guint i = 0; desk->establishments[i] != NULL; i++)
        {
          sqlite3_bind_text (stmt, 1, desk->establishments[i], -1, SQLITE_TRANSIENT);
          sqlite3_step (stmt);
          sqlite3_reset (stmt);
        }
      sqlite3_finalize (stmt);
      if (!exec_on (db, path,
                    "INSERT OR IGNORE INTO temp.keep_structures SELECT jointure FROM establishments"
                    " WHERE uai IN temp.keep_uais;",
                    error) ||
          !exec_on (db, path, filter_establishments, error))
        goto out;
    }
  sql = sqlite3_mprintf ("INSERT INTO meta (key, value) VALUES ('" SESAME_SYNC_SNAPSHOT_HEAD_META "', %lld);",
                         (long long) head);
  ok = exec_on (db, path, sql, error);
  sqlite3_free (sql);
  if (!ok)
    goto out;
  ok = FALSE;
  if (!exec_on (db, path, "COMMIT;", error))
    goto out;
  /* Only a copy that lost rows is worth writing again smaller. */
  if (filtered && !exec_on (db, path, "VACUUM;", error))
    goto out;
  ok = TRUE;

out:
  sqlite3_close (db);
  if (!ok)
    g_unlink (path);
  return ok;
}

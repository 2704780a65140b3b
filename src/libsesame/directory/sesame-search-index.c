/* sesame-search-index.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The free-text index of persons' names that the search reads
 * (`persons_fts`, an FTS5 table beside `persons`). It is written only when
 * the directory is, by the import; keeping its one row-by-row writer here,
 * beside the search, says which columns the search can find a person by.
 */
#include "config.h"

#define G_LOG_DOMAIN "sesame-directory"

#include "sesame-search-index-private.h"

/**
 * _sesame_search_index_person:
 * @self: a #SesameStore
 * @person_key: the directory key of a person the store holds
 * @error: return location for a #GError
 *
 * Writes a person's names into the search index again, in place of what
 * it held: first name, last name and birth name. Runs inside the
 * caller's transaction.
 *
 * Returns: %TRUE on success
 */
gboolean
_sesame_search_index_person (SesameStore  *self,
                             const char   *person_key,
                             GError      **error)
{
  sqlite3_stmt *stmt;

  stmt = _sesame_store_prepare (self,
                                "DELETE FROM persons_fts WHERE rowid = (SELECT rowid FROM persons WHERE key = ?)",
                                error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, person_key, -1, SQLITE_TRANSIENT);
  if (!_sesame_store_step_done (self, stmt, error))
    return FALSE;

  stmt = _sesame_store_prepare (self,
                                "INSERT INTO persons_fts (rowid, first_name, last_name, other_names)"
                                " SELECT rowid, first_name, last_name, birth_name FROM persons WHERE key = ?",
                                error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, person_key, -1, SQLITE_TRANSIENT);
  return _sesame_store_step_done (self, stmt, error);
}

/* sesame-establishments.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The establishments of the store, as the directory import wrote them:
 * their UAI, name, address and academy. Identifier files, letters,
 * mailings and the window's filters all start from an establishment that
 * an operator chose by its UAI; they read it here rather than each
 * querying the directory's tables.
 */
#include "config.h"

#define G_LOG_DOMAIN "sesame-directory"

#include <glib/gi18n-lib.h>

#include "sesame-establishments.h"
#include "sesame-store-private.h"

G_DEFINE_BOXED_TYPE (SesameEstablishment, sesame_establishment,
                     sesame_establishment_copy, sesame_establishment_free)

/**
 * sesame_establishment_copy:
 * @establishment: a #SesameEstablishment
 *
 * Duplicates an establishment record, every string included, so that it
 * outlives the list it came from.
 *
 * Returns: (transfer full): a copy of @establishment, to free with
 *   sesame_establishment_free()
 */
SesameEstablishment *
sesame_establishment_copy (const SesameEstablishment *establishment)
{
  SesameEstablishment *copy;

  g_return_val_if_fail (establishment != NULL, NULL);

  copy = g_new0 (SesameEstablishment, 1);
  copy->jointure = g_strdup (establishment->jointure);
  copy->uai = g_strdup (establishment->uai);
  copy->name = g_strdup (establishment->name);
  copy->street = g_strdup (establishment->street);
  copy->postal_code = g_strdup (establishment->postal_code);
  copy->city = g_strdup (establishment->city);
  copy->academy = g_strdup (establishment->academy);
  return copy;
}

/**
 * sesame_establishment_free:
 * @establishment: (nullable): a #SesameEstablishment
 *
 * Frees @establishment and its strings.
 */
void
sesame_establishment_free (SesameEstablishment *establishment)
{
  if (establishment == NULL)
    return;
  g_free (establishment->jointure);
  g_free (establishment->uai);
  g_free (establishment->name);
  g_free (establishment->street);
  g_free (establishment->postal_code);
  g_free (establishment->city);
  g_free (establishment->academy);
  g_free (establishment);
}

static SesameEstablishment *
establishment_from_row (sqlite3_stmt *stmt)
{
  SesameEstablishment *establishment = g_new0 (SesameEstablishment, 1);

  establishment->jointure = g_strdup (_sesame_column_text (stmt, 0));
  establishment->uai = g_strdup (_sesame_column_text (stmt, 1));
  establishment->name = g_strdup (_sesame_column_text (stmt, 2));
  establishment->street = g_strdup (_sesame_column_text (stmt, 3));
  establishment->postal_code = g_strdup (_sesame_column_text (stmt, 4));
  establishment->city = g_strdup (_sesame_column_text (stmt, 5));
  establishment->academy = g_strdup (_sesame_column_text (stmt, 6));
  return establishment;
}

/**
 * sesame_establishments_list:
 * @self: a #SesameStore
 * @error: return location for a #GError
 *
 * Lists the establishments that the directory holds now, for an operator
 * to choose one. Reads only; needs no permission: the names of the
 * establishments are no secret.
 *
 * Returns: (transfer full) (element-type SesameEstablishment): the
 *   establishments of the store, by name, or %NULL with @error set
 */
GPtrArray *
sesame_establishments_list (SesameStore  *self,
                            GError      **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) sesame_establishment_free);
  sqlite3_stmt *stmt;

  g_return_val_if_fail (SESAME_IS_STORE (self), NULL);

  stmt = _sesame_store_prepare (self,
                                "SELECT jointure, uai, name, street, postal_code, city, academy FROM establishments"
                                " WHERE deleted_at IS NULL ORDER BY name COLLATE NAME, uai",
                                error);
  if (stmt == NULL)
    return NULL;
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (list, establishment_from_row (stmt));
  sqlite3_reset (stmt);
  return g_steal_pointer (&list);
}

/**
 * sesame_establishments_find:
 * @self: a #SesameStore
 * @uai_or_jointure: a UAI or a structure's directory key
 * @error: return location for a #GError
 *
 * Finds an establishment by its UAI, in any case, or by its directory
 * key; the UAI wins when a structure's key equals another's UAI. Sets
 * %SESAME_ERROR_NOT_FOUND when the directory holds no such establishment.
 *
 * Returns: (transfer full): the establishment, or %NULL with @error set
 */
SesameEstablishment *
sesame_establishments_find (SesameStore  *self,
                            const char   *uai_or_jointure,
                            GError      **error)
{
  g_autofree char *upper = NULL;
  SesameEstablishment *found = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (SESAME_IS_STORE (self), NULL);
  g_return_val_if_fail (uai_or_jointure != NULL, NULL);

  upper = g_ascii_strup (uai_or_jointure, -1);
  stmt = _sesame_store_prepare (self,
                                "SELECT jointure, uai, name, street, postal_code, city, academy FROM establishments"
                                " WHERE (uai = ?1 OR jointure = ?2) AND deleted_at IS NULL ORDER BY uai = ?1 DESC LIMIT 1",
                                error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, upper, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, uai_or_jointure, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    found = establishment_from_row (stmt);
  sqlite3_reset (stmt);

  if (found == NULL)
    g_set_error (error, SESAME_ERROR, SESAME_ERROR_NOT_FOUND,
                 _("No establishment has the UAI “%s”. Import its directory first."), uai_or_jointure);
  return found;
}

/* sesame-audit.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The audit trail: what each operator did, read back for the journal and
 * the person page. How an entry is said in words, with the names of the
 * persons, files and mailings it concerns, is sesame-journal.c's business:
 * the words know every domain, the trail only the store.
 */
#include "config.h"

#define G_LOG_DOMAIN "sesame-audit"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "sesame-audit.h"
#include "sesame-store-private.h"

#define DEFAULT_LIMIT 100

/* For a regenerated password (audit row "a"): the first print by the same
 * operator that names the account, alone or among the logins of a batch,
 * before the account's password was regenerated again. The operator's
 * copy of what they handed out: "slip printed or not". */
#define PRINTED_AT_SQL \
  "CASE WHEN a.action = 'reset-password' THEN COALESCE ((" \
  "  SELECT MIN (p.at) FROM audit p WHERE p.operator = a.operator AND p.action = 'print'" \
  "   AND p.at >= a.at AND (p.at > a.at OR p.rowid > a.rowid)" \
  "   AND instr (' ' || p.target || ' ', ' ' || a.target || ' ') > 0" \
  "   AND NOT EXISTS (SELECT 1 FROM audit r WHERE r.target = a.target AND r.action = 'reset-password'" \
  "    AND (r.at > a.at OR (r.at = a.at AND r.rowid > a.rowid))" \
  "    AND (r.at < p.at OR (r.at = p.at AND r.rowid < p.rowid)))), 0) ELSE 0 END"

G_DEFINE_BOXED_TYPE (SesameAuditEntry, sesame_audit_entry,
                     sesame_audit_entry_copy, sesame_audit_entry_free)

/**
 * sesame_audit_entry_copy:
 * @entry: a #SesameAuditEntry
 *
 * Copies an audit entry with its strings.
 *
 * Returns: (transfer full): a copy of @entry, freed with
 *   sesame_audit_entry_free()
 */
SesameAuditEntry *
sesame_audit_entry_copy (const SesameAuditEntry *entry)
{
  SesameAuditEntry *copy;

  g_return_val_if_fail (entry != NULL, NULL);

  copy = g_memdup2 (entry, sizeof *entry);
  copy->id = g_strdup (entry->id);
  copy->operator = g_strdup (entry->operator);
  copy->action = g_strdup (entry->action);
  copy->target = g_strdup (entry->target);
  copy->detail = g_strdup (entry->detail);
  return copy;
}

/**
 * sesame_audit_entry_free:
 * @entry: (nullable) (transfer full): a #SesameAuditEntry
 *
 * Frees @entry and its strings. %NULL is ignored.
 */
void
sesame_audit_entry_free (SesameAuditEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->id);
  g_free (entry->operator);
  g_free (entry->action);
  g_free (entry->target);
  g_free (entry->detail);
  g_free (entry);
}

static gboolean
looks_like_uai (const char *word)
{
  if (strlen (word) != 8 || !g_ascii_isalpha (word[7]))
    return FALSE;
  for (guint i = 0; i < 7; i++)
    if (!g_ascii_isdigit (word[i]))
      return FALSE;
  return TRUE;
}

/* The logins a print names, or NULL for a class or an establishment. */
static char **
print_logins (const SesameAuditEntry *entry)
{
  g_auto(GStrv) words = NULL;
  guint64 count = g_ascii_strtoull (entry->detail, NULL, 10);

  if (*entry->target == '\0')
    return NULL;
  words = g_strsplit (entry->target, " ", -1);
  if (looks_like_uai (words[0]) || (count > 1 && g_strv_length (words) != count))
    return NULL;
  return g_steal_pointer (&words);
}

/**
 * sesame_audit_entry_dup_print_logins:
 * @entry: a #SesameAuditEntry of a print
 *
 * Reads which accounts a print covered from the entry's target, for the
 * journal to show.
 *
 * Returns: (transfer full): the logins whose identifiers were printed,
 *   separated by spaces, or "" when a whole class or establishment was
 */
char *
sesame_audit_entry_dup_print_logins (const SesameAuditEntry *entry)
{
  g_auto(GStrv) logins = NULL;

  g_return_val_if_fail (entry != NULL, NULL);

  logins = print_logins (entry);
  return logins != NULL ? g_strjoinv (" ", logins) : g_strdup ("");
}

/* Reads the rows of an audit query: id, at, operator, action, target,
 * detail, and PRINTED_AT_SQL when the query has it. */
static GPtrArray *
read_entries (SesameStore   *self,
              sqlite3_stmt  *stmt,
              GError       **error)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) sesame_audit_entry_free);
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      SesameAuditEntry *entry = g_new0 (SesameAuditEntry, 1);

      entry->id = g_strdup (_sesame_column_text (stmt, 0));
      entry->at = sqlite3_column_int64 (stmt, 1);
      entry->operator = g_strdup (_sesame_column_text (stmt, 2));
      entry->action = g_strdup (_sesame_column_text (stmt, 3));
      entry->target = g_strdup (_sesame_column_text (stmt, 4));
      entry->detail = g_strdup (_sesame_column_text (stmt, 5));
      if (sqlite3_column_count (stmt) > 6)
        entry->printed_at = sqlite3_column_int64 (stmt, 6);
      g_ptr_array_add (entries, entry);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _sesame_store_set_error (self, error);
      return NULL;
    }
  return g_steal_pointer (&entries);
}

/**
 * sesame_audit_list:
 * @self: a #SesameStore
 * @own_history_only: only what the acting operator did
 * @limit: the most entries, newest first (0: 100)
 * @error: return location for a #GError
 *
 * The audit trail. Operators may read their own history; only the
 * store's owner and the administrators of every establishment read the
 * whole trail.
 *
 * It reads the store, which is used by one thread at a time. It fails with
 * %SESAME_ERROR_PERMISSION_DENIED when the acting operator may not read
 * what is asked, or with the store's (%SESAME_ERROR_BUSY,
 * %SESAME_ERROR_FAILED) errors.
 *
 * Returns: (transfer full) (element-type SesameAuditEntry): the entries
 */
GPtrArray *
sesame_audit_list (SesameStore  *self,
                   gboolean      own_history_only,
                   guint         limit,
                   GError      **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (SESAME_IS_STORE (self), NULL);

  /* Operators read their own history; pupils and parents have none. */
  if (!sesame_store_operator_check_permission (self, own_history_only ? SESAME_PERMISSION_OPERATE
                                                                      : SESAME_PERMISSION_VIEW_AUDIT,
                                               NULL, error))
    return NULL;

  if (own_history_only)
    {
      stmt = _sesame_store_prepare (self,
                                    "SELECT a.id, a.at, a.operator, a.action, a.target, a.detail, " PRINTED_AT_SQL
                                    " FROM audit a WHERE a.operator = ? ORDER BY a.at DESC, a.rowid DESC LIMIT ?",
                                    error);
      if (stmt == NULL)
        return NULL;
      sqlite3_bind_text (stmt, 1, _sesame_store_operator_name (self), -1, SQLITE_TRANSIENT);
      sqlite3_bind_int (stmt, 2, limit ? limit : DEFAULT_LIMIT);
    }
  else
    {
      stmt = _sesame_store_prepare (self,
                                    "SELECT a.id, a.at, a.operator, a.action, a.target, a.detail, " PRINTED_AT_SQL
                                    " FROM audit a ORDER BY a.at DESC, a.rowid DESC LIMIT ?",
                                    error);
      if (stmt == NULL)
        return NULL;
      sqlite3_bind_int (stmt, 1, limit ? limit : DEFAULT_LIMIT);
    }
  return read_entries (self, stmt, error);
}

/* The entries naming one of @targets, newest first. */
static GPtrArray *
list_about (SesameStore  *self,
            GPtrArray    *targets,
            gboolean      own_history_only,
            guint         limit,
            GError      **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *list = NULL;
  sqlite3_stmt *stmt;

  /* The targets travel as one JSON array, so that the statement is the
   * same whatever their number; audit_target finds each one. */
  json_builder_begin_array (builder);
  for (guint i = 0; i < targets->len; i++)
    json_builder_add_string_value (builder, g_ptr_array_index (targets, i));
  json_builder_end_array (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  list = json_generator_to_data (generator, NULL);

  stmt = _sesame_store_prepare (self,
                                "SELECT id, at, operator, action, target, detail FROM audit"
                                " WHERE target IN (SELECT value FROM json_each (?1))"
                                " AND (?2 IS NULL OR operator = ?2) ORDER BY at DESC, rowid DESC LIMIT ?3",
                                error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, list, -1, SQLITE_TRANSIENT);
  if (own_history_only)
    sqlite3_bind_text (stmt, 2, _sesame_store_operator_name (self), -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, 2);
  sqlite3_bind_int (stmt, 3, limit ? limit : DEFAULT_LIMIT);
  return read_entries (self, stmt, error);
}

/**
 * sesame_audit_list_about:
 * @self: a #SesameStore
 * @targets: (array zero-terminated=1): what the entries name: a person's
 *   login and key, a file's id…
 * @own_history_only: only what the acting operator did
 * @limit: the most entries, newest first (0: 100)
 * @error: return location for a #GError
 *
 * The entries of the audit trail about someone or something, however old
 * they are. A change of login names the old login: the entries about it
 * are part of the history too. Operators may read their own history; only
 * the store's owner and the administrators of every establishment read
 * the whole trail.
 *
 * It reads the store, which is used by one thread at a time. It fails with
 * %SESAME_ERROR_PERMISSION_DENIED when the acting operator may not read
 * what is asked, or with the store's (%SESAME_ERROR_BUSY,
 * %SESAME_ERROR_FAILED) errors.
 *
 * Returns: (transfer full) (element-type SesameAuditEntry): the entries
 */
GPtrArray *
sesame_audit_list_about (SesameStore        *self,
                         const char * const *targets,
                         gboolean            own_history_only,
                         guint               limit,
                         GError            **error)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) entries = NULL;
  gboolean more = TRUE;

  g_return_val_if_fail (SESAME_IS_STORE (self), NULL);
  g_return_val_if_fail (targets != NULL, NULL);

  /* Operators read their own history; pupils and parents have none. */
  if (!sesame_store_operator_check_permission (self, own_history_only ? SESAME_PERMISSION_OPERATE
                                                                      : SESAME_PERMISSION_VIEW_AUDIT,
                                               NULL, error))
    return NULL;

  for (guint i = 0; targets[i] != NULL; i++)
    g_ptr_array_add (names, g_strdup (targets[i]));

  /* Each change of login found brings in the login before it. */
  for (guint round = 0; more && round < 8; round++)
    {
      g_clear_pointer (&entries, g_ptr_array_unref);
      entries = list_about (self, names, own_history_only, limit, error);
      if (entries == NULL)
        return NULL;

      more = FALSE;
      for (guint i = 0; i < entries->len; i++)
        {
          SesameAuditEntry *entry = g_ptr_array_index (entries, i);
          const char *arrow;
          g_autofree char *old = NULL;

          if (!g_str_equal (entry->action, "set-login") ||
              (arrow = strstr (entry->detail, SESAME_AUDIT_LOGIN_CHANGE)) == NULL)
            continue;
          old = g_strndup (entry->detail, arrow - entry->detail);
          if (!g_ptr_array_find_with_equal_func (names, old, g_str_equal, NULL))
            {
              g_ptr_array_add (names, g_steal_pointer (&old));
              more = TRUE;
            }
        }
    }
  return g_steal_pointer (&entries);
}

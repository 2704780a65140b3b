/* sesame-sync-server.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The server decides. A desk's entry is a changeset that SQLite would
 * apply blindly: so before applying it, every row is checked in the
 * server's current state, acting as the entry's operator, with the same
 * permission checks the desk's own interface went through (an entry may be
 * forged, or made by an operator whose role was revoked since). Then it is
 * applied as compare-and-swap: a row whose old values no longer match
 * makes the entry stale (the desk pulls and tries again), a broken
 * constraint refuses it with a reason the desk shows. What was applied,
 * with the server's own touches (the audit trail's desk and server time,
 * the role changes' order) is recorded by a session of its own and
 * published in the feed, ordered by seq. Every verdict is kept, so that an
 * entry pushed twice is applied once and answered the same.
 *
 * A reason is read by the operator of the desk that pushed, not by the
 * server's administrator: it is written in the desk's language (sent with
 * its push), whatever the server's locale. The strings here go through
 * the document language's catalogs (sesame-document-language-private.h),
 * which need no system locale generated on the server.
 */
#include "config.h"

#define G_LOG_DOMAIN "sesame-sync"

#include <sodium.h>
#include <string.h>

#include "sesame-document-language-private.h"
#include "sesame-seal-private.h"
#include "sesame-sync-private.h"

/* Written by imports alone: a desk never pushes them. */
static const char * const directory_tables[] = {
  "persons", "establishments", "subjects", "memberships", "guardians",
  "functions", "teachings", "staff_subjects", NULL
};

gboolean
_sesame_sync_table_is_synced (const char *table)
{
  return g_strv_contains ((const char * const *) _sesame_store_synced_tables (), table);
}

typedef struct
{
  SesameStore           *server;
  const SesameSyncEntry *entry;
  SesameSyncVerdict      verdict;
  char                  *reason;
  char                  *scope;
  gboolean               scope_mixed;
  GPtrArray             *role_ids;   /* role_events inserted */
  GPtrArray             *audit_ids;  /* audit rows inserted */
  GPtrArray             *credential_persons; /* credentials inserted: person keys */
  GPtrArray             *credential_ids;
} Check;

static void
check_clear (Check *check)
{
  g_clear_pointer (&check->reason, g_free);
  g_clear_pointer (&check->scope, g_free);
  g_clear_pointer (&check->role_ids, g_ptr_array_unref);
  g_clear_pointer (&check->audit_ids, g_ptr_array_unref);
  g_clear_pointer (&check->credential_persons, g_ptr_array_unref);
  g_clear_pointer (&check->credential_ids, g_ptr_array_unref);
}

static gboolean
refuse (Check      *check,
        const char *format,
        ...) G_GNUC_PRINTF (2, 3);

static gboolean
refuse (Check      *check,
        const char *format,
        ...)
{
  va_list args;

  if (check->verdict == SESAME_SYNC_VERDICT_ACCEPTED)
    {
      check->verdict = SESAME_SYNC_VERDICT_REJECTED;
      va_start (args, format);
      g_free (check->reason);
      check->reason = g_strdup_vprintf (format, args);
      va_end (args);
    }
  return FALSE;
}

static const char *
value_text (sqlite3_value *value)
{
  if (value == NULL || sqlite3_value_type (value) != SQLITE_TEXT)
    return NULL;
  return (const char *) sqlite3_value_text (value);
}

/* A column's value in the row the change describes: the new one, else
 * the old one (a primary key of an UPDATE is in the old values only). */
static sqlite3_value *
row_value (sqlite3_changeset_iter *iter,
           int                     op,
           int                     column)
{
  sqlite3_value *value = NULL;

  if (op != SQLITE_DELETE && sqlite3changeset_new (iter, column, &value) == SQLITE_OK && value != NULL)
    return value;
  value = NULL;
  if (op != SQLITE_INSERT && sqlite3changeset_old (iter, column, &value) == SQLITE_OK)
    return value;
  return NULL;
}

/* What the server knows of a synced table: its columns, read once per
 * connection (its schema changes only when the program is updated), and
 * the statements that apply rows to it. */
typedef struct
{
  GHashTable *columns;    /* table → GStrv of its column names */
  GHashTable *statements; /* SQL → sqlite3_stmt */
} ServerCache;

static void
server_cache_free (ServerCache *cache)
{
  g_hash_table_unref (cache->columns);
  g_hash_table_unref (cache->statements);
  g_free (cache);
}

static void
finalize_statement (gpointer stmt)
{
  sqlite3_finalize (stmt);
}

static ServerCache *
server_cache (SesameStore *server)
{
  static GQuark quark;
  ServerCache *cache;

  if (quark == 0)
    quark = g_quark_from_static_string ("sesame-sync-server-cache");
  cache = g_object_get_qdata (G_OBJECT (server), quark);
  if (cache == NULL)
    {
      cache = g_new0 (ServerCache, 1);
      cache->columns = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_strfreev);
      /* Finalized after the connection was closed with sqlite3_close_v2(),
       * which waits for them. */
      cache->statements = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, finalize_statement);
      g_object_set_qdata_full (G_OBJECT (server), quark, cache, (GDestroyNotify) server_cache_free);
    }
  return cache;
}

static const char * const *
table_columns (SesameStore *server,
               const char  *table)
{
  ServerCache *cache = server_cache (server);
  g_autoptr(GStrvBuilder) builder = NULL;
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt = NULL;
  char **columns;

  columns = g_hash_table_lookup (cache->columns, table);
  if (columns != NULL)
    return (const char * const *) columns;

  builder = g_strv_builder_new ();
  sql = g_strdup_printf ("SELECT name FROM pragma_table_info('%s') ORDER BY cid", table);
  if (sqlite3_prepare_v2 (_sesame_store_get_db (server), sql, -1, &stmt, NULL) == SQLITE_OK)
    while (sqlite3_step (stmt) == SQLITE_ROW)
      g_strv_builder_add (builder, (const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  columns = g_strv_builder_end (builder);
  g_hash_table_insert (cache->columns, g_strdup (table), columns);
  return (const char * const *) columns;
}

static int
server_column_count (SesameStore *server,
                     const char  *table)
{
  return (int) g_strv_length ((char **) table_columns (server, table));
}

static sqlite3_stmt *
cached_statement (SesameStore  *server,
                  const char   *sql,
                  GError      **error)
{
  ServerCache *cache = server_cache (server);
  sqlite3_stmt *stmt = g_hash_table_lookup (cache->statements, sql);

  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }
  if (sqlite3_prepare_v3 (_sesame_store_get_db (server), sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) != SQLITE_OK)
    {
      _sesame_store_set_error (server, error);
      return NULL;
    }
  g_hash_table_insert (cache->statements, g_strdup (sql), stmt);
  return stmt;
}

typedef struct
{
  gboolean  found;
  int       profile;
  char     *uai;
  char     *name;
  char     *login;
  gboolean  left;
} PersonFacts;

static void
person_facts_clear (PersonFacts *facts)
{
  g_clear_pointer (&facts->uai, g_free);
  g_clear_pointer (&facts->name, g_free);
  g_clear_pointer (&facts->login, g_free);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (PersonFacts, person_facts_clear)

static void
load_person (SesameStore *server,
             const char  *key,
             PersonFacts *facts)
{
  sqlite3_stmt *stmt;

  stmt = _sesame_store_prepare (server,
                                "SELECT p.profile, COALESCE (e.uai, ''), p.first_name || ' ' || p.last_name,"
                                " COALESCE (a.login, ''),"
                                " p.left_at IS NOT NULL OR p.deleted_at IS NOT NULL OR a.disabled_at IS NOT NULL"
                                " FROM persons p LEFT JOIN establishments e ON e.jointure = p.structure"
                                " LEFT JOIN accounts a ON a.person_key = p.key"
                                " WHERE p.key = ?",
                                NULL);
  if (stmt == NULL)
    return;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      facts->found = TRUE;
      facts->profile = sqlite3_column_int (stmt, 0);
      facts->uai = g_strdup (_sesame_column_text (stmt, 1));
      facts->name = g_strdup (_sesame_column_text (stmt, 2));
      facts->login = g_strdup (_sesame_column_text (stmt, 3));
      facts->left = sqlite3_column_int (stmt, 4) != 0;
    }
  sqlite3_reset (stmt);
}

static void
note_scope (Check       *check,
            PersonFacts *facts)
{
  if (facts->uai == NULL || facts->uai[0] == '\0' || check->scope_mixed)
    return;
  if (check->scope == NULL)
    check->scope = g_strdup (facts->uai);
  else if (!g_str_equal (check->scope, facts->uai))
    check->scope_mixed = TRUE;
}

/* The person concerned must exist and be within the operator's reach for
 * this permission; their establishment becomes the entry's scope. */
static gboolean
check_person (Check            *check,
              const char       *key,
              SesamePermission  permission,
              PersonFacts      *facts)
{
  g_autoptr(GError) error = NULL;

  if (key == NULL)
    return refuse (check, _("A change names no person."));
  load_person (check->server, key, facts);
  if (!facts->found)
    return refuse (check, _("The person %s is not in the server's directory."), key);
  if (!sesame_store_operator_check_permission (check->server, permission, key, &error))
    return refuse (check, "%s", error->message);
  note_scope (check, facts);
  return TRUE;
}

static gboolean
is_academy_staff (PersonFacts *facts)
{
  return facts->profile == SESAME_PROFILE_ENSEIGNANT || facts->profile == SESAME_PROFILE_NON_ENSEIGNANT;
}

static gboolean
refuse_academy_staff (Check       *check,
                      PersonFacts *facts)
{
  if (!is_academy_staff (facts))
    return TRUE;
  return refuse (check,
                 _("%s is academy staff: their credentials come from the academy and are never handed out by Sésame."),
                 facts->name);
}

/* Columns of a row an UPDATE changes: those whose new value is given. */
static gboolean
changes_only (sqlite3_changeset_iter *iter,
              int                     columns,
              const guint64           allowed)
{
  for (int i = 0; i < columns; i++)
    {
      sqlite3_value *value = NULL;

      if (sqlite3changeset_new (iter, i, &value) == SQLITE_OK && value != NULL &&
          (allowed & (G_GUINT64_CONSTANT (1) << i)) == 0)
        return FALSE;
    }
  return TRUE;
}

static gboolean
changes_column (sqlite3_changeset_iter *iter,
                int                     column)
{
  sqlite3_value *value = NULL;

  return sqlite3changeset_new (iter, column, &value) == SQLITE_OK && value != NULL;
}

#define COL(n) (G_GUINT64_CONSTANT (1) << (n))

/* accounts: person_key 0, login 1, created_at 2, created_by_import 3,
 * login_changed_at 4, password_hash 5, password_changed_at 6,
 * first_sign_in_at 7, last_sign_in_at 8, disabled_at 9, deleted_at 10 */
static gboolean
check_account (Check                  *check,
               sqlite3_changeset_iter *iter,
               int                     op,
               int                     columns)
{
  g_auto(PersonFacts) facts = { 0, };
  const char *key = value_text (row_value (iter, op, 0));
  gboolean login = changes_column (iter, 1) || changes_column (iter, 4);
  gboolean password = changes_column (iter, 5) || changes_column (iter, 6) ||
                      changes_column (iter, 7) || changes_column (iter, 8);

  if (op != SQLITE_UPDATE)
    return refuse (check, _("Accounts are created and removed by directory imports only."));
  if (!changes_only (iter, columns, COL (1) | COL (4) | COL (5) | COL (6) | COL (7) | COL (8)))
    return refuse (check, _("Only a login, a password and the dates of signing in may be changed on an account."));
  if (login && !check_person (check, key, SESAME_PERMISSION_CHANGE_LOGIN, &facts))
    return FALSE;
  if (password && !check_person (check, key, SESAME_PERMISSION_RESET_PASSWORD, &facts))
    return FALSE;
  if (login || password)
    return refuse_academy_staff (check, &facts);
  return TRUE;
}

static char *
credential_person (SesameStore *server,
                   const char  *id)
{
  sqlite3_stmt *stmt;
  char *key = NULL;

  stmt = _sesame_store_prepare (server, "SELECT person_key FROM credentials WHERE id = ?", NULL);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    key = g_strdup (_sesame_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return key;
}

/* A server's store holds first passwords sealed with its own key only:
 * one in clear, or sealed with another key, never gets in. */
static gboolean
check_sealed (Check         *check,
              sqlite3_value *password)
{
  g_autofree char *clear = NULL;
  const char *stored = value_text (password);

  if (stored == NULL || _sesame_seal_get_mode (check->server) != SESAME_SEAL_MODE_SERVER)
    return TRUE;
  if (_sesame_seal_is_sealed (stored))
    clear = _sesame_seal_unseal_password (check->server, stored, NULL);
  if (clear == NULL)
    return refuse (check, _("A first password must reach the server sealed with the establishment's key: sign in on the desk while the server is reachable, then regenerate it."));
  sodium_memzero (clear, strlen (clear));
  return TRUE;
}

/* credentials: id 0, person_key 1, password 2, created_at 3, expires_at 4,
 * created_by 5, used_at 6, revoked_at 7, purged_at 8 */
static gboolean
check_credential (Check                  *check,
                  sqlite3_changeset_iter *iter,
                  int                     op,
                  int                     columns)
{
  g_auto(PersonFacts) facts = { 0, };
  const char *id = value_text (row_value (iter, op, 0));

  if (op == SQLITE_INSERT)
    {
      const char *key = value_text (row_value (iter, op, 1));
      const char *created_by = value_text (row_value (iter, op, 5));

      if (!check_person (check, key, SESAME_PERMISSION_RESET_PASSWORD, &facts) ||
          !refuse_academy_staff (check, &facts))
        return FALSE;
      if (facts.left)
        return refuse (check,
                       _("%s has left the establishment (the directory import says so): no password can be regenerated for them."),
                       facts.name);
      if (g_strcmp0 (created_by, check->entry->operator) != 0)
        return refuse (check, _("A password must be recorded as made by the operator who made it."));
      if (!check_sealed (check, row_value (iter, op, 2)))
        return FALSE;
      g_ptr_array_add (check->credential_persons, g_strdup (key));
      g_ptr_array_add (check->credential_ids, g_strdup (id));
      return TRUE;
    }
  if (op == SQLITE_UPDATE)
    {
      g_autofree char *key = NULL;
      sqlite3_value *password = NULL;

      /* A first password is only ever purged, used or revoked. */
      if (!changes_only (iter, columns, COL (2) | COL (6) | COL (7) | COL (8)) ||
          (sqlite3changeset_new (iter, 2, &password) == SQLITE_OK && password != NULL &&
           sqlite3_value_type (password) != SQLITE_NULL))
        return refuse (check, _("A first password can only be revoked or marked used once it is made."));
      key = id ? credential_person (check->server, id) : NULL;
      if (key == NULL)
        return TRUE; /* applied as a row not found: stale */
      return check_person (check, key, SESAME_PERMISSION_RESET_PASSWORD, &facts);
    }
  return refuse (check, _("First passwords are never deleted: they are revoked."));
}

/* former_logins: person_key 0, login 1, replaced_at 2 */
static gboolean
check_former_login (Check                  *check,
                    sqlite3_changeset_iter *iter,
                    int                     op)
{
  g_auto(PersonFacts) facts = { 0, };

  if (op != SQLITE_INSERT)
    return refuse (check, _("Former logins are only ever added."));
  return check_person (check, value_text (row_value (iter, op, 0)), SESAME_PERMISSION_CHANGE_LOGIN, &facts);
}

/* Whether a revocation of this role reached the server after what the
 * desk had seen when it granted it. */
static gboolean
revoked_since (SesameStore *server,
               const char  *key,
               const char  *role,
               gint64       base_seq)
{
  sqlite3_stmt *stmt;
  gboolean revoked = FALSE;

  stmt = _sesame_store_prepare (server,
                                "SELECT 1 FROM sync_feed_roles WHERE person_key = ? AND role = ? AND seq > ? AND granted = 0",
                                NULL);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, role, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, base_seq);
  revoked = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_reset (stmt);
  return revoked;
}

/* role_events: id 0, person_key 1, role 2, scope 3, granted 4, operator 5,
 * at 6, seq 7 */
static gboolean
check_role_event (Check                  *check,
                  sqlite3_changeset_iter *iter,
                  int                     op)
{
  g_auto(PersonFacts) facts = { 0, };
  const char *key;
  const char *role;
  sqlite3_value *granted;

  if (op != SQLITE_INSERT)
    return refuse (check, _("Role grants and revocations are only ever added."));
  key = value_text (row_value (iter, op, 1));
  role = value_text (row_value (iter, op, 2));
  granted = row_value (iter, op, 4);
  if (!check_person (check, key, SESAME_PERMISSION_MANAGE_ROLES, &facts))
    return FALSE;
  if (g_strcmp0 (value_text (row_value (iter, op, 5)), check->entry->operator) != 0)
    return refuse (check, _("A role change must be recorded as made by the operator who made it."));
  if (granted != NULL && sqlite3_value_int (granted) != 0 && role != NULL &&
      revoked_since (check->server, key, role, check->entry->base_seq))
    return refuse (check,
                   _("The role of %s was revoked on another desk meanwhile: a revocation wins over a grant made without knowing it."),
                   facts.name);
  g_ptr_array_add (check->role_ids, g_strdup (value_text (row_value (iter, op, 0))));
  return TRUE;
}

/* audit: id 0, at 1, operator 2, action 3, target 4, detail 5, desk 6,
 * server_at 7 */
static gboolean
check_audit (Check                  *check,
             sqlite3_changeset_iter *iter,
             int                     op)
{
  if (op != SQLITE_INSERT)
    return refuse (check, _("The audit trail is only ever added to."));
  if (g_strcmp0 (value_text (row_value (iter, op, 2)), check->entry->operator) != 0)
    return refuse (check, _("An audit entry must name the operator who made the change."));
  g_ptr_array_add (check->audit_ids, g_strdup (value_text (row_value (iter, op, 0))));
  return TRUE;
}

static gboolean
check_row (Check                  *check,
           sqlite3_changeset_iter *iter)
{
  const char *table;
  int columns, op, indirect;
  int expected;

  if (sqlite3changeset_op (iter, &table, &columns, &op, &indirect) != SQLITE_OK)
    return refuse (check, _("The change cannot be read."));
  if (g_strv_contains (directory_tables, table))
    return refuse (check, _("The directory (persons, establishments, classes, links) is changed by imports on the server only."));
  if (!_sesame_sync_table_is_synced (table))
    return refuse (check, _("A desk may not change the table “%s”."), table);
  expected = server_column_count (check->server, table);
  if (columns != expected)
    return refuse (check,
                   _("The change to “%s” has %d columns where the server has %d: update Sésame on this desk."),
                   table, columns, expected);
  if (op == SQLITE_DELETE)
    return refuse (check, _("Rows are never deleted: they are marked removed."));

  if (g_str_equal (table, "accounts"))
    return check_account (check, iter, op, columns);
  if (g_str_equal (table, "credentials"))
    return check_credential (check, iter, op, columns);
  if (g_str_equal (table, "former_logins"))
    return check_former_login (check, iter, op);
  if (g_str_equal (table, "role_events"))
    return check_role_event (check, iter, op);
  if (g_str_equal (table, "audit"))
    return check_audit (check, iter, op);
  return refuse (check, _("A desk may not change the table “%s”."), table);
}

static gboolean
check_changeset (Check *check)
{
  GBytes *changeset = check->entry->changeset;
  sqlite3_changeset_iter *iter = NULL;
  gsize size;
  gconstpointer data = g_bytes_get_data (changeset, &size);
  int rc;

  if (size == 0)
    return refuse (check, _("The change is empty."));
  if (sqlite3changeset_start (&iter, (int) size, (void *) data) != SQLITE_OK)
    return refuse (check, _("The change cannot be read."));
  while ((rc = sqlite3changeset_next (iter)) == SQLITE_ROW)
    if (!check_row (check, iter))
      break;
  if (sqlite3changeset_finalize (iter) != SQLITE_OK || (rc != SQLITE_ROW && rc != SQLITE_DONE))
    refuse (check, _("The change cannot be read."));
  return check->verdict == SESAME_SYNC_VERDICT_ACCEPTED;
}

/* Whether a first password is already revoked or used on the server. */
static gboolean
credential_settled (SesameStore *server,
                    const char  *id)
{
  sqlite3_stmt *stmt;
  gboolean settled = FALSE;

  stmt = _sesame_store_prepare (server,
                                "SELECT revoked_at IS NOT NULL OR used_at IS NOT NULL FROM credentials WHERE id = ?",
                                NULL);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    settled = sqlite3_column_int (stmt, 0) != 0;
  sqlite3_reset (stmt);
  return settled;
}

/* A conflict while applying (SQLite's kinds): stale, refused, or a fact
 * already true, to leave out. */
static int
resolve_conflict (Check                  *check,
                  int                     kind,
                  sqlite3_changeset_iter *iter)
{
  const char *table;
  int columns, op, indirect;

  sqlite3changeset_op (iter, &table, &columns, &op, &indirect);
  switch (kind)
    {
    case SQLITE_CHANGESET_DATA:
      /* Two desks revoked or used the same first password: it is so. */
      if (g_str_equal (table, "credentials") && changes_only (iter, columns, COL (2) | COL (6) | COL (7) | COL (8)))
        {
          const char *id = value_text (row_value (iter, SQLITE_UPDATE, 0));

          if (id != NULL && credential_settled (check->server, id))
            return SQLITE_CHANGESET_OMIT;
        }
      check->verdict = SESAME_SYNC_VERDICT_STALE;
      return SQLITE_CHANGESET_ABORT;

    case SQLITE_CHANGESET_NOTFOUND:
      check->verdict = SESAME_SYNC_VERDICT_STALE;
      return SQLITE_CHANGESET_ABORT;

    case SQLITE_CHANGESET_CONFLICT:
      /* Two desks recorded the same former login. */
      if (g_str_equal (table, "former_logins"))
        return SQLITE_CHANGESET_OMIT;
      refuse (check, _("This change was already recorded on the server."));
      return SQLITE_CHANGESET_ABORT;

    case SQLITE_CHANGESET_CONSTRAINT:
      if (g_str_equal (table, "accounts"))
        {
          sqlite3_value *login = NULL;
          const char *text;
          sqlite3_stmt *stmt;

          if (sqlite3changeset_new (iter, 1, &login) == SQLITE_OK && (text = value_text (login)) != NULL)
            {
              stmt = _sesame_store_prepare (check->server,
                                            "SELECT p.first_name || ' ' || p.last_name FROM accounts a"
                                            " JOIN persons p ON p.key = a.person_key WHERE a.login = ?",
                                            NULL);
              if (stmt != NULL)
                {
                  g_autofree char *holder = NULL;

                  sqlite3_bind_text (stmt, 1, text, -1, SQLITE_TRANSIENT);
                  if (sqlite3_step (stmt) == SQLITE_ROW)
                    holder = g_strdup (_sesame_column_text (stmt, 0));
                  sqlite3_reset (stmt);
                  if (holder != NULL)
                    {
                      refuse (check, _("The login “%s” is already taken by %s."), text, holder);
                      return SQLITE_CHANGESET_ABORT;
                    }
                }
            }
        }
      refuse (check, _("The change breaks a rule of the server's store (table “%s”)."), table);
      return SQLITE_CHANGESET_ABORT;

    default:
      refuse (check, _("The change breaks a rule of the server's store (table “%s”)."), table);
      return SQLITE_CHANGESET_ABORT;
    }
}

/* Applies one row as compare-and-swap: an INSERT must not find its key,
 * an UPDATE must find its row with the old values of the columns it
 * changes. Statements of its own, kept prepared: SQLite's
 * sqlite3changeset_apply_v2() sets a pragma that makes every prepared
 * statement of the connection compile again after each entry. Returns
 * FALSE with @error on a failure of the store; a conflict sets
 * check->verdict unless its rule leaves the row out. */
static gboolean
apply_row (Check                  *check,
           sqlite3_changeset_iter *iter,
           GError                **error)
{
  SesameStore *server = check->server;
  sqlite3 *db = _sesame_store_get_db (server);
  const char * const *names;
  const char *table;
  int columns, op, indirect;
  unsigned char *pk = NULL;
  g_autoptr(GString) sql = g_string_new (NULL);
  sqlite3_stmt *stmt;
  int rc, kind = 0;

  sqlite3changeset_op (iter, &table, &columns, &op, &indirect);
  sqlite3changeset_pk (iter, &pk, NULL);
  names = table_columns (server, table);
  g_assert ((int) g_strv_length ((char **) names) == columns);

  if (op == SQLITE_INSERT)
    {
      g_string_append_printf (sql, "INSERT INTO \"%s\" VALUES (", table);
      for (int i = 0; i < columns; i++)
        g_string_append_printf (sql, "%s?%d", i > 0 ? ", " : "", i + 1);
      g_string_append (sql, ")");
    }
  else
    {
      gboolean first = TRUE;

      g_string_append_printf (sql, "UPDATE \"%s\" SET ", table);
      for (int i = 0; i < columns; i++)
        if (!pk[i] && changes_column (iter, i))
          {
            g_string_append_printf (sql, "%s\"%s\" = ?%d", first ? "" : ", ", names[i], i + 1);
            first = FALSE;
          }
      first = TRUE;
      for (int i = 0; i < columns; i++)
        {
          sqlite3_value *old = NULL;

          if (pk[i])
            g_string_append_printf (sql, " %s \"%s\" = ?%d", first ? "WHERE" : "AND", names[i], columns + i + 1);
          else if (sqlite3changeset_old (iter, i, &old) == SQLITE_OK && old != NULL)
            g_string_append_printf (sql, " %s \"%s\" IS ?%d", first ? "WHERE" : "AND", names[i], columns + i + 1);
          else
            continue;
          first = FALSE;
        }
    }

  stmt = cached_statement (server, sql->str, error);
  if (stmt == NULL)
    return FALSE;
  for (int i = 0; i < columns; i++)
    {
      sqlite3_value *value = NULL;

      if (op == SQLITE_INSERT || !pk[i])
        {
          if (sqlite3changeset_new (iter, i, &value) == SQLITE_OK && value != NULL)
            sqlite3_bind_value (stmt, i + 1, value);
        }
      if (op == SQLITE_UPDATE)
        {
          value = NULL;
          if (sqlite3changeset_old (iter, i, &value) == SQLITE_OK && value != NULL)
            sqlite3_bind_value (stmt, columns + i + 1, value);
        }
    }
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE && op == SQLITE_UPDATE && sqlite3_changes (db) == 0)
    {
      /* Not applied: the row is gone, or its old values changed. */
      g_autoptr(GString) exists = g_string_new (NULL);
      sqlite3_stmt *lookup;

      g_string_append_printf (exists, "SELECT 1 FROM \"%s\"", table);
      for (int i = 0, n = 0; i < columns; i++)
        if (pk[i])
          g_string_append_printf (exists, " %s \"%s\" = ?%d", n++ == 0 ? "WHERE" : "AND", names[i], i + 1);
      lookup = cached_statement (server, exists->str, error);
      if (lookup == NULL)
        {
          sqlite3_reset (stmt);
          return FALSE;
        }
      for (int i = 0; i < columns; i++)
        {
          sqlite3_value *value = NULL;

          if (pk[i] && sqlite3changeset_old (iter, i, &value) == SQLITE_OK && value != NULL)
            sqlite3_bind_value (lookup, i + 1, value);
        }
      kind = sqlite3_step (lookup) == SQLITE_ROW ? SQLITE_CHANGESET_DATA : SQLITE_CHANGESET_NOTFOUND;
      sqlite3_reset (lookup);
    }
  else if (rc == SQLITE_CONSTRAINT)
    kind = op == SQLITE_INSERT && sqlite3_extended_errcode (db) == SQLITE_CONSTRAINT_PRIMARYKEY
           ? SQLITE_CHANGESET_CONFLICT : SQLITE_CHANGESET_CONSTRAINT;
  else if (rc != SQLITE_DONE)
    {
      _sesame_store_set_error (server, error);
      sqlite3_reset (stmt);
      return FALSE;
    }
  sqlite3_reset (stmt);

  if (kind != 0)
    resolve_conflict (check, kind, iter);
  return TRUE;
}

static gboolean
apply_changeset (Check   *check,
                 GError **error)
{
  sqlite3_changeset_iter *iter = NULL;
  gsize size;
  gconstpointer data = g_bytes_get_data (check->entry->changeset, &size);
  gboolean ok = TRUE;

  if (sqlite3changeset_start (&iter, (int) size, (void *) data) != SQLITE_OK)
    return refuse (check, _("The change cannot be read."));
  while (ok && check->verdict == SESAME_SYNC_VERDICT_ACCEPTED && sqlite3changeset_next (iter) == SQLITE_ROW)
    ok = apply_row (check, iter, error);
  sqlite3changeset_finalize (iter);
  return ok;
}

static gboolean
exec_each (SesameStore  *server,
           const char   *sql,
           GPtrArray    *ids,
           const char   *text,
           gint64        number,
           GError      **error)
{
  for (guint i = 0; i < ids->len; i++)
    {
      sqlite3_stmt *stmt = _sesame_store_prepare (server, sql, error);

      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, g_ptr_array_index (ids, i), -1, SQLITE_TRANSIENT);
      if (text != NULL)
        sqlite3_bind_text (stmt, 2, text, -1, SQLITE_TRANSIENT);
      else
        sqlite3_bind_null (stmt, 2);
      sqlite3_bind_int64 (stmt, 3, number);
      if (!_sesame_store_step_done (server, stmt, error))
        return FALSE;
    }
  return TRUE;
}

/* Two regenerations made without knowing of each other: both first
 * passwords stay valid until the first sign-in, and both operators are
 * told, this one by the verdict, the other by an audit entry that names
 * them and reaches their desk through the feed. */
static gboolean
note_concurrent_regenerations (Check       *check,
                               const char  *desk,
                               gint64       now,
                               GError     **error)
{
  for (guint i = 0; i < check->credential_persons->len; i++)
    {
      const char *key = g_ptr_array_index (check->credential_persons, i);
      const char *id = g_ptr_array_index (check->credential_ids, i);
      g_autofree char *other = NULL;
      g_autofree char *other_desk = NULL;
      g_autofree char *detail = NULL;
      g_autofree char *audit_id = NULL;
      g_auto(PersonFacts) facts = { 0, };
      sqlite3_stmt *stmt;

      stmt = _sesame_store_prepare (check->server,
                                    "SELECT c.created_by, COALESCE ((SELECT a.desk FROM audit a"
                                    "   WHERE a.action = 'reset-password' AND a.operator = c.created_by"
                                    "   AND a.target = (SELECT login FROM accounts WHERE person_key = c.person_key)"
                                    "   ORDER BY a.at DESC LIMIT 1), '')"
                                    " FROM credentials c WHERE c.person_key = ?1 AND c.id <> ?2"
                                    " AND c.password IS NOT NULL AND c.used_at IS NULL AND c.revoked_at IS NULL"
                                    " ORDER BY c.created_at DESC LIMIT 1",
                                    error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, id, -1, SQLITE_TRANSIENT);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        {
          other = g_strdup (_sesame_column_text (stmt, 0));
          other_desk = g_strdup (_sesame_column_text (stmt, 1));
        }
      sqlite3_reset (stmt);
      if (other == NULL)
        continue;

      load_person (check->server, key, &facts);
      g_free (check->reason);
      check->reason = g_strdup_printf (_("%s also regenerated the password of %s at the same time, on another desk: "
                                         "both first passwords stay valid until the first sign-in."),
                                       other, facts.login ? facts.login : key);
      /* "operator@desk" of the other regeneration, read by that desk. */
      detail = g_strdup_printf ("%s@%s", other, other_desk);
      audit_id = _sesame_new_id ();
      stmt = _sesame_store_prepare (check->server,
                                    "INSERT INTO audit (id, at, operator, action, target, detail, desk, server_at)"
                                    " VALUES (?, ?, ?, 'concurrent-regeneration', ?, ?, ?, ?)",
                                    error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, audit_id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 2, check->entry->desk_time);
      sqlite3_bind_text (stmt, 3, check->entry->operator, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 4, facts.login ? facts.login : "", -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 5, detail, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 6, desk, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 7, now);
      if (!_sesame_store_step_done (check->server, stmt, error))
        return FALSE;
    }
  return TRUE;
}

static char *
digest_changeset (GBytes *changeset)
{
  return g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, changeset);
}

static gboolean
record_verdict (SesameStore        *server,
                const char         *entry_id,
                const char         *desk,
                const char         *digest,
                SesameSyncVerdict   verdict,
                gint64              seq,
                const char         *reason,
                GError            **error)
{
  sqlite3_stmt *stmt;

  stmt = _sesame_store_prepare (server,
                                "INSERT INTO sync_verdicts (entry_id, desk, digest, verdict, seq, reason, at)"
                                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                                error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, entry_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, desk, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, digest, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, sesame_sync_verdict_to_string (verdict), -1, SQLITE_STATIC);
  if (seq > 0)
    sqlite3_bind_int64 (stmt, 5, seq);
  sqlite3_bind_text (stmt, 6, reason ? reason : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 7, g_get_real_time () / G_USEC_PER_SEC);
  return _sesame_store_step_done (server, stmt, error);
}

/* An entry seen before: its first verdict, if it is the same entry. */
static gboolean
lookup_verdict (SesameStore        *server,
                const SesameSyncEntry *entry,
                const char         *desk,
                const char         *digest,
                SesameSyncVerdict  *verdict,
                gint64             *seq,
                char              **reason)
{
  sqlite3_stmt *stmt;
  gboolean found = FALSE;

  stmt = _sesame_store_prepare (server,
                                "SELECT desk, digest, verdict, COALESCE (seq, 0), reason FROM sync_verdicts WHERE entry_id = ?",
                                NULL);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, entry->id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      found = TRUE;
      if (g_str_equal (_sesame_column_text (stmt, 0), desk) &&
          g_str_equal (_sesame_column_text (stmt, 1), digest))
        {
          *verdict = g_str_equal (_sesame_column_text (stmt, 2), "accepted")
                     ? SESAME_SYNC_VERDICT_ACCEPTED : SESAME_SYNC_VERDICT_REJECTED;
          *seq = sqlite3_column_int64 (stmt, 3);
          *reason = g_strdup (_sesame_column_text (stmt, 4));
        }
      else
        {
          *verdict = SESAME_SYNC_VERDICT_REJECTED;
          *seq = 0;
          *reason = g_strdup (_("This change's key was already used by another change: it is refused."));
        }
    }
  sqlite3_reset (stmt);
  return found;
}

static gboolean
record_feed_roles (SesameStore  *server,
                   GPtrArray    *role_ids,
                   gint64        seq,
                   GError      **error)
{
  for (guint i = 0; i < role_ids->len; i++)
    {
      sqlite3_stmt *stmt;

      stmt = _sesame_store_prepare (server,
                                    "INSERT OR IGNORE INTO sync_feed_roles (seq, person_key, role, granted)"
                                    " SELECT ?2, person_key, role, granted FROM role_events WHERE id = ?1",
                                    error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, g_ptr_array_index (role_ids, i), -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 2, seq);
      if (!_sesame_store_step_done (server, stmt, error))
        return FALSE;
    }
  return TRUE;
}

/* Applies a checked entry and records it in the feed, in the transaction
 * under way. Returns FALSE with @error on a failure of the store; a stale
 * or refused entry returns TRUE with check->verdict saying so. */
static gboolean
apply_checked (Check        *check,
               const char   *desk,
               gint64        now,
               gint64       *out_seq,
               GError      **error)
{
  SesameStore *server = check->server;
  sqlite3 *db = _sesame_store_get_db (server);
  sqlite3_session *session = NULL;
  const char * const *tables = _sesame_store_synced_tables ();
  void *applied = NULL;
  int applied_size = 0;
  sqlite3_stmt *stmt;
  gint64 seq = 0;
  int rc;

  if (sqlite3session_create (db, "main", &session) != SQLITE_OK)
    {
      _sesame_store_set_error (server, error);
      return FALSE;
    }
  for (guint i = 0; tables[i] != NULL; i++)
    sqlite3session_attach (session, tables[i]);

  if (!apply_changeset (check, error))
    {
      sqlite3session_delete (session);
      return FALSE;
    }
  if (check->verdict != SESAME_SYNC_VERDICT_ACCEPTED)
    {
      sqlite3session_delete (session);
      return TRUE;
    }

  /* The server's order of role changes, whatever the desk's was; the
   * audit trail says which desk made the change and when it arrived. */
  if (!exec_each (server,
                  "UPDATE role_events SET seq = (SELECT COALESCE (MAX (seq), 0) + 1 FROM role_events)"
                  " WHERE id = ?1 AND ?2 IS NULL AND ?3 = 0",
                  check->role_ids, NULL, 0, error) ||
      !exec_each (server, "UPDATE audit SET desk = ?2, server_at = ?3 WHERE id = ?1",
                  check->audit_ids, desk, now, error) ||
      !note_concurrent_regenerations (check, desk, now, error))
    {
      sqlite3session_delete (session);
      return FALSE;
    }

  rc = sqlite3session_changeset (session, &applied_size, &applied);
  sqlite3session_delete (session);
  if (rc != SQLITE_OK)
    {
      _sesame_store_set_error (server, error);
      return FALSE;
    }

  stmt = _sesame_store_prepare (server,
                                "INSERT INTO sync_feed (entry_id, scope, operator, action, desk, desk_time, base_seq,"
                                " server_time, changeset) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                error);
  if (stmt == NULL)
    {
      sqlite3_free (applied);
      return FALSE;
    }
  sqlite3_bind_text (stmt, 1, check->entry->id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, check->scope_mixed || check->scope == NULL ? "" : check->scope, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, check->entry->operator, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, check->entry->action ? check->entry->action : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, desk, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 6, check->entry->desk_time);
  sqlite3_bind_int64 (stmt, 7, check->entry->base_seq);
  sqlite3_bind_int64 (stmt, 8, now);
  if (applied != NULL)
    sqlite3_bind_blob (stmt, 9, applied, applied_size, sqlite3_free);
  else
    sqlite3_bind_zeroblob (stmt, 9, 0);
  if (!_sesame_store_step_done (server, stmt, error))
    return FALSE;
  seq = sqlite3_last_insert_rowid (db);

  if (!record_feed_roles (server, check->role_ids, seq, error))
    return FALSE;
  *out_seq = seq;
  return TRUE;
}

/**
 * sesame_sync_server_apply:
 * @server: the server's #SesameStore
 * @entry: an entry a desk pushed
 * @desk: the name of the desk that pushed it (authenticated by the caller)
 * @seq: (out) (optional): its place in the feed, when accepted
 * @reason: (out) (optional) (transfer full): why it was refused, in the
 *   interface's language; or, for an accepted entry, what the operator
 *   should know (a regeneration made at the same time on another desk);
 *   %NULL otherwise
 * @error: return location for a #GError
 *
 * Checks every row of @entry's changeset in the server's current state,
 * acting as the entry's operator, and applies it as compare-and-swap in
 * one transaction that also publishes it in the feed. The server store's
 * acting operator is restored afterwards. An entry already answered gets
 * its first verdict again (and is applied once); the same key with
 * another content is refused.
 *
 * Returns: the verdict; on a failure of the store (busy, disk full),
 *   %SESAME_SYNC_VERDICT_STALE with @error set: nothing was applied, the
 *   desk may push again
 */
static SesameSyncVerdict server_apply (SesameStore            *server,
                                        const SesameSyncEntry  *entry,
                                        const char             *desk,
                                        gint64                 *seq,
                                        char                  **reason,
                                        GError                **error);

SesameSyncVerdict
sesame_sync_server_apply (SesameStore            *server,
                          const SesameSyncEntry  *entry,
                          const char             *desk,
                          gint64                 *seq,
                          char                  **reason,
                          GError                **error)
{
  SesameSyncVerdict verdict;

  g_return_val_if_fail (SESAME_IS_STORE (server), SESAME_SYNC_VERDICT_STALE);
  g_return_val_if_fail (entry != NULL && entry->id != NULL && entry->changeset != NULL, SESAME_SYNC_VERDICT_STALE);
  g_return_val_if_fail (desk != NULL, SESAME_SYNC_VERDICT_STALE);
  g_return_val_if_fail (error == NULL || *error == NULL, SESAME_SYNC_VERDICT_STALE);

  /* The entry reaches the feed as applied, not as a change of the
   * server's own. */
  _sesame_store_capture_suspend (server, TRUE);
  verdict = server_apply (server, entry, desk, seq, reason, error);
  _sesame_store_capture_suspend (server, FALSE);
  return verdict;
}

static SesameSyncVerdict
server_apply (SesameStore            *server,
              const SesameSyncEntry  *entry,
              const char             *desk,
              gint64                 *seq,
              char                  **reason,
              GError                **error)
{
  Check check = { 0, };
  g_autofree char *digest = NULL;
  g_autofree char *saved_operator = NULL;
  g_autofree char *first_reason = NULL;
  g_autoptr(GError) operator_error = NULL;
  SesameSyncVerdict verdict;
  gint64 applied_seq = 0;
  gint64 now;

  if (seq != NULL)
    *seq = 0;
  if (reason != NULL)
    *reason = NULL;

  digest = digest_changeset (entry->changeset);
  if (lookup_verdict (server, entry, desk, digest, &verdict, &applied_seq, &first_reason))
    {
      if (seq != NULL)
        *seq = applied_seq;
      if (reason != NULL && first_reason != NULL && first_reason[0] != '\0')
        *reason = g_steal_pointer (&first_reason);
      return verdict;
    }

  check.server = server;
  check.entry = entry;
  check.verdict = SESAME_SYNC_VERDICT_ACCEPTED;
  check.role_ids = g_ptr_array_new_with_free_func (g_free);
  check.audit_ids = g_ptr_array_new_with_free_func (g_free);
  check.credential_persons = g_ptr_array_new_with_free_func (g_free);
  check.credential_ids = g_ptr_array_new_with_free_func (g_free);
  now = sesame_store_now (server);

  if (!_sesame_store_begin (server, error))
    {
      check_clear (&check);
      return SESAME_SYNC_VERDICT_STALE;
    }

  /* The operator's rights as they stand on the server now. */
  saved_operator = g_strdup (sesame_store_operator_get_login (server));
  if (entry->operator == NULL || entry->operator[0] == '\0' ||
      !_sesame_store_set_operator_trusted (server, entry->operator, &operator_error))
    refuse (&check, _("The change names no operator known to the server (%s)."),
            entry->operator ? entry->operator : "");
  else if (check_changeset (&check) &&
           !apply_checked (&check, desk, now, &applied_seq, error))
    {
      _sesame_store_set_operator_trusted (server, saved_operator, NULL);
      _sesame_store_rollback (server);
      check_clear (&check);
      return SESAME_SYNC_VERDICT_STALE;
    }
  _sesame_store_set_operator_trusted (server, saved_operator, NULL);

  verdict = check.verdict;
  if (verdict != SESAME_SYNC_VERDICT_ACCEPTED)
    {
      /* Nothing of a refused or stale entry stays; a refusal is final. */
      _sesame_store_rollback (server);
      if (verdict == SESAME_SYNC_VERDICT_REJECTED)
        {
          g_autoptr(GError) record_error = NULL;

          if (!_sesame_store_begin (server, &record_error) ||
              !record_verdict (server, entry->id, desk, digest, verdict, 0, check.reason, &record_error) ||
              !_sesame_store_commit (server, &record_error))
            g_message ("The refusal of entry %s was not recorded: %s", entry->id, record_error->message);
        }
    }
  else if (!record_verdict (server, entry->id, desk, digest, verdict, applied_seq, check.reason, error) ||
           !_sesame_store_commit (server, error))
    {
      if (error != NULL && *error == NULL)
        g_set_error_literal (error, SESAME_ERROR, SESAME_ERROR_FAILED, _("The change could not be recorded."));
      check_clear (&check);
      return SESAME_SYNC_VERDICT_STALE;
    }

  if (seq != NULL && verdict == SESAME_SYNC_VERDICT_ACCEPTED)
    *seq = applied_seq;
  if (reason != NULL)
    *reason = g_steal_pointer (&check.reason);
  check_clear (&check);
  return verdict;
}

/**
 * sesame_sync_server_enable:
 * @server: the server's #SesameStore
 * @error: return location for a #GError
 *
 * Makes @server publish its own changes too (imports, identifier files,
 * changes made there): from now on each of its write transactions, the
 * directory included, becomes an entry of the feed for every desk.
 * Its first passwords are sealed from now on: the establishment's key is
 * made the first time, in a file beside the store
 * (sesame_seal_dup_key_path()), and the first passwords it held in clear
 * are sealed in the same transaction. sesame-server calls it when it
 * starts on a store.
 *
 * Returns: %TRUE on success
 */
gboolean
sesame_sync_server_enable (SesameStore  *server,
                           GError      **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (SESAME_IS_STORE (server), FALSE);

  if (!_sesame_seal_enable_server (server, error) ||
      !_sesame_store_begin (server, error))
    return FALSE;
  stmt = _sesame_store_prepare (server, "INSERT OR REPLACE INTO sync_state (key, value) VALUES ('feed', 'server')", error);
  if (stmt == NULL || !_sesame_store_step_done (server, stmt, error) ||
      !_sesame_seal_seal_clear (server, error))
    {
      _sesame_store_rollback (server);
      return FALSE;
    }
  return _sesame_store_commit (server, error);
}

/**
 * sesame_sync_server_read_feed:
 * @server: the server's #SesameStore
 * @scopes: (nullable) (array zero-terminated=1): the UAIs a desk serves;
 *   %NULL for every establishment
 * @since: the desk's cursor: entries after this sequence number
 * @limit: at most this many entries (0: 500)
 * @error: return location for a #GError
 *
 * A page of the feed, in order. Entries concerning several
 * establishments, or none, go to every desk.
 *
 * Returns: (transfer full) (element-type SesameSyncEntry): the entries,
 *   with their desk, server time, sequence number and scope
 */
GPtrArray *
sesame_sync_server_read_feed (SesameStore        *server,
                              const char * const *scopes,
                              gint64              since,
                              guint               limit,
                              GError            **error)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) sesame_sync_entry_free);
  g_autoptr(GString) sql = g_string_new (NULL);
  sqlite3_stmt *stmt = NULL;
  guint n_scopes = scopes ? g_strv_length ((char **) scopes) : 0;
  int rc;

  g_return_val_if_fail (SESAME_IS_STORE (server), NULL);

  g_string_append (sql,
                   "SELECT seq, entry_id, scope, operator, action, desk, desk_time, base_seq, server_time, changeset"
                   " FROM sync_feed WHERE seq > ?1");
  if (scopes != NULL)
    {
      g_string_append (sql, " AND (scope = ''");
      for (guint i = 0; i < n_scopes; i++)
        g_string_append_printf (sql, " OR scope = ?%u", i + 3);
      g_string_append (sql, ")");
    }
  g_string_append (sql, " ORDER BY seq LIMIT ?2");

  if (sqlite3_prepare_v2 (_sesame_store_get_db (server), sql->str, -1, &stmt, NULL) != SQLITE_OK)
    {
      _sesame_store_set_error (server, error);
      return NULL;
    }
  sqlite3_bind_int64 (stmt, 1, since);
  sqlite3_bind_int (stmt, 2, limit > 0 ? (int) limit : 500);
  for (guint i = 0; i < n_scopes; i++)
    sqlite3_bind_text (stmt, (int) i + 3, scopes[i], -1, SQLITE_TRANSIENT);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(GBytes) changeset = g_bytes_new (sqlite3_column_blob (stmt, 9), sqlite3_column_bytes (stmt, 9));
      SesameSyncEntry *entry;

      entry = sesame_sync_entry_new (_sesame_column_text (stmt, 1), _sesame_column_text (stmt, 3),
                                     _sesame_column_text (stmt, 4), sqlite3_column_int64 (stmt, 6),
                                     sqlite3_column_int64 (stmt, 7), changeset);
      entry->seq = sqlite3_column_int64 (stmt, 0);
      g_free (entry->scope);
      entry->scope = g_strdup (_sesame_column_text (stmt, 2));
      entry->desk = g_strdup (_sesame_column_text (stmt, 5));
      entry->server_time = sqlite3_column_int64 (stmt, 8);
      g_ptr_array_add (entries, entry);
    }
  if (rc != SQLITE_DONE)
    {
      _sesame_store_set_error (server, error);
      sqlite3_finalize (stmt);
      return NULL;
    }
  sqlite3_finalize (stmt);
  return g_steal_pointer (&entries);
}

/**
 * sesame_sync_server_get_head:
 * @server: the server's #SesameStore
 * @error: return location for a #GError
 *
 * Tells how far the server's feed of accepted changes goes, which a desk
 * compares with its own cursor to know whether it is up to date.
 *
 * Returns: the feed's last sequence number (0 for an empty feed), or -1
 *   with @error set
 */
gint64
sesame_sync_server_get_head (SesameStore  *server,
                             GError      **error)
{
  sqlite3_stmt *stmt;
  gint64 head = 0;

  g_return_val_if_fail (SESAME_IS_STORE (server), -1);

  stmt = _sesame_store_prepare (server, "SELECT COALESCE (MAX (seq), 0) FROM sync_feed", error);
  if (stmt == NULL)
    return -1;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    head = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return head;
}

/* A language tag's primary subtag, lowered: "fr-FR" → "fr". */
static char *
primary_subtag (const char *tag,
                gsize       length)
{
  gsize end = 0;

  while (end < length && g_ascii_isalpha (tag[end]))
    end++;
  return g_ascii_strdown (tag, (gssize) end);
}

/**
 * sesame_sync_server_pick_language:
 * @accept_language: (nullable): the value of a desk's Accept-Language
 *   header, e.g. "fr-FR, fr;q=0.9, en;q=0.5"
 *
 * Chooses, among sesame_document_languages(), the one the desk prefers
 * most (by quality, then order), so that the reasons of a refusal reach
 * its operator in their own language.
 *
 * Returns: (transfer none) (nullable): a language code, or %NULL when the
 *   desk asked for none Sésame speaks (the server's own language is then
 *   used)
 */
const char *
sesame_sync_server_pick_language (const char *accept_language)
{
  const char * const *known = sesame_document_languages ();
  g_auto(GStrv) items = NULL;
  const char *best = NULL;
  double best_quality = 0.0;

  if (accept_language == NULL)
    return NULL;
  items = g_strsplit (accept_language, ",", 32);
  for (guint i = 0; items[i] != NULL; i++)
    {
      g_autofree char *code = NULL;
      char *item = g_strstrip (items[i]);
      const char *parameters = strchr (item, ';');
      gsize length = parameters != NULL ? (gsize) (parameters - item) : strlen (item);
      double quality = 1.0;

      if (parameters != NULL)
        {
          const char *q = strstr (parameters, "q=");

          if (q != NULL)
            quality = g_ascii_strtod (q + 2, NULL);
        }
      code = primary_subtag (item, length);
      if (quality <= best_quality)
        continue;
      for (guint k = 0; known[k] != NULL; k++)
        if (g_str_equal (known[k], code))
          {
            best = known[k];
            best_quality = quality;
          }
    }
  return best;
}

/**
 * sesame_sync_server_apply_pushed:
 * @server: the server's #SesameStore
 * @entry: an entry a desk pushed
 * @desk: the desk that pushed it (authenticated by the caller)
 * @ticket: (nullable): the ticket the server gave @entry's operator when
 *   they signed in on @desk, sent beside the entry
 * @language: (nullable): the desk's language, from
 *   sesame_sync_server_pick_language(); %NULL for the server's own
 * @seq: (out) (optional): its place in the feed, when accepted
 * @reason: (out) (optional) (transfer full): as for
 *   sesame_sync_server_apply(), in @language
 * @error: return location for a #GError
 *
 * What the server does with each entry of a push: the operator must have
 * signed in on @desk against the server (their ticket), then the entry
 * is checked and applied by sesame_sync_server_apply(). Every reason
 * given is written in @language.
 *
 * Returns: the verdict, as sesame_sync_server_apply()
 */
SesameSyncVerdict
sesame_sync_server_apply_pushed (SesameStore            *server,
                                 const SesameSyncEntry  *entry,
                                 const SesameSyncDesk   *desk,
                                 const char             *ticket,
                                 const char             *language,
                                 gint64                 *seq,
                                 char                  **reason,
                                 GError                **error)
{
  g_autoptr(GError) ticket_error = NULL;
  g_autofree char *signed_in = NULL;
  SesameSyncVerdict verdict;

  g_return_val_if_fail (SESAME_IS_STORE (server), SESAME_SYNC_VERDICT_STALE);
  g_return_val_if_fail (entry != NULL && entry->id != NULL && entry->changeset != NULL, SESAME_SYNC_VERDICT_STALE);
  g_return_val_if_fail (desk != NULL && desk->id != NULL && desk->name != NULL, SESAME_SYNC_VERDICT_STALE);
  g_return_val_if_fail (error == NULL || *error == NULL, SESAME_SYNC_VERDICT_STALE);

  if (seq != NULL)
    *seq = 0;
  if (reason != NULL)
    *reason = NULL;
  if (language != NULL)
    _sesame_document_language_push_code (language);

  /* The operator must have signed in on this desk against the server;
   * their rights are then checked on each row. An entry made on a desk
   * with nobody signed in (the store's owner) names no operator. */
  if (entry->operator == NULL || entry->operator[0] == '\0')
    {
      verdict = SESAME_SYNC_VERDICT_REJECTED;
      if (reason != NULL)
        *reason = g_strdup (_("This change was made on the desk with no operator signed in: "
                              "changes reach the server only when an operator made them. "
                              "Sign in on the desk and make the change again."));
    }
  else if ((signed_in = sesame_sync_desks_check_ticket (server, desk->id, ticket, &ticket_error)) == NULL ||
           g_ascii_strcasecmp (signed_in, entry->operator) != 0)
    {
      verdict = SESAME_SYNC_VERDICT_REJECTED;
      if (reason != NULL)
        *reason = g_strdup_printf (_("%s never signed in on this desk while the server answered: %s"),
                                   entry->operator,
                                   ticket_error != NULL ? ticket_error->message : _("the ticket is someone else's."));
    }
  else
    verdict = sesame_sync_server_apply (server, entry, desk->name, seq, reason, error);

  if (language != NULL)
    _sesame_document_language_pop ();
  return verdict;
}

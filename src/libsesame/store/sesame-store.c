/* sesame-store.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The store: one SQLite file in write-ahead-log mode, opened by the window
 * (one connection per background job), by sesamectl and by other desks'
 * programs at the same time. SQLite keeps them consistent with POSIX locks
 * on the file, and a process loses all its locks on a file as soon as it
 * closes any descriptor of it: so the store never opens the database, its
 * log or its shared memory itself. Creation goes through SQLite under a
 * private umask, and permissions are checked and fixed by path
 * (sesame-store-file.c).
 *
 * This file holds the connection: opening and closing it, its prepared
 * statements and its transactions. Around it, each in a file of its own:
 * the file's checks (sesame-store-file.c), the schema's migrations
 * (sesame-store-migrations.c), who acts and what they may do
 * (sesame-store-operator.c, sesame-store-reach.c), the settings
 * (sesame-store-settings.c), the audit trail (sesame-store-audit.c) and
 * the rows' keys (sesame-store-ids.c).
 */
#include "config.h"

#define G_LOG_DOMAIN "sesame-store"

#include <glib/gi18n-lib.h>
#include <sodium.h>
#include <sys/stat.h>
#include <string.h>

#include "sesame-store-capture-private.h"
#include "sesame-store-internal-private.h"

/* SQLite's default: a commit copies the log into the database file once
 * it holds this many pages. */
#define WAL_AUTOCHECKPOINT_PAGES 1000
/* The log a large commit grew is cut back to this size once copied. */
#define WAL_SIZE_LIMIT 67108864 /* 64 MiB */
/* How long a connection waits for another's write lock before it reports
 * the store busy. */
#define BUSY_TIMEOUT_MS 10000

G_DEFINE_FINAL_TYPE (SesameStore, sesame_store, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_PATH,
  PROP_OPERATOR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  OUTBOX_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/**
 * _sesame_store_wait_for_checkpoint:
 * @self: a #SesameStore
 *
 * Waits until the background copy that _sesame_store_commit_large()
 * started, if any, has finished.
 */
void
_sesame_store_wait_for_checkpoint (SesameStore *self)
{
  if (self->checkpoint != NULL)
    g_thread_join (g_steal_pointer (&self->checkpoint));
}

static void
sesame_store_finalize (GObject *object)
{
  SesameStore *self = (SesameStore *) object;

  _sesame_store_wait_for_checkpoint (self);
  g_clear_pointer (&self->statements, g_hash_table_unref);
  g_clear_pointer (&self->settings_cache, g_hash_table_unref);
  g_clear_pointer (&self->changed_settings, g_ptr_array_unref);
  if (self->db != NULL)
    sqlite3_close_v2 (self->db);
  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->operator_login, g_free);
  g_clear_pointer (&self->operator_key, g_free);
  g_clear_pointer (&self->operator_name, g_free);
  g_weak_ref_clear (&self->origin);

  G_OBJECT_CLASS (sesame_store_parent_class)->finalize (object);
}

static void
sesame_store_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  SesameStore *self = SESAME_STORE (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;
    case PROP_OPERATOR:
      g_value_set_string (value, self->operator_login);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sesame_store_class_init (SesameStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sesame_store_finalize;
  object_class->get_property = sesame_store_get_property;

  /**
   * SesameStore:path:
   *
   * The file of the store.
   */
  properties[PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /**
   * SesameStore:operator:
   *
   * The login of the acting operator, or %NULL for the store's owner.
   */
  properties[PROP_OPERATOR] =
    g_param_spec_string ("operator", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * SesameStore::outbox-changed:
   * @self: the store
   *
   * On a desk joined to a server, a transaction committed through this
   * connection, or through one sesame_store_dup() opened from it, added
   * a change to the outbox: the background sync sends it at once rather
   * than at its next round. Emitted in the main context.
   */
  signals[OUTBOX_CHANGED] =
    g_signal_new ("outbox-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  _sesame_store_settings_class_init (klass);
}
static void
finalize_statement (gpointer data)
{
  sqlite3_finalize (data);
}

static void
sesame_store_init (SesameStore *self)
{
  self->statements = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, finalize_statement);
  self->settings_cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->changed_settings = g_ptr_array_new_with_free_func (g_free);
  self->operator_name = _sesame_store_operator_dup_owner_name ();
  g_weak_ref_init (&self->origin, NULL);
}

/**
 * _sesame_store_notify_operator:
 * @self: a #SesameStore
 *
 * Tells the listeners of #SesameStore:operator that another operator acts.
 */
void
_sesame_store_notify_operator (SesameStore *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OPERATOR]);
}

void
_sesame_store_set_error (SesameStore  *self,
                         GError      **error)
{
  const char *message = self->db ? sqlite3_errmsg (self->db) : "";
  int code = self->db ? sqlite3_errcode (self->db) : SQLITE_ERROR;

  if (code == SQLITE_BUSY || code == SQLITE_LOCKED)
    g_set_error (error, SESAME_ERROR, SESAME_ERROR_BUSY,
                 _("The store %s is busy: another desk or program is writing to it. Try again in a moment."),
                 self->path);
  else if (code == SQLITE_READONLY && self->read_only)
    g_set_error (error, SESAME_ERROR, SESAME_ERROR_FAILED,
                 _("The store %s was opened for reading only: it cannot be changed from here."),
                 self->path);
  else if (code == SQLITE_FULL)
    g_set_error (error, SESAME_ERROR, SESAME_ERROR_FAILED,
                 _("The disk holding the store %s is full."), self->path);
  else if (code == SQLITE_READONLY || code == SQLITE_PERM || code == SQLITE_CANTOPEN)
    g_set_error (error, SESAME_ERROR, SESAME_ERROR_FAILED,
                 _("The store %s cannot be written: check that the file and its folder are yours."),
                 self->path);
  else if (code == SQLITE_CORRUPT || code == SQLITE_NOTADB)
    g_set_error (error, SESAME_ERROR, SESAME_ERROR_FAILED,
                 _("The file %s is not a Sésame store or is damaged."), self->path);
  else
    g_set_error (error, SESAME_ERROR, SESAME_ERROR_FAILED,
                 _("The store %s failed: %s"), self->path, message);
}

sqlite3 *
_sesame_store_get_db (SesameStore *self)
{
  g_assert (SESAME_IS_STORE (self));
  return self->db;
}

sqlite3_stmt *
_sesame_store_prepare (SesameStore  *self,
                       const char   *sql,
                       GError      **error)
{
  sqlite3_stmt *stmt;

  g_assert (SESAME_IS_STORE (self));
  g_assert (sql != NULL);

  stmt = g_hash_table_lookup (self->statements, sql);
  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }

  if (sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) != SQLITE_OK)
    {
      g_critical ("Cannot prepare “%s”: %s", sql, sqlite3_errmsg (self->db));
      _sesame_store_set_error (self, error);
      return NULL;
    }

  /* The key is the caller's string: statements are written as literals. */
  g_hash_table_insert (self->statements, g_strdup (sql), stmt);
  return stmt;
}

gboolean
_sesame_store_exec (SesameStore  *self,
                    const char   *sql,
                    GError      **error)
{
  g_assert (SESAME_IS_STORE (self));

  if (sqlite3_exec (self->db, sql, NULL, NULL, NULL) != SQLITE_OK)
    {
      _sesame_store_set_error (self, error);
      return FALSE;
    }
  return TRUE;
}

gboolean
_sesame_store_step_done (SesameStore   *self,
                         sqlite3_stmt  *stmt,
                         GError       **error)
{
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    ;
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _sesame_store_set_error (self, error);
      return FALSE;
    }
  return TRUE;
}

gboolean
_sesame_store_begin (SesameStore  *self,
                     GError      **error)
{
  g_assert (SESAME_IS_STORE (self));

  if (self->transaction_depth++ > 0)
    return TRUE;

  /* Another desk may have changed a setting since. */
  g_hash_table_remove_all (self->settings_cache);
  g_ptr_array_set_size (self->changed_settings, 0);
  self->rollback_only = FALSE;
  if (!_sesame_store_exec (self, "BEGIN IMMEDIATE", error))
    {
      self->transaction_depth = 0;
      return FALSE;
    }
  _sesame_store_capture_start (self);
  return TRUE;
}

/* A read transaction: one consistent snapshot and one lock for many
 * queries. Ended by _sesame_store_commit(). */
gboolean
_sesame_store_begin_read (SesameStore  *self,
                          GError      **error)
{
  g_assert (SESAME_IS_STORE (self));

  if (self->transaction_depth++ > 0)
    return TRUE;

  self->rollback_only = FALSE;
  if (!_sesame_store_exec (self, "BEGIN DEFERRED", error))
    {
      self->transaction_depth = 0;
      return FALSE;
    }
  return TRUE;
}

static gboolean
emit_outbox_changed (gpointer data)
{
  GWeakRef *refs = data;

  /* A store closed in the meantime has nobody left to tell. */
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(SesameStore) store = g_weak_ref_get (&refs[i]);

      if (store != NULL)
        g_signal_emit (store, signals[OUTBOX_CHANGED], 0);
    }
  return G_SOURCE_REMOVE;
}

static void
outbox_refs_free (gpointer data)
{
  GWeakRef *refs = data;

  g_weak_ref_clear (&refs[0]);
  g_weak_ref_clear (&refs[1]);
  g_free (refs);
}

/* Tells the listeners of this connection and of the one it was opened
 * from, in the main context, that the desk has something new to send. */
static void
announce_outbox (SesameStore *self)
{
  g_autoptr(SesameStore) origin = g_weak_ref_get (&self->origin);
  GWeakRef *refs = g_new0 (GWeakRef, 2);

  g_weak_ref_init (&refs[0], self);
  g_weak_ref_init (&refs[1], origin);
  if (g_main_context_is_owner (g_main_context_default ()))
    {
      emit_outbox_changed (refs);
      outbox_refs_free (refs);
    }
  else
    g_idle_add_full (G_PRIORITY_DEFAULT, emit_outbox_changed, refs, outbox_refs_free);
}

gboolean
_sesame_store_commit (SesameStore  *self,
                      GError      **error)
{
  g_assert (SESAME_IS_STORE (self));
  g_assert (self->transaction_depth > 0);

  if (--self->transaction_depth > 0)
    return TRUE;

  if (self->rollback_only || !_sesame_store_capture_finish (self, error))
    {
      _sesame_store_capture_abort (self);
      _sesame_store_exec (self, "ROLLBACK", NULL);
      g_ptr_array_set_size (self->changed_settings, 0);
      if (error == NULL || *error == NULL)
        g_set_error_literal (error, SESAME_ERROR, SESAME_ERROR_FAILED,
                             _("The change was abandoned: a part of it failed."));
      return FALSE;
    }

  if (!_sesame_store_exec (self, "COMMIT", error))
    {
      _sesame_store_exec (self, "ROLLBACK", NULL);
      _sesame_store_capture_take_outboxed (self);
      g_ptr_array_set_size (self->changed_settings, 0);
      return FALSE;
    }
  _sesame_store_settings_announce (self);
  if (_sesame_store_capture_take_outboxed (self))
    announce_outbox (self);
  return TRUE;
}

static gpointer
checkpoint_thread (gpointer data)
{
  g_autofree char *path = data;
  sqlite3 *db = NULL;

  /* A first read finds the write-ahead log: until then, a new connection
   * does not know of it and has nothing to copy. Passive: it waits for no
   * one, and readers and writers of the store go on meanwhile. What it
   * leaves, the next commit copies. */
  if (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK ||
      sqlite3_busy_timeout (db, BUSY_TIMEOUT_MS) != SQLITE_OK ||
      sqlite3_exec (db, "PRAGMA schema_version", NULL, NULL, NULL) != SQLITE_OK ||
      sqlite3_wal_checkpoint_v2 (db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL) != SQLITE_OK)
    g_debug ("Store %s: the checkpoint stopped short: %s", path, db != NULL ? sqlite3_errmsg (db) : "");
  sqlite3_close_v2 (db);
  return NULL;
}

/**
 * _sesame_store_commit_large:
 * @self: a #SesameStore
 * @error: return location for a #GError
 *
 * Commits a transaction that wrote a large part of the store, such as an
 * academy's import. The commit is complete when this returns. Copying its
 * pages from the write-ahead log into the database file takes a while on
 * a disk: rather than in the caller's commit, a connection of its own does
 * it in the background while the store goes on being read and written.
 * The store waits for that copy before it closes.
 *
 * Returns: %FALSE if the commit failed, the transaction rolled back
 */
gboolean
_sesame_store_commit_large (SesameStore  *self,
                            GError      **error)
{
  gboolean ok;

  g_assert (SESAME_IS_STORE (self));

  if (self->transaction_depth > 1)
    return _sesame_store_commit (self, error);

  _sesame_store_wait_for_checkpoint (self);
  _sesame_store_exec (self, "PRAGMA wal_autocheckpoint = 0", NULL);
  ok = _sesame_store_commit (self, error);
  _sesame_store_exec (self, "PRAGMA wal_autocheckpoint = " G_STRINGIFY (WAL_AUTOCHECKPOINT_PAGES), NULL);

  if (ok)
    self->checkpoint = g_thread_try_new ("sesame-checkpoint", checkpoint_thread, g_strdup (self->path), NULL);
  return ok;
}

void
_sesame_store_rollback (SesameStore *self)
{
  g_assert (SESAME_IS_STORE (self));
  g_assert (self->transaction_depth > 0);

  if (--self->transaction_depth > 0)
    {
      self->rollback_only = TRUE;
      return;
    }
  _sesame_store_capture_abort (self);
  _sesame_store_exec (self, "ROLLBACK", NULL);
  g_ptr_array_set_size (self->changed_settings, 0);
}

/* The "NAME" collation sorts names the way a school list does: accents and
 * case do not count (Éloïse sorts between Denis and Fanny). */
static char *
name_sort_key (const char *text,
               int         len)
{
  g_autofree char *ascii = NULL;
  g_autofree char *copy = g_strndup (text, len);

  ascii = g_str_to_ascii (copy, "C");
  return g_ascii_strdown (ascii, -1);
}

static int
collate_name (void       *user_data,
              int         len_a,
              const void *a,
              int         len_b,
              const void *b)
{
  g_autofree char *key_a = NULL;
  g_autofree char *key_b = NULL;
  gboolean ascii = TRUE;
  int cmp;

  for (int i = 0; ascii && i < len_a; i++)
    ascii = ((const unsigned char *) a)[i] < 0x80;
  for (int i = 0; ascii && i < len_b; i++)
    ascii = ((const unsigned char *) b)[i] < 0x80;

  if (ascii)
    {
      cmp = g_ascii_strncasecmp (a, b, MIN (len_a, len_b));
      return cmp != 0 ? cmp : len_a - len_b;
    }

  key_a = name_sort_key (a, len_a);
  key_b = name_sort_key (b, len_b);
  cmp = strcmp (key_a, key_b);
  /* Names that fold alike still sort in a stable order. */
  if (cmp == 0)
    {
      cmp = memcmp (a, b, MIN (len_a, len_b));
      if (cmp == 0)
        cmp = len_a - len_b;
    }
  return cmp;
}

/* Reads hide expired first passwords by themselves: purging them is
 * hygiene, and never worth waiting for a writer. Opening looks first
 * (a read, on an index) and writes only when something expired, without
 * waiting: when an import holds the store, the next opening purges. */
static gboolean
purge_expired_passwords (SesameStore  *self,
                         GError      **error)
{
  g_autoptr(GError) local_error = NULL;
  sqlite3_stmt *stmt;
  gint64 now = sesame_store_now (self);
  gboolean expired;
  gboolean ok;

  stmt = _sesame_store_prepare (self,
                                "SELECT EXISTS (SELECT 1 FROM credentials "
                                "WHERE password IS NOT NULL AND expires_at <= ?1)",
                                error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, now);
  expired = sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_int (stmt, 0) != 0;
  sqlite3_reset (stmt);
  if (!expired)
    return TRUE;

  stmt = _sesame_store_prepare (self,
                                "UPDATE credentials SET password = NULL, purged_at = ?1 "
                                "WHERE password IS NOT NULL AND expires_at <= ?1",
                                error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, now);
  sqlite3_busy_timeout (self->db, 0);
  ok = _sesame_store_step_done (self, stmt, &local_error);
  sqlite3_busy_timeout (self->db, BUSY_TIMEOUT_MS);

  if (!ok && g_error_matches (local_error, SESAME_ERROR, SESAME_ERROR_BUSY))
    {
      g_debug ("Store %s: busy, expired first passwords are left for the next opening", self->path);
      return TRUE;
    }
  if (!ok)
    g_propagate_error (error, g_steal_pointer (&local_error));
  return ok;
}

/**
 * sesame_store_default_path:
 *
 * Builds the path of the store that the tools open when no store is given
 * on their command line.
 *
 * Returns: (transfer full): the store used when none is named:
 *   `$XDG_DATA_HOME/sesame/sesame.db`
 */
char *
sesame_store_default_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "sesame", "sesame.db", NULL);
}

/**
 * sesame_store_is_default_path:
 * @path: (nullable): a store's file
 *
 * Compares @path with the default store's path once both are made
 * absolute, so that different spellings of the same file match.
 *
 * Returns: whether @path names the default store (%NULL does)
 */
gboolean
sesame_store_is_default_path (const char *path)
{
  g_autofree char *default_path = sesame_store_default_path ();
  g_autofree char *canonical = NULL;
  g_autofree char *canonical_default = NULL;

  if (path == NULL)
    return TRUE;
  canonical = g_canonicalize_filename (path, NULL);
  canonical_default = g_canonicalize_filename (default_path, NULL);
  return g_str_equal (canonical, canonical_default);
}

/* Once, before the first connection: SQLite's memory statistics take a
 * process-wide lock on every allocation, and nothing here reads them. When
 * another part of the process started SQLite first, it stays as it is. */
static void
configure_sqlite (void)
{
  static gsize configured = 0;

  if (g_once_init_enter (&configured))
    {
      sqlite3_config (SQLITE_CONFIG_MEMSTATUS, 0);
      g_once_init_leave (&configured, 1);
    }
}

/* Opens the connection; when the file does not exist, SQLite creates it
 * under a umask that leaves it to its owner alone. The umask belongs to the
 * whole process: stores opened by two threads at once take turns. */
static int
open_connection (const char  *path,
                 gboolean     create,
                 sqlite3    **db)
{
  static GMutex umask_lock;
  mode_t saved_umask;
  int rc;

  if (!create)
    return sqlite3_open_v2 (path, db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);

  g_mutex_lock (&umask_lock);
  saved_umask = umask (0077);
  rc = sqlite3_open_v2 (path, db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
  umask (saved_umask);
  g_mutex_unlock (&umask_lock);
  return rc;
}

/* How every connection reads and writes: names sorted as a school list
 * sorts them, a wait for other desks' writes, and the write-ahead log. */
static gboolean
configure_connection (SesameStore  *self,
                      GError      **error)
{
  sqlite3_extended_result_codes (self->db, 0);
  sqlite3_create_collation_v2 (self->db, "NAME", SQLITE_UTF8, NULL, collate_name, NULL);
  sqlite3_busy_timeout (self->db, BUSY_TIMEOUT_MS);

  return _sesame_store_exec (self,
                             "PRAGMA journal_mode = WAL;"
                             "PRAGMA synchronous = NORMAL;"
                             "PRAGMA foreign_keys = ON;"
                             "PRAGMA temp_store = MEMORY;"
                             "PRAGMA cache_size = -32000;"
                             "PRAGMA mmap_size = 1073741824;"
                             "PRAGMA wal_autocheckpoint = " G_STRINGIFY (WAL_AUTOCHECKPOINT_PAGES) ";"
                             "PRAGMA journal_size_limit = " G_STRINGIFY (WAL_SIZE_LIMIT) ";",
                             error);
}

/* The UUID that schema 1 gave the store (sesame-store-migrations.c). */
static gboolean
read_id (SesameStore  *self,
         GError      **error)
{
  sqlite3_stmt *stmt;

  stmt = _sesame_store_prepare (self, "SELECT value FROM meta WHERE key = 'store-id'", error);
  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    self->id = g_strdup (_sesame_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return TRUE;
}

/**
 * sesame_store_open:
 * @path: (nullable): the store's file, or %NULL for the default one
 * @error: return location for a #GError
 *
 * Opens the store to read and write it, creating it (readable by its
 * owner only) when it does not exist, and bringing its schema up to date.
 * The same as sesame_store_open_full() with %SESAME_STORE_OPEN_CREATE.
 * The store's owner is the acting operator until an operator signs in
 * (sesame_operators_sign_in()).
 *
 * Returns: (transfer full): the store, or %NULL with @error set
 */
SesameStore *
sesame_store_open (const char  *path,
                   GError     **error)
{
  return sesame_store_open_full (path, SESAME_STORE_OPEN_CREATE, error);
}

/**
 * sesame_store_open_full:
 * @path: (nullable): the store's file, or %NULL for the default one
 * @flags: whether to create the store, whether only to read it
 * @error: return location for a #GError
 *
 * Opens the store and brings its schema up to date. The store's owner is
 * the acting operator until an operator signs in (sesame_operators_sign_in()).
 *
 * A store that does not exist is created (readable by its owner only) with
 * %SESAME_STORE_OPEN_CREATE, or when it is the default store; otherwise
 * the error is %SESAME_ERROR_NO_STORE, so that a mistyped path never
 * yields a new, empty store. A store on a network or FUSE filesystem is
 * refused (%SESAME_ERROR_REFUSED). With %SESAME_STORE_OPEN_READ, opening
 * writes nothing unless the schema needs updating, and the connection then
 * refuses every write.
 *
 * Returns: (transfer full): the store, or %NULL with @error set
 */
SesameStore *
sesame_store_open_full (const char            *path,
                        SesameStoreOpenFlags   flags,
                        GError               **error)
{
  g_autoptr(SesameStore) self = NULL;
  g_autofree char *default_path = NULL;
  gboolean create;
  gboolean exists;

  if (path == NULL)
    path = default_path = sesame_store_default_path ();
  create = (flags & SESAME_STORE_OPEN_CREATE) != 0 || sesame_store_is_default_path (path);

  if (sodium_init () < 0)
    {
      g_set_error_literal (error, SESAME_ERROR, SESAME_ERROR_FAILED,
                           _("The cryptographic library could not start."));
      return NULL;
    }

  if (!_sesame_store_file_check (path, create, &exists, error) ||
      (!exists && !_sesame_store_file_create_folder (path, error)))
    return NULL;

  configure_sqlite ();

  self = g_object_new (SESAME_TYPE_STORE, NULL);
  self->path = g_strdup (path);

  if (open_connection (path, !exists, &self->db) != SQLITE_OK)
    {
      /* Removed between the check and the opening. */
      if (self->db != NULL && sqlite3_errcode (self->db) == SQLITE_CANTOPEN && !create &&
          !g_file_test (path, G_FILE_TEST_EXISTS))
        g_set_error (error, SESAME_ERROR, SESAME_ERROR_NO_STORE,
                     _("There is no store at %s. Check the path; a new store is created only by the first import "
                       "into it, or when it is the default store."),
                     path);
      else
        _sesame_store_set_error (self, error);
      return NULL;
    }

  if (!_sesame_store_file_make_private (path, error))
    return NULL;

  if (!configure_connection (self, error) ||
      !_sesame_store_migrations_run (self, error) ||
      !read_id (self, error))
    return NULL;

  if ((flags & SESAME_STORE_OPEN_READ) != 0)
    {
      /* Every read skips expired first passwords by itself: purging them
       * is left to the next connection that writes. */
      if (!_sesame_store_exec (self, "PRAGMA query_only = ON", error))
        return NULL;
      self->read_only = TRUE;
    }
  else if (!purge_expired_passwords (self, error))
    return NULL;

  return g_steal_pointer (&self);
}

/**
 * sesame_store_is_read_only:
 * @self: a #SesameStore
 *
 * Tells whether changes to the store are refused because it was opened
 * for reading only.
 *
 * Returns: whether @self was opened with %SESAME_STORE_OPEN_READ
 */
gboolean
sesame_store_is_read_only (SesameStore *self)
{
  g_return_val_if_fail (SESAME_IS_STORE (self), FALSE);
  return self->read_only;
}

/* Another connection to the store of @self, on the same clock. */
static SesameStore *
open_copy (SesameStore           *self,
           SesameStoreOpenFlags   flags,
           GError               **error)
{
  SesameStore *copy;

  copy = sesame_store_open_full (self->path, flags, error);
  if (copy != NULL)
    {
      g_autoptr(SesameStore) origin = g_weak_ref_get (&self->origin);

      copy->now_override = self->now_override;
      g_weak_ref_set (&copy->origin, origin != NULL ? origin : self);
    }
  return copy;
}

/* The operator of the first connection proved who they are: @copy, a
 * connection opened by open_copy(), acts as them too. */
static gboolean
copy_operator (SesameStore  *self,
               SesameStore  *copy,
               GError      **error)
{
  return self->operator_login == NULL ||
         _sesame_store_set_operator_trusted (copy, self->operator_login, error);
}

/**
 * sesame_store_dup:
 * @self: a #SesameStore
 * @error: return location for a #GError
 *
 * Opens a second connection to the same store, with the same operator and
 * the same mode, for use by another thread: a #SesameStore is used by one
 * thread at a time.
 *
 * Returns: (transfer full): a new #SesameStore, or %NULL with @error set
 */
SesameStore *
sesame_store_dup (SesameStore  *self,
                  GError      **error)
{
  g_autoptr(SesameStore) copy = NULL;

  g_return_val_if_fail (SESAME_IS_STORE (self), NULL);

  copy = open_copy (self, self->read_only ? SESAME_STORE_OPEN_READ : SESAME_STORE_OPEN_NONE, error);
  if (copy == NULL || !copy_operator (self, copy, error))
    return NULL;
  return g_steal_pointer (&copy);
}

/**
 * sesame_store_adopt_operator:
 * @self: a #SesameStore
 * @copy: a connection opened from @self with sesame_store_dup(), on which
 *   an operator signed in, e.g. in a thread so that the window does not
 *   wait for the server
 * @error: return location for a #GError
 *
 * Makes the operator who signed in on @copy act on @self too: their
 * sign-in is the proof. Refused for a connection not opened from @self,
 * whose operator proved nothing to it.
 *
 * Returns: %TRUE if @self now acts as @copy's operator
 */
gboolean
sesame_store_adopt_operator (SesameStore  *self,
                             SesameStore  *copy,
                             GError      **error)
{
  g_autoptr(SesameStore) copy_origin = NULL;
  g_autoptr(SesameStore) self_origin = NULL;

  g_return_val_if_fail (SESAME_IS_STORE (self), FALSE);
  g_return_val_if_fail (SESAME_IS_STORE (copy), FALSE);

  copy_origin = g_weak_ref_get (&copy->origin);
  self_origin = g_weak_ref_get (&self->origin);
  if (copy_origin == NULL || (copy_origin != self && copy_origin != self_origin))
    {
      g_set_error (error, SESAME_ERROR, SESAME_ERROR_PERMISSION_DENIED,
                   _("The connection to %s was not opened from this one: its operator cannot act here."),
                   copy->path);
      return FALSE;
    }
  return _sesame_store_set_operator_trusted (self, copy->operator_login, error);
}

/**
 * _sesame_store_open_recorder:
 * @self: a #SesameStore
 * @patient: whether to wait for a writer as long as any write does
 * @error: return location for a #GError
 *
 * A store opened to read only still records who signs in on it: the
 * attempts that throttle wrong passphrases and the audit trail. This opens
 * a connection that may write, with the same clock and operator. An
 * impatient one gives up at once when another program is writing, so that
 * a reading command never waits behind an import.
 *
 * Returns: (transfer full): a new #SesameStore, or %NULL with @error set
 */
SesameStore *
_sesame_store_open_recorder (SesameStore  *self,
                             gboolean      patient,
                             GError      **error)
{
  g_autoptr(SesameStore) copy = NULL;

  g_assert (SESAME_IS_STORE (self));

  copy = open_copy (self, SESAME_STORE_OPEN_NONE, error);
  if (copy == NULL)
    return NULL;
  if (!patient)
    sqlite3_busy_timeout (copy->db, 0);
  if (!copy_operator (self, copy, error))
    return NULL;
  return g_steal_pointer (&copy);
}

/**
 * sesame_store_get_path:
 * @self: a #SesameStore
 *
 * Gives the store's database file, e.g. to show it or to open it again.
 *
 * Returns: the file of the store, as it was opened
 */
const char *
sesame_store_get_path (SesameStore *self)
{
  g_return_val_if_fail (SESAME_IS_STORE (self), NULL);
  return self->path;
}

/**
 * sesame_store_get_id:
 * @self: a #SesameStore
 *
 * Gives the identity of the store, which tells stores apart across desks
 * and backups.
 *
 * Returns: the store's UUID, the same on every desk sharing it
 */
const char *
sesame_store_get_id (SesameStore *self)
{
  g_return_val_if_fail (SESAME_IS_STORE (self), NULL);
  return self->id;
}

/**
 * sesame_store_get_schema_version:
 * @self: a #SesameStore
 *
 * Reads the schema version recorded in the database file itself.
 *
 * Returns: the version of the store's schema, the latest this Sésame
 *   knows once the store is open; 0 if it cannot be read
 */
guint
sesame_store_get_schema_version (SesameStore *self)
{
  sqlite3_stmt *stmt;
  guint version = 0;

  g_return_val_if_fail (SESAME_IS_STORE (self), 0);

  stmt = _sesame_store_prepare (self, "PRAGMA user_version", NULL);
  if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    version = sqlite3_column_int (stmt, 0);
  if (stmt != NULL)
    sqlite3_reset (stmt);
  return version;
}

/**
 * sesame_store_now:
 * @self: a #SesameStore
 *
 * Gives the time every change in the store is stamped with, which tests
 * may pin with sesame_store_set_now().
 *
 * Returns: the current time in seconds since the Unix epoch, as the store
 *   sees it (see sesame_store_set_now())
 */
gint64
sesame_store_now (SesameStore *self)
{
  g_return_val_if_fail (SESAME_IS_STORE (self), 0);

  if (self->now_override != 0)
    return self->now_override;
  return g_get_real_time () / G_USEC_PER_SEC;
}

/**
 * sesame_store_set_now:
 * @self: a #SesameStore
 * @now: seconds since the Unix epoch, or 0 to follow the real clock
 *
 * Fixes the store's clock, for tests of expiry and history.
 */
void
sesame_store_set_now (SesameStore *self,
                      gint64       now)
{
  g_return_if_fail (SESAME_IS_STORE (self));
  self->now_override = now;
}

/**
 * sesame_store_is_empty:
 * @self: a #SesameStore
 *
 * Tells whether the store holds no person yet, e.g. to offer a first
 * import instead of the usual views.
 *
 * Returns: whether no directory was ever imported into the store
 */
gboolean
sesame_store_is_empty (SesameStore *self)
{
  sqlite3_stmt *stmt;
  gboolean empty = TRUE;

  g_return_val_if_fail (SESAME_IS_STORE (self), TRUE);

  stmt = _sesame_store_prepare (self, "SELECT 1 FROM persons LIMIT 1", NULL);
  if (stmt != NULL)
    {
      empty = sqlite3_step (stmt) != SQLITE_ROW;
      sqlite3_reset (stmt);
    }
  return empty;
}

/**
 * sesame_store_has_administrator:
 * @self: a #SesameStore
 *
 * Tells whether an administrator role was ever granted in the store, e.g.
 * to know whether its setup is complete.
 *
 * Returns: whether a member of staff was named administrator when the store
 *   was set up
 */
gboolean
sesame_store_has_administrator (SesameStore *self)
{
  sqlite3_stmt *stmt;
  gboolean found = FALSE;

  g_return_val_if_fail (SESAME_IS_STORE (self), FALSE);

  stmt = _sesame_store_prepare (self, "SELECT 1 FROM role_events WHERE role = 'admin' AND granted = 1 LIMIT 1", NULL);
  if (stmt != NULL)
    {
      found = sqlite3_step (stmt) == SQLITE_ROW;
      sqlite3_reset (stmt);
    }
  return found;
}


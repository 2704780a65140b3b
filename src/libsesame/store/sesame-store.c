/* sesame-store.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The store: one SQLite file in write-ahead-log mode, opened by the window
 * (one connection per background job), by sesamectl and by other desks'
 * programs at the same time. SQLite keeps them consistent with POSIX locks
 * on the file, and a process loses all its locks on a file as soon as it
 * closes any descriptor of it: so this file never opens the database, its
 * log or its shared memory itself. Creation goes through SQLite under a
 * private umask, and permissions are checked and fixed by path.
 */
#include "config.h"

#define G_LOG_DOMAIN "sesame-store"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <sodium.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <string.h>
#include <unistd.h>

#include "sesame-document-language.h"
#include "sesame-store-capture-private.h"
#include "sesame-store-private.h"

struct _SesameStore
{
  GObject     parent_instance;

  char       *path;
  char       *id;
  sqlite3    *db;
  GHashTable *statements;
  /* Settings read since the last write transaction began: an import reads
   * the password policy once, not once per account. */
  GHashTable *settings_cache;
  /* Settings changed by the write transaction under way, announced by
   * "setting-changed" once it commits. */
  GPtrArray  *changed_settings;

  /* The acting operator: NULL login for the store's owner. */
  char       *operator_login;
  char       *operator_key;
  char       *operator_name;

  gint64      now_override;
  guint       transaction_depth;
  guint       rollback_only : 1;
  /* Opened with SESAME_STORE_OPEN_READ: the connection refuses writes. */
  guint       read_only : 1;

  /* Copies a large commit from the write-ahead log into the database
   * file, on a connection of its own: see _sesame_store_commit_large(). */
  GThread    *checkpoint;
};

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
  SETTING_CHANGED,
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
   * SesameStore::setting-changed:
   * @self: the store
   * @key: the setting changed, such as "smtp-host" or "ent-name"
   *
   * A setting shared by every desk was changed through this store, and
   * the change is committed: pages showing it read it again. The signal
   * is detailed by the key ("setting-changed::ent-name") and emitted in
   * the main context.
   */
  signals[SETTING_CHANGED] =
    g_signal_new ("setting-changed", G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST | G_SIGNAL_DETAILED,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static void
finalize_statement (gpointer data)
{
  sqlite3_finalize (data);
}

/* The audit trail names the store's owner (who acts without signing in,
 * such as a scheduled import) so that nobody mistakes them for a member of
 * staff: "store owner (unix user)". */
static char *
dup_owner_name (void)
{
  return g_strdup_printf (_("store owner (%s)"), g_get_user_name ());
}

static void
sesame_store_init (SesameStore *self)
{
  self->statements = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, finalize_statement);
  self->settings_cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->changed_settings = g_ptr_array_new_with_free_func (g_free);
  self->operator_name = dup_owner_name ();
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
  g_hash_table_insert (self->statements, (gpointer) sql, stmt);
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

typedef struct
{
  GWeakRef   store;
  GPtrArray *keys;
} SettingsChange;

static void
settings_change_free (SettingsChange *change)
{
  g_weak_ref_clear (&change->store);
  g_ptr_array_unref (change->keys);
  g_free (change);
}

static gboolean
emit_setting_changed (gpointer data)
{
  SettingsChange *change = data;
  g_autoptr(SesameStore) store = g_weak_ref_get (&change->store);

  /* A store closed in the meantime has nobody left to tell. */
  for (guint i = 0; store != NULL && i < change->keys->len; i++)
    {
      const char *key = g_ptr_array_index (change->keys, i);

      g_signal_emit (store, signals[SETTING_CHANGED], g_quark_from_string (key), key);
    }
  return G_SOURCE_REMOVE;
}

/* Pages listen in the main thread: a change committed elsewhere (a
 * worker thread, or outside the main loop) is announced there. */
static void
announce_changed_settings (SesameStore *self)
{
  SettingsChange *change;

  if (self->changed_settings->len == 0)
    return;
  change = g_new0 (SettingsChange, 1);
  g_weak_ref_init (&change->store, self);
  change->keys = g_steal_pointer (&self->changed_settings);
  self->changed_settings = g_ptr_array_new_with_free_func (g_free);
  if (g_main_context_is_owner (g_main_context_default ()))
    {
      emit_setting_changed (change);
      settings_change_free (change);
    }
  else
    g_idle_add_full (G_PRIORITY_DEFAULT, emit_setting_changed, change, (GDestroyNotify) settings_change_free);
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
      g_ptr_array_set_size (self->changed_settings, 0);
      return FALSE;
    }
  announce_changed_settings (self);
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

/* Network and cluster filesystems, by their statfs() magic (statfs(2),
 * <linux/magic.h>). FUSE covers sshfs, GlusterFS, s3fs, rclone and the
 * other filesystems served by a program, most of them remote. */
static const struct {
  guint32     magic;
  const char *name;
} network_filesystems[] = {
  { 0x00006969, "NFS" },
  { 0x0000517b, "SMB" },
  { 0xff534d42, "CIFS" },
  { 0xfe534d42, "SMB2" },
  { 0x65735546, "FUSE: sshfs, GlusterFS, rclone…" },
  { 0x5346414f, "AFS" },
  { 0x6b414653, "AFS" },
  { 0x00c36400, "Ceph" },
  { 0x01021997, "9P" },
  { 0x0bd00bd0, "Lustre" },
  { 0x73757245, "Coda" },
  { 0x0000564c, "NCP" },
  { 0x01161970, "GFS2" },
  { 0x7461636f, "OCFS2" },
  { 0x47504653, "GPFS" },
  { 0x20030528, "OrangeFS" },
  { 0xaad7aaea, "PanFS" },
};

/**
 * _sesame_store_network_filesystem:
 * @magic: the f_type that statfs() gives for a folder
 *
 * Returns: (nullable): the name of the network, cluster or FUSE filesystem
 *   @magic stands for, or %NULL for a filesystem of the desk's own disk
 */
const char *
_sesame_store_network_filesystem (guint32 magic)
{
  for (guint i = 0; i < G_N_ELEMENTS (network_filesystems); i++)
    if (network_filesystems[i].magic == magic)
      return network_filesystems[i].name;
  return NULL;
}

/**
 * _sesame_store_check_filesystem:
 * @path: the store's file
 * @magic: the statfs() f_type of the filesystem that holds it
 * @error: return location for a #GError
 *
 * SQLite's write-ahead log keeps its index in memory shared between the
 * processes of one computer: two desks that open a store on a share each
 * have their own, and overwrite each other's pages.
 *
 * Returns: %FALSE, with %SESAME_ERROR_REFUSED, for a store on a network
 *   or FUSE filesystem
 */
gboolean
_sesame_store_check_filesystem (const char  *path,
                                guint32      magic,
                                GError     **error)
{
  const char *name = _sesame_store_network_filesystem (magic);
  g_autofree char *suggestion = NULL;

  if (name == NULL)
    return TRUE;

  suggestion = sesame_store_default_path ();
  g_set_error (error, SESAME_ERROR, SESAME_ERROR_REFUSED,
               _("The store %s is on a network or FUSE filesystem (%s). Sésame keeps its store on the desk’s own disk: "
                 "its write-ahead log needs memory shared on one computer, and desks writing to one store on a share "
                 "corrupt it. Keep the store on this computer’s disk (for example %s); several desks cannot share "
                 "one store file."),
               path, name, suggestion);
  return FALSE;
}

/* statfs() of @path, or of its nearest existing folder when it does not
 * exist yet. */
static gboolean
check_filesystem (const char  *path,
                  GError     **error)
{
  g_autofree char *probe = g_strdup (path);
  struct statfs sfs;

  while (statfs (probe, &sfs) != 0)
    {
      char *parent;

      if (errno != ENOENT && errno != ENOTDIR)
        {
          int saved_errno = errno;

          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                       _("Cannot read the filesystem of the store %s: %s"), path, g_strerror (saved_errno));
          return FALSE;
        }
      parent = g_path_get_dirname (probe);
      if (g_str_equal (parent, probe))
        {
          g_free (parent);
          return TRUE;
        }
      g_free (probe);
      probe = parent;
    }

  return _sesame_store_check_filesystem (path, (guint32) sfs.f_type, error);
}

/* A store holds first passwords: its owner alone may read it, and its log
 * and shared memory, which SQLite creates with the file's permissions.
 * By path only: a descriptor closed here would drop SQLite's locks. */
static gboolean
ensure_private_mode (const char  *path,
                     GError     **error)
{
  static const char * const suffixes[] = { "", "-wal", "-shm" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);
      GStatBuf st;

      if (g_stat (file, &st) != 0)
        continue;
      if ((st.st_mode & 0077) == 0)
        continue;
      if (g_chmod (file, st.st_mode & 0700) != 0)
        {
          int saved_errno = errno;

          g_set_error (error, SESAME_ERROR, SESAME_ERROR_REFUSED,
                       _("The store %s can be read by other users of this computer, and its permissions cannot be "
                         "changed (%s). It holds first passwords: make the file yours and readable by you alone "
                         "(chmod 600 %s)."),
                       path, g_strerror (saved_errno), file);
          return FALSE;
        }
      g_message ("The store file %s was readable by other users: it is now readable by its owner only.", file);
    }
  return TRUE;
}

/* Before SQLite opens @path: a store that exists is a regular file; one
 * that does not is created only when @create, in a private folder. */
static gboolean
check_store_file (const char  *path,
                  gboolean     create,
                  gboolean    *exists,
                  GError     **error)
{
  GStatBuf st;

  *exists = g_stat (path, &st) == 0;
  if (!*exists && errno != ENOENT)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Cannot open the store %s: %s"), path, g_strerror (saved_errno));
      return FALSE;
    }

  if (*exists && !S_ISREG (st.st_mode))
    {
      g_set_error (error, SESAME_ERROR, SESAME_ERROR_INVALID,
                   _("%s is not a Sésame store: it is a folder or a device, not a file. Name the store’s file."),
                   path);
      return FALSE;
    }

  if (!*exists && !create)
    {
      g_set_error (error, SESAME_ERROR, SESAME_ERROR_NO_STORE,
                   _("There is no store at %s. Check the path; a new store is created only by the first import "
                     "into it, or when it is the default store."),
                   path);
      return FALSE;
    }

  if (!check_filesystem (path, error))
    return FALSE;

  if (!*exists)
    {
      g_autofree char *dir = g_path_get_dirname (path);

      if (g_mkdir_with_parents (dir, 0700) != 0)
        {
          int saved_errno = errno;

          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                       _("Cannot create the folder %s: %s"), dir, g_strerror (saved_errno));
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
read_schema_version (SesameStore  *self,
                     guint        *version,
                     GError      **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = _sesame_store_prepare (self, "PRAGMA user_version", error);
  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  *version = rc == SQLITE_ROW ? sqlite3_column_int (stmt, 0) : 0;
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    {
      _sesame_store_set_error (self, error);
      return FALSE;
    }
  return TRUE;
}

static gboolean
migrate (SesameStore  *self,
         GError      **error)
{
  sqlite3_stmt *stmt;
  guint version = 0;
  guint latest = _sesame_store_schema_version ();

  if (!read_schema_version (self, &version, error))
    return FALSE;

  if (version > latest)
    {
      g_set_error (error, SESAME_ERROR, SESAME_ERROR_STORE_VERSION,
                   _("The store %s was written by a newer version of Sésame (schema %u, this one knows %u). Update Sésame on this desk."),
                   self->path, version, latest);
      return FALSE;
    }

  for (guint to = version + 1; to <= latest; to++)
    {
      g_autofree char *pragma = g_strdup_printf ("PRAGMA user_version = %u", to);

      if (!_sesame_store_begin (self, error))
        return FALSE;
      /* Another process (two programs started at once on a new store) may
       * have migrated it while this one waited for the lock. */
      if (!read_schema_version (self, &version, error))
        {
          _sesame_store_rollback (self);
          return FALSE;
        }
      if (version >= to)
        {
          _sesame_store_rollback (self);
          if (version > latest)
            return migrate (self, error);
          to = version;
          continue;
        }
      if (!_sesame_store_exec (self, _sesame_store_schema_migration (to), error) ||
          !_sesame_store_exec (self, pragma, error))
        {
          _sesame_store_rollback (self);
          g_prefix_error (error, _("Cannot update the store to schema %u: "), to);
          return FALSE;
        }
      if (to == 1)
        {
          g_autofree char *uuid = _sesame_new_id ();
          g_autofree char *now = g_strdup_printf ("%" G_GINT64_FORMAT, sesame_store_now (self));

          stmt = _sesame_store_prepare (self, "INSERT INTO meta (key, value) VALUES (?, ?)", error);
          if (stmt == NULL)
            {
              _sesame_store_rollback (self);
              return FALSE;
            }
          sqlite3_bind_text (stmt, 1, "store-id", -1, SQLITE_STATIC);
          sqlite3_bind_text (stmt, 2, uuid, -1, SQLITE_TRANSIENT);
          if (!_sesame_store_step_done (self, stmt, error))
            {
              _sesame_store_rollback (self);
              return FALSE;
            }
          sqlite3_bind_text (stmt, 1, "created-at", -1, SQLITE_STATIC);
          sqlite3_bind_text (stmt, 2, now, -1, SQLITE_TRANSIENT);
          if (!_sesame_store_step_done (self, stmt, error))
            {
              _sesame_store_rollback (self);
              return FALSE;
            }
          sqlite3_bind_text (stmt, 1, "owner", -1, SQLITE_STATIC);
          sqlite3_bind_text (stmt, 2, g_get_user_name (), -1, SQLITE_TRANSIENT);
          if (!_sesame_store_step_done (self, stmt, error))
            {
              _sesame_store_rollback (self);
              return FALSE;
            }
        }
      if (!_sesame_store_commit (self, error))
        return FALSE;
    }

  return TRUE;
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
 * the acting operator until sesame_store_set_operator() names another.
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
  sqlite3_stmt *stmt;

  if (path == NULL)
    path = default_path = sesame_store_default_path ();
  create = (flags & SESAME_STORE_OPEN_CREATE) != 0 || sesame_store_is_default_path (path);

  if (sodium_init () < 0)
    {
      g_set_error_literal (error, SESAME_ERROR, SESAME_ERROR_FAILED,
                           _("The cryptographic library could not start."));
      return NULL;
    }

  if (!check_store_file (path, create, &exists, error))
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

  if (!ensure_private_mode (path, error))
    return NULL;

  sqlite3_extended_result_codes (self->db, 0);
  sqlite3_create_collation_v2 (self->db, "NAME", SQLITE_UTF8, NULL, collate_name, NULL);
  sqlite3_busy_timeout (self->db, BUSY_TIMEOUT_MS);

  if (!_sesame_store_exec (self,
                           "PRAGMA journal_mode = WAL;"
                           "PRAGMA synchronous = NORMAL;"
                           "PRAGMA foreign_keys = ON;"
                           "PRAGMA temp_store = MEMORY;"
                           "PRAGMA cache_size = -32000;"
                           "PRAGMA mmap_size = 1073741824;"
                           "PRAGMA wal_autocheckpoint = " G_STRINGIFY (WAL_AUTOCHECKPOINT_PAGES) ";"
                           "PRAGMA journal_size_limit = " G_STRINGIFY (WAL_SIZE_LIMIT) ";",
                           error))
    return NULL;

  if (!migrate (self, error))
    return NULL;

  stmt = _sesame_store_prepare (self, "SELECT value FROM meta WHERE key = 'store-id'", error);
  if (stmt == NULL)
    return NULL;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    self->id = g_strdup (_sesame_column_text (stmt, 0));
  sqlite3_reset (stmt);

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
 * Returns: whether @self was opened with %SESAME_STORE_OPEN_READ
 */
gboolean
sesame_store_is_read_only (SesameStore *self)
{
  g_return_val_if_fail (SESAME_IS_STORE (self), FALSE);
  return self->read_only;
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

  copy = sesame_store_open_full (self->path,
                                 self->read_only ? SESAME_STORE_OPEN_READ : SESAME_STORE_OPEN_NONE,
                                 error);
  if (copy == NULL)
    return NULL;
  copy->now_override = self->now_override;
  /* The operator of the first connection proved who they are. */
  if (self->operator_login != NULL &&
      !_sesame_store_set_operator_trusted (copy, self->operator_login, error))
    return NULL;
  return g_steal_pointer (&copy);
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

  copy = sesame_store_open_full (self->path, SESAME_STORE_OPEN_NONE, error);
  if (copy == NULL)
    return NULL;
  copy->now_override = self->now_override;
  if (!patient)
    sqlite3_busy_timeout (copy->db, 0);
  if (self->operator_login != NULL &&
      !_sesame_store_set_operator_trusted (copy, self->operator_login, error))
    return NULL;
  return g_steal_pointer (&copy);
}

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
 * Returns: the store's UUID, the same on every desk sharing it
 */
const char *
sesame_store_get_id (SesameStore *self)
{
  g_return_val_if_fail (SESAME_IS_STORE (self), NULL);
  return self->id;
}

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
 * _sesame_store_set_operator_trusted:
 * @self: a #SesameStore
 * @login: (nullable): the login of the acting staff member, or %NULL for the
 *   store's owner
 * @error: return location for a #GError
 *
 * Names who acts from now on, without any proof: every later operation
 * checks this operator's permissions and the audit trail names them. Only
 * for callers that already hold the proof (a sign-in, the owner of the file
 * acting as themselves, a second connection of a signed-in store) and for
 * the tests. Interfaces sign in with sesame_operators_sign_in().
 *
 * Returns: %TRUE if @login names an account of the store
 */
gboolean
_sesame_store_set_operator_trusted (SesameStore  *self,
                                    const char   *login,
                                    GError      **error)
{
  sqlite3_stmt *stmt;
  g_autofree char *key = NULL;

  g_return_val_if_fail (SESAME_IS_STORE (self), FALSE);

  if (login != NULL)
    {
      stmt = _sesame_store_prepare (self,
                                    "SELECT a.person_key FROM accounts a JOIN persons p ON p.key = a.person_key "
                                    "WHERE a.login = ? AND a.deleted_at IS NULL AND p.deleted_at IS NULL",
                                    error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, login, -1, SQLITE_TRANSIENT);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        key = g_strdup (_sesame_column_text (stmt, 0));
      sqlite3_reset (stmt);

      if (key == NULL)
        {
          g_set_error (error, SESAME_ERROR, SESAME_ERROR_NOT_FOUND,
                       _("No account has the login “%s”: an operator must be a member of staff of the store."),
                       login);
          return FALSE;
        }
    }

  if (g_strcmp0 (login, self->operator_login) == 0)
    return TRUE;

  g_free (self->operator_login);
  self->operator_login = g_strdup (login);
  g_free (self->operator_key);
  self->operator_key = g_steal_pointer (&key);
  g_free (self->operator_name);
  self->operator_name = login ? g_strdup (login) : dup_owner_name ();
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OPERATOR]);
  return TRUE;
}

/**
 * sesame_store_get_operator:
 * @self: a #SesameStore
 *
 * Returns: (nullable): the acting operator's login, or %NULL for the owner
 */
const char *
sesame_store_get_operator (SesameStore *self)
{
  g_return_val_if_fail (SESAME_IS_STORE (self), NULL);
  return self->operator_login;
}

/**
 * sesame_store_get_operator_key:
 * @self: a #SesameStore
 *
 * Returns: (nullable): the directory key of the acting operator, or %NULL
 *   for the owner
 */
const char *
sesame_store_get_operator_key (SesameStore *self)
{
  g_return_val_if_fail (SESAME_IS_STORE (self), NULL);
  return self->operator_key;
}

const char *
_sesame_store_operator_name (SesameStore *self)
{
  return self->operator_name;
}

/**
 * sesame_store_dup_operator_display_name:
 * @self: a #SesameStore
 *
 * Returns: (transfer full): "First LAST" of the acting operator, or the
 *   user name of the store's owner
 */
char *
sesame_store_dup_operator_display_name (SesameStore *self)
{
  sqlite3_stmt *stmt;
  char *name = NULL;

  g_return_val_if_fail (SESAME_IS_STORE (self), NULL);

  if (self->operator_key == NULL)
    return g_strdup (g_get_real_name () && g_strcmp0 (g_get_real_name (), "Unknown") != 0
                     ? g_get_real_name () : g_get_user_name ());

  stmt = _sesame_store_prepare (self, "SELECT first_name, last_name FROM persons WHERE key = ?", NULL);
  if (stmt == NULL)
    return g_strdup (self->operator_login);
  sqlite3_bind_text (stmt, 1, self->operator_key, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    name = g_strdup_printf ("%s %s", _sesame_column_text (stmt, 0), _sesame_column_text (stmt, 1));
  sqlite3_reset (stmt);
  return name ? name : g_strdup (self->operator_login);
}

/* Role grants and revocations are ordered by the store's own sequence
 * (role_events.seq), never by their timestamps: a desk whose clock is
 * behind must still be able to revoke what it granted a moment before. */
static gboolean
holds_role (SesameStore     *self,
            const char      *key,
            const char      *role,
            SesameRoleScope *scope)
{
  sqlite3_stmt *stmt;
  gboolean granted = FALSE;

  if (key == NULL)
    return FALSE;

  stmt = _sesame_store_prepare (self,
                                "SELECT granted, scope FROM role_events WHERE person_key = ? AND role = ? "
                                "ORDER BY seq DESC LIMIT 1",
                                NULL);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, role, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      granted = sqlite3_column_int (stmt, 0) != 0;
      if (scope != NULL)
        sesame_role_scope_from_token (_sesame_column_text (stmt, 1), scope);
    }
  sqlite3_reset (stmt);
  return granted;
}

/* Whether the person is still in the directory: someone who left (a
 * deleteRequest, or absent from a complete export) holds no right. */
static gboolean
is_present (SesameStore *self,
            const char  *key)
{
  sqlite3_stmt *stmt;
  gboolean present = FALSE;

  stmt = _sesame_store_prepare (self,
                                "SELECT 1 FROM persons WHERE key = ? AND left_at IS NULL AND deleted_at IS NULL",
                                NULL);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  present = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_reset (stmt);
  return present;
}

/* The UAIs, as a JSON array, of the establishments that exist in the
 * store where the person is head (function DIR) and, with @own, those
 * they belong to or work in. A DIR function for a structure the store
 * does not know grants nothing. */
static char *
dup_establishments (SesameStore *self,
                    const char  *key,
                    gboolean     own)
{
  sqlite3_stmt *stmt;
  char *uais = NULL;

  stmt = _sesame_store_prepare (self,
                                "SELECT json_group_array (DISTINCT e.uai) FROM establishments e"
                                " WHERE e.deleted_at IS NULL AND e.jointure IN ("
                                "  SELECT structure FROM functions WHERE person_key = ?1 AND code = 'DIR'"
                                "   AND deleted_at IS NULL"
                                "  UNION SELECT structure FROM persons WHERE key = ?1 AND ?2"
                                "  UNION SELECT structure FROM functions WHERE person_key = ?1"
                                "   AND deleted_at IS NULL AND ?2)",
                                NULL);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 2, own ? 1 : 0);
  if (sqlite3_step (stmt) == SQLITE_ROW && g_strcmp0 (_sesame_column_text (stmt, 0), "[]") != 0)
    uais = g_strdup (_sesame_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return uais;
}

void
_sesame_operator_reach_clear (SesameOperatorReach *reach)
{
  g_clear_pointer (&reach->uais, g_free);
}

/**
 * _sesame_store_get_reach:
 * @self: a #SesameStore
 * @reach: (out caller-allocates): what the acting operator reaches; clear
 *   it with _sesame_operator_reach_clear()
 *
 * The one place that decides what an operator may reach. The store's
 * owner and the administrators of every establishment reach the whole
 * store; heads of establishment (function DIR) and administrators of
 * their establishment reach the accounts of their establishments, as
 * identifier managers of an establishment do; identifier managers of
 * classes reach the pupils of their classes and their guardians. Whoever
 * left the directory reaches nothing, whatever role they were granted.
 */
void
_sesame_store_get_reach (SesameStore         *self,
                         SesameOperatorReach *reach)
{
  SesameRoleScope scope = SESAME_ROLE_SCOPE_ESTABLISHMENT;
  const char *key = self->operator_key;

  reach->kind = SESAME_REACH_NONE;
  reach->admin = FALSE;
  reach->uais = NULL;

  if (key == NULL)
    {
      reach->kind = SESAME_REACH_ALL;
      reach->admin = TRUE;
      return;
    }
  if (!is_present (self, key))
    return;

  if (holds_role (self, key, "admin", &scope))
    {
      if (scope == SESAME_ROLE_SCOPE_ALL)
        {
          reach->kind = SESAME_REACH_ALL;
          reach->admin = TRUE;
          return;
        }
      reach->uais = dup_establishments (self, key, TRUE);
    }
  else
    reach->uais = dup_establishments (self, key, FALSE);

  if (reach->uais != NULL)
    {
      reach->kind = SESAME_REACH_ESTABLISHMENTS;
      reach->admin = TRUE;
      return;
    }

  if (holds_role (self, key, "manager", &scope))
    {
      if (scope == SESAME_ROLE_SCOPE_CLASSES)
        reach->kind = SESAME_REACH_CLASSES;
      else if ((reach->uais = dup_establishments (self, key, TRUE)) != NULL)
        reach->kind = SESAME_REACH_ESTABLISHMENTS;
    }
}

/**
 * sesame_store_operator_is_admin:
 * @self: a #SesameStore
 *
 * The store's owner, the administrators of every establishment, the heads
 * of establishment still in post and the administrators of an
 * establishment are administrators: the last two of their own
 * establishments only (see sesame_store_operator_administers()).
 *
 * Returns: whether the acting operator administers at least one
 *   establishment
 */
gboolean
sesame_store_operator_is_admin (SesameStore *self)
{
  g_auto(SesameOperatorReach) reach = { 0, };

  g_return_val_if_fail (SESAME_IS_STORE (self), FALSE);

  _sesame_store_get_reach (self, &reach);
  return reach.admin;
}

/**
 * sesame_store_operator_administers_all:
 * @self: a #SesameStore
 *
 * Returns: whether the acting operator administers the whole store: its
 *   owner, or an administrator of all establishments
 */
gboolean
sesame_store_operator_administers_all (SesameStore *self)
{
  g_auto(SesameOperatorReach) reach = { 0, };

  g_return_val_if_fail (SESAME_IS_STORE (self), FALSE);

  _sesame_store_get_reach (self, &reach);
  return reach.admin && reach.kind == SESAME_REACH_ALL;
}

static gboolean
reach_has_uai (const SesameOperatorReach *reach,
               const char                *uai)
{
  g_autofree char *quoted = NULL;

  if (reach->kind == SESAME_REACH_ALL)
    return TRUE;
  if (reach->kind != SESAME_REACH_ESTABLISHMENTS || reach->uais == NULL || uai == NULL)
    return FALSE;
  /* UAIs are 7 digits and a letter: no quoting to undo. */
  quoted = g_strdup_printf ("\"%s\"", uai);
  return strstr (reach->uais, quoted) != NULL;
}

/**
 * sesame_store_operator_administers:
 * @self: a #SesameStore
 * @uai: an establishment's UAI
 *
 * Returns: whether the acting operator administers this establishment
 */
gboolean
sesame_store_operator_administers (SesameStore *self,
                                   const char  *uai)
{
  g_auto(SesameOperatorReach) reach = { 0, };

  g_return_val_if_fail (SESAME_IS_STORE (self), FALSE);
  g_return_val_if_fail (uai != NULL, FALSE);

  _sesame_store_get_reach (self, &reach);
  return reach.admin && reach_has_uai (&reach, uai);
}

/**
 * sesame_store_dup_administered_establishments:
 * @self: a #SesameStore
 *
 * Returns: (transfer full) (nullable): the UAIs of the establishments the
 *   acting operator administers, or %NULL if they administer the whole
 *   store; an empty array if none
 */
char **
sesame_store_dup_administered_establishments (SesameStore *self)
{
  g_auto(SesameOperatorReach) reach = { 0, };
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  sqlite3_stmt *stmt;

  g_return_val_if_fail (SESAME_IS_STORE (self), NULL);

  _sesame_store_get_reach (self, &reach);
  if (reach.admin && reach.kind == SESAME_REACH_ALL)
    return NULL;
  if (reach.admin && reach.uais != NULL)
    {
      stmt = _sesame_store_prepare (self, "SELECT value FROM json_each (?) ORDER BY 1", NULL);
      if (stmt != NULL)
        {
          sqlite3_bind_text (stmt, 1, reach.uais, -1, SQLITE_TRANSIENT);
          while (sqlite3_step (stmt) == SQLITE_ROW)
            g_strv_builder_add (builder, _sesame_column_text (stmt, 0));
          sqlite3_reset (stmt);
        }
    }
  return g_strv_builder_end (builder);
}

gboolean
_sesame_store_get_manager_scope (SesameStore     *self,
                                 SesameRoleScope *scope)
{
  if (self->operator_key == NULL || !is_present (self, self->operator_key))
    return FALSE;
  return holds_role (self, self->operator_key, "manager", scope);
}

/**
 * _sesame_store_scope_condition:
 * @self: a #SesameStore
 * @reach: the operator's reach, from _sesame_store_get_reach()
 * @person: the SQL name of the persons row to test, e.g. "p"
 * @params: (element-type utf8): where the condition's parameters go, one
 *   string for each `?` it holds, in order
 *
 * The SQL condition that a person is within the operator's reach: for an
 * establishment, the person belongs to it, works in it, or is the
 * guardian of a pupil in it; for classes, the person is a pupil of a
 * class or group the operator teaches or leads, or a guardian of one.
 *
 * Returns: (transfer full): the condition, in parentheses
 */
char *
_sesame_store_scope_condition (SesameStore               *self,
                               const SesameOperatorReach *reach,
                               const char                *person,
                               GPtrArray                 *params)
{
  switch (reach->kind)
    {
    case SESAME_REACH_ALL:
      return g_strdup ("(1)");

    case SESAME_REACH_ESTABLISHMENTS:
      for (guint i = 0; i < 3; i++)
        g_ptr_array_add (params, g_strdup (reach->uais));
      return g_strdup_printf ("(%1$s.structure IN (SELECT jointure FROM establishments"
                              "   WHERE uai IN (SELECT value FROM json_each (?)))"
                              " OR EXISTS (SELECT 1 FROM functions sf WHERE sf.person_key = %1$s.key"
                              "   AND sf.deleted_at IS NULL AND sf.structure IN (SELECT jointure FROM establishments"
                              "   WHERE uai IN (SELECT value FROM json_each (?))))"
                              " OR EXISTS (SELECT 1 FROM guardians sg JOIN persons sc ON sc.key = sg.pupil_key"
                              "   WHERE sg.parent_key = %1$s.key AND sg.deleted_at IS NULL"
                              "   AND sc.structure IN (SELECT jointure FROM establishments"
                              "   WHERE uai IN (SELECT value FROM json_each (?)))))",
                              person);

    case SESAME_REACH_CLASSES:
      for (guint i = 0; i < 2; i++)
        g_ptr_array_add (params, g_strdup (self->operator_key));
      return g_strdup_printf ("(%1$s.key IN (SELECT m.person_key FROM teachings t JOIN memberships m"
                              "   ON m.code = t.code COLLATE NOCASE AND m.structure = t.structure AND m.code = t.code"
                              "   AND m.deleted_at IS NULL WHERE t.person_key = ? AND t.deleted_at IS NULL)"
                              " OR EXISTS (SELECT 1 FROM guardians sg WHERE sg.parent_key = %1$s.key"
                              "   AND sg.deleted_at IS NULL AND sg.pupil_key IN (SELECT m.person_key"
                              "   FROM teachings t JOIN memberships m ON m.code = t.code COLLATE NOCASE"
                              "   AND m.structure = t.structure AND m.code = t.code AND m.deleted_at IS NULL"
                              "   WHERE t.person_key = ? AND t.deleted_at IS NULL)))",
                              person);

    case SESAME_REACH_NONE:
    default:
      return g_strdup ("(0)");
    }
}

/**
 * _sesame_store_scope_set_condition:
 * @self: a #SesameStore
 * @reach: the operator's reach, from _sesame_store_get_reach()
 * @person: the SQL name of the persons row to test, e.g. "p"
 * @params: (element-type utf8): where the condition's parameters go
 *
 * The condition of _sesame_store_scope_condition() for a listing: the
 * persons of the operator's establishments are gathered once per
 * statement, and each row read is looked up among them, instead of each
 * row looking for its structure, functions and children. Searches of a
 * head of establishment read every match of the academy to find theirs.
 *
 * Returns: (transfer full): the condition, in parentheses
 */
char *
_sesame_store_scope_set_condition (SesameStore               *self,
                                   const SesameOperatorReach *reach,
                                   const char                *person,
                                   GPtrArray                 *params)
{
  if (reach->kind != SESAME_REACH_ESTABLISHMENTS)
    return _sesame_store_scope_condition (self, reach, person, params);

  for (guint i = 0; i < 3; i++)
    g_ptr_array_add (params, g_strdup (reach->uais));
  return g_strdup_printf ("(%s.key IN ("
                          "  SELECT key FROM persons WHERE structure IN (SELECT jointure FROM establishments"
                          "   WHERE uai IN (SELECT value FROM json_each (?)))"
                          "  UNION SELECT person_key FROM functions WHERE deleted_at IS NULL"
                          "   AND structure IN (SELECT jointure FROM establishments"
                          "   WHERE uai IN (SELECT value FROM json_each (?)))"
                          "  UNION SELECT sg.parent_key FROM guardians sg JOIN persons sc ON sc.key = sg.pupil_key"
                          "   WHERE sg.deleted_at IS NULL AND sc.structure IN (SELECT jointure FROM establishments"
                          "   WHERE uai IN (SELECT value FROM json_each (?)))))",
                          person);
}

static gboolean
reach_has_person (SesameStore               *self,
                  const SesameOperatorReach *reach,
                  const char                *target_key)
{
  g_autoptr(GPtrArray) params = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *condition = NULL;
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt;
  gboolean found;

  if (reach->kind == SESAME_REACH_ALL)
    return TRUE;
  if (reach->kind == SESAME_REACH_NONE)
    return FALSE;

  /* The statement depends on the kind of reach only, its parameters on
   * the operator: interned, it is prepared once and cached. Letters check
   * every person they print. */
  condition = _sesame_store_scope_condition (self, reach, "t", params);
  sql = g_strdup_printf ("SELECT 1 FROM persons t WHERE t.key = ? AND %s", condition);
  stmt = _sesame_store_prepare (self, g_intern_string (sql), NULL);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, target_key, -1, SQLITE_TRANSIENT);
  for (guint i = 0; i < params->len; i++)
    sqlite3_bind_text (stmt, i + 2, g_ptr_array_index (params, i), -1, SQLITE_TRANSIENT);
  found = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_reset (stmt);
  return found;
}

/**
 * _sesame_store_reach_has_person:
 * @self: a #SesameStore
 * @reach: the operator's reach, from _sesame_store_get_reach()
 * @target_key: a person's directory key
 *
 * _sesame_store_in_scope() for a reach read once, when many persons are
 * checked in a row.
 *
 * Returns: whether the person is within the reach
 */
gboolean
_sesame_store_reach_has_person (SesameStore               *self,
                                const SesameOperatorReach *reach,
                                const char                *target_key)
{
  return reach_has_person (self, reach, target_key);
}

gboolean
_sesame_store_in_scope (SesameStore *self,
                        const char  *target_key)
{
  g_auto(SesameOperatorReach) reach = { 0, };

  _sesame_store_get_reach (self, &reach);
  if (target_key == NULL)
    return reach.kind != SESAME_REACH_NONE;
  return reach_has_person (self, &reach, target_key);
}

static gboolean
reach_can (const SesameOperatorReach *reach,
           SesamePermission           permission)
{
  switch (permission)
    {
    case SESAME_PERMISSION_OPERATE:
    case SESAME_PERMISSION_SEARCH:
    case SESAME_PERMISSION_VIEW_ACCOUNT:
    case SESAME_PERMISSION_CHANGE_LOGIN:
    case SESAME_PERMISSION_RESET_PASSWORD:
    case SESAME_PERMISSION_PRINT:
      return reach->kind != SESAME_REACH_NONE;
    case SESAME_PERMISSION_IMPORT:
    case SESAME_PERMISSION_MANAGE_FILES:
    case SESAME_PERMISSION_MANAGE_ROLES:
    case SESAME_PERMISSION_SEND_MAIL:
      return reach->admin;
    case SESAME_PERMISSION_VIEW_AUDIT:
    case SESAME_PERMISSION_MANAGE_STORE:
      return reach->admin && reach->kind == SESAME_REACH_ALL;
    default:
      return FALSE;
    }
}

/**
 * sesame_store_operator_can:
 * @self: a #SesameStore
 * @permission: what the operator wants to do
 *
 * Whether the acting operator may do this at all, whoever the target. The
 * interface uses it to hide or disable actions; the core still checks each
 * operation with sesame_store_check_permission().
 *
 * Returns: %TRUE if the permission is held
 */
gboolean
sesame_store_operator_can (SesameStore      *self,
                           SesamePermission  permission)
{
  g_auto(SesameOperatorReach) reach = { 0, };

  g_return_val_if_fail (SESAME_IS_STORE (self), FALSE);

  _sesame_store_get_reach (self, &reach);
  return reach_can (&reach, permission);
}

static const char *
refusal_message (SesamePermission permission)
{
  switch (permission)
    {
    case SESAME_PERMISSION_IMPORT:
      return _("Only an administrator can import the directory.");
    case SESAME_PERMISSION_MANAGE_FILES:
      return _("Only an administrator can generate, export or delete identifier files.");
    case SESAME_PERMISSION_MANAGE_ROLES:
      return _("Only an administrator can grant or revoke roles.");
    case SESAME_PERMISSION_SEND_MAIL:
      return _("Only an administrator can send identifiers by email.");
    case SESAME_PERMISSION_VIEW_AUDIT:
      return _("Only an administrator of every establishment can read the whole audit trail.");
    case SESAME_PERMISSION_SEARCH:
      return _("Only administrators and identifier managers can search accounts.");
    case SESAME_PERMISSION_VIEW_ACCOUNT:
      return _("Only administrators and identifier managers can see an account.");
    case SESAME_PERMISSION_CHANGE_LOGIN:
      return _("Only administrators and identifier managers can change a login.");
    case SESAME_PERMISSION_RESET_PASSWORD:
      return _("Only administrators and identifier managers can regenerate a password.");
    case SESAME_PERMISSION_PRINT:
      return _("Only administrators and identifier managers can print identifiers.");
    case SESAME_PERMISSION_OPERATE:
      return _("Only administrators and identifier managers can use Sésame.");
    case SESAME_PERMISSION_MANAGE_STORE:
      return _("Only an administrator of every establishment can change the settings of the store.");
    default:
      return _("You may not do this.");
    }
}

/**
 * sesame_store_check_permission:
 * @self: a #SesameStore
 * @permission: what the operator wants to do
 * @target_key: (nullable): the directory key of the person concerned
 * @error: return location for a #GError
 *
 * Checks that the acting operator may do this to this person:
 * administrators of some establishments and identifier managers act only
 * within their reach (see _sesame_store_get_reach()).
 *
 * Returns: %TRUE if allowed, or %FALSE with a %SESAME_ERROR_PERMISSION_DENIED
 *   error that says why
 */
gboolean
sesame_store_check_permission (SesameStore       *self,
                               SesamePermission   permission,
                               const char        *target_key,
                               GError           **error)
{
  g_auto(SesameOperatorReach) reach = { 0, };

  g_return_val_if_fail (SESAME_IS_STORE (self), FALSE);

  _sesame_store_get_reach (self, &reach);
  if (!reach_can (&reach, permission))
    {
      g_set_error_literal (error, SESAME_ERROR, SESAME_ERROR_PERMISSION_DENIED,
                           refusal_message (permission));
      return FALSE;
    }

  if (target_key != NULL && !reach_has_person (self, &reach, target_key))
    {
      g_set_error_literal (error, SESAME_ERROR, SESAME_ERROR_PERMISSION_DENIED,
                           reach.admin
                           ? _("This person is outside the establishments you administer.")
                           : _("This person is outside the scope of your identifier manager role."));
      return FALSE;
    }

  return TRUE;
}

/**
 * _sesame_store_check_establishment:
 * @self: a #SesameStore
 * @permission: what the operator wants to do
 * @uai: the UAI of the establishment concerned
 * @error: return location for a #GError
 *
 * Checks that the acting operator may do this in this establishment:
 * administrators of some establishments act in those only.
 *
 * Returns: %TRUE if allowed, or %FALSE with a %SESAME_ERROR_PERMISSION_DENIED
 *   error that says why
 */
gboolean
_sesame_store_check_establishment (SesameStore       *self,
                                   SesamePermission   permission,
                                   const char        *uai,
                                   GError           **error)
{
  g_auto(SesameOperatorReach) reach = { 0, };

  _sesame_store_get_reach (self, &reach);
  if (!reach_can (&reach, permission))
    {
      g_set_error_literal (error, SESAME_ERROR, SESAME_ERROR_PERMISSION_DENIED,
                           refusal_message (permission));
      return FALSE;
    }
  if (!reach_has_uai (&reach, uai))
    {
      g_set_error (error, SESAME_ERROR, SESAME_ERROR_PERMISSION_DENIED,
                   _("You do not administer the establishment %s: only its head, its administrators"
                     " and the administrators of every establishment can."),
                   uai ? uai : "");
      return FALSE;
    }
  return TRUE;
}

/**
 * _sesame_new_id:
 *
 * A new global key for a row: a UUID of version 7 (RFC 9562), 48 bits of
 * Unix time in milliseconds, a 12-bit sequence within the millisecond and
 * 62 random bits. Keys made one after the other sort one after the other,
 * so that the tables keyed by them grow at the end of their index instead
 * of splitting pages all over it, as random UUIDs do: an import creates
 * hundreds of thousands of credentials. The random bits keep keys made at
 * once on other desks distinct, as for random UUIDs. Keys are names, not
 * secrets: GLib's generator is enough.
 *
 * Returns: (transfer full): the key, in the usual 36-character form
 */
char *
_sesame_new_id (void)
{
  static const char hex[] = "0123456789abcdef";
  static GMutex lock;
  static guint64 last_ms;
  static guint32 sequence;
  guint8 bytes[16];
  guint64 ms;
  guint32 seq, r1, r2;
  char *id, *out;

  g_mutex_lock (&lock);
  ms = (guint64) g_get_real_time () / 1000;
  if (ms > last_ms)
    {
      last_ms = ms;
      /* A random start leaves room to count up within the millisecond. */
      sequence = g_random_int () & 0x7ff;
    }
  else if (++sequence > 0xfff)
    {
      /* More keys than the sequence holds: borrow the next millisecond. */
      last_ms++;
      sequence = g_random_int () & 0x7ff;
    }
  ms = last_ms;
  seq = sequence;
  g_mutex_unlock (&lock);

  r1 = g_random_int ();
  r2 = g_random_int ();
  for (guint i = 0; i < 6; i++)
    bytes[i] = (guint8) (ms >> (40 - 8 * i));
  bytes[6] = 0x70 | (guint8) (seq >> 8);
  bytes[7] = (guint8) seq;
  bytes[8] = 0x80 | (guint8) ((r1 >> 24) & 0x3f);
  bytes[9] = (guint8) (r1 >> 16);
  bytes[10] = (guint8) (r1 >> 8);
  bytes[11] = (guint8) r1;
  bytes[12] = (guint8) (r2 >> 24);
  bytes[13] = (guint8) (r2 >> 16);
  bytes[14] = (guint8) (r2 >> 8);
  bytes[15] = (guint8) r2;

  out = id = g_malloc (37);
  for (guint i = 0; i < 16; i++)
    {
      if (i == 4 || i == 6 || i == 8 || i == 10)
        *out++ = '-';
      *out++ = hex[bytes[i] >> 4];
      *out++ = hex[bytes[i] & 0xf];
    }
  *out = '\0';
  return id;
}

gboolean
_sesame_store_audit (SesameStore  *self,
                     const char   *action,
                     const char   *target,
                     const char   *detail,
                     GError      **error)
{
  g_autofree char *uuid = _sesame_new_id ();
  sqlite3_stmt *stmt;

  stmt = _sesame_store_prepare (self,
                                "INSERT INTO audit (id, at, operator, action, target, detail) "
                                "VALUES (?, ?, ?, ?, ?, ?)",
                                error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, sesame_store_now (self));
  sqlite3_bind_text (stmt, 3, self->operator_name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, action, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, target ? target : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 6, detail ? detail : "", -1, SQLITE_TRANSIENT);
  return _sesame_store_step_done (self, stmt, error);
}

/**
 * sesame_store_dup_setting:
 * @self: a #SesameStore
 * @key: a setting's name, e.g. %SESAME_SETTING_ENT_URL
 * @default_value: (nullable): returned when the setting was never set
 *
 * Returns: (transfer full) (nullable): the setting's value
 */
char *
sesame_store_dup_setting (SesameStore *self,
                          const char  *key,
                          const char  *default_value)
{
  sqlite3_stmt *stmt;
  char *value = NULL;

  g_return_val_if_fail (SESAME_IS_STORE (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  if (self->transaction_depth > 0 &&
      g_hash_table_lookup_extended (self->settings_cache, key, NULL, (gpointer *) &value))
    return g_strdup (value ? value : default_value);

  stmt = _sesame_store_prepare (self, "SELECT value FROM settings WHERE key = ?", NULL);
  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        value = g_strdup (_sesame_column_text (stmt, 0));
      sqlite3_reset (stmt);
    }
  /* Within a transaction nobody else can change a setting: remember it. */
  if (self->transaction_depth > 0)
    g_hash_table_insert (self->settings_cache, g_strdup (key), g_strdup (value));
  return value ? value : g_strdup (default_value);
}

int
sesame_store_get_setting_int (SesameStore *self,
                              const char  *key,
                              int          default_value)
{
  g_autofree char *value = sesame_store_dup_setting (self, key, NULL);
  gint64 parsed;

  if (value == NULL || !g_ascii_string_to_signed (value, 10, 0, G_MAXINT, &parsed, NULL))
    return default_value;
  return (int) parsed;
}

static gboolean
validate_int_setting (const char  *key,
                      const char  *value,
                      int          min,
                      int          max,
                      GError     **error)
{
  gint64 parsed;

  if (g_ascii_string_to_signed (value, 10, min, max, &parsed, NULL))
    return TRUE;
  g_set_error (error, SESAME_ERROR, SESAME_ERROR_INVALID,
               _("The setting %s takes a whole number from %d to %d."),
               key, min, max);
  return FALSE;
}

/* The settings of the core are checked here, so that no interface can store
 * a value that would break passwords or letters. */
static gboolean
validate_setting (const char  *key,
                  const char  *value,
                  GError     **error)
{
  if (!g_utf8_validate (value, -1, NULL))
    {
      g_set_error (error, SESAME_ERROR, SESAME_ERROR_INVALID,
                   _("The value of the setting %s is not valid text."), key);
      return FALSE;
    }
  if (g_str_equal (key, SESAME_SETTING_PASSWORD_LENGTH))
    return validate_int_setting (key, value, 6, 32, error);
  if (g_str_equal (key, SESAME_SETTING_PASSWORD_EXPIRY_DAYS))
    return validate_int_setting (key, value, 1, 365, error);
  if (g_str_equal (key, SESAME_SETTING_PASSWORD_MIN_LENGTH))
    return validate_int_setting (key, value, 4, 64, error);
  if (g_str_equal (key, SESAME_SETTING_DEPARTURE_THRESHOLD))
    return validate_int_setting (key, value, 0, 100, error);
  if (g_str_equal (key, SESAME_SETTING_LOCK_MINUTES))
    return validate_int_setting (key, value, 1, 240, error);
  if (g_str_equal (key, SESAME_SETTING_DOCUMENT_LANGUAGE) && !sesame_document_language_is_valid (value))
    {
      g_autofree char *codes = g_strjoinv (", ", (char **) sesame_document_languages ());
      g_set_error (error, SESAME_ERROR, SESAME_ERROR_INVALID,
                   _("The document language “%s” is not available: choose one of %s."), value, codes);
      return FALSE;
    }
  /* Links to the ENT carry one-time tokens: plain http:// would expose
   * them on the way. */
  if (g_str_equal (key, SESAME_SETTING_ENT_URL) &&
      (!g_str_has_prefix (value, "https://") || value[strlen ("https://")] == '\0'))
    {
      g_set_error (error, SESAME_ERROR, SESAME_ERROR_INVALID,
                   _("The ENT address must start with https:// (for example https://ent.example.org)."));
      return FALSE;
    }
  /* Slips and letters are laid out, whole, for values up to these lengths. */
  if (g_str_equal (key, SESAME_SETTING_ENT_NAME) && g_utf8_strlen (value, -1) > SESAME_SETTING_ENT_NAME_MAX)
    {
      g_set_error (error, SESAME_ERROR, SESAME_ERROR_INVALID,
                   _("The ENT's name takes %d characters at most."), SESAME_SETTING_ENT_NAME_MAX);
      return FALSE;
    }
  if (g_str_equal (key, SESAME_SETTING_ENT_URL) && g_utf8_strlen (value, -1) > SESAME_SETTING_ENT_URL_MAX)
    {
      g_set_error (error, SESAME_ERROR, SESAME_ERROR_INVALID,
                   _("The ENT's address takes %d characters at most."), SESAME_SETTING_ENT_URL_MAX);
      return FALSE;
    }
  if (g_str_equal (key, SESAME_SETTING_LETTER_TEXT) && g_utf8_strlen (value, -1) > SESAME_SETTING_LETTER_TEXT_MAX)
    {
      g_set_error (error, SESAME_ERROR, SESAME_ERROR_INVALID,
                   _("The letter's text takes %d characters at most."), SESAME_SETTING_LETTER_TEXT_MAX);
      return FALSE;
    }
  if ((g_str_equal (key, SESAME_SETTING_ENT_URL) || g_str_equal (key, SESAME_SETTING_ENT_NAME)) &&
      strpbrk (value, "\r\n") != NULL)
    {
      g_set_error (error, SESAME_ERROR, SESAME_ERROR_INVALID,
                   _("The setting %s must fit on one line."), key);
      return FALSE;
    }
  return TRUE;
}

/**
 * sesame_store_set_setting:
 * @self: a #SesameStore
 * @key: a setting's name
 * @value: its new value
 * @error: return location for a #GError
 *
 * Changes a policy setting shared by every desk; administrators only.
 *
 * Returns: %TRUE on success
 */
gboolean
sesame_store_set_setting (SesameStore  *self,
                          const char   *key,
                          const char   *value,
                          GError      **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (SESAME_IS_STORE (self), FALSE);
  g_return_val_if_fail (key != NULL && value != NULL, FALSE);

  /* Settings are shared by every establishment of the store. */
  if (!sesame_store_check_permission (self, SESAME_PERMISSION_MANAGE_STORE, NULL, error))
    return FALSE;
  if (!validate_setting (key, value, error))
    return FALSE;
  g_hash_table_remove_all (self->settings_cache);

  if (!_sesame_store_begin (self, error))
    return FALSE;
  stmt = _sesame_store_prepare (self,
                                "INSERT INTO settings (key, value, changed_at) VALUES (?1, ?2, ?3) "
                                "ON CONFLICT (key) DO UPDATE SET value = ?2, changed_at = ?3",
                                error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, value, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, sesame_store_now (self));
  if (!_sesame_store_step_done (self, stmt, error) ||
      !_sesame_store_audit (self, "setting", key, value, error))
    goto fail;
  g_ptr_array_add (self->changed_settings, g_strdup (key));
  return _sesame_store_commit (self, error);

fail:
  _sesame_store_rollback (self);
  return FALSE;
}

/**
 * sesame_store_is_empty:
 * @self: a #SesameStore
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

/**
 * _sesame_store_key_is_operator:
 * @self: a #SesameStore
 * @key: a person's directory key
 *
 * Whether this person, were they signed in, would hold any right: an
 * administrator or an identifier manager. Asks the same rules as every
 * permission check, so that who may sign in never drifts from who may act.
 *
 * Returns: %TRUE for an operator
 */
gboolean
_sesame_store_key_is_operator (SesameStore *self,
                               const char  *key)
{
  char *saved_key;
  gboolean operator;

  g_assert (SESAME_IS_STORE (self));
  g_assert (key != NULL);

  saved_key = g_steal_pointer (&self->operator_key);
  self->operator_key = g_strdup (key);
  operator = sesame_store_operator_is_admin (self) ||
             sesame_store_operator_can (self, SESAME_PERMISSION_SEARCH);
  g_free (self->operator_key);
  self->operator_key = saved_key;
  return operator;
}

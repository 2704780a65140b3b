/* sesame-seal.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Sealed first passwords. On a server's store and on every desk joined to
 * it, credentials.password never holds a first password in clear: it holds
 * "s1:" and the base64 of a random nonce followed by the password sealed
 * with libsodium's secretbox under the establishment's key, so that a
 * copied or stolen desk file, a backup or a changeset on the wire reveals
 * none. A standalone store keeps them as it always did.
 *
 * The key is made when a store becomes a server's and kept in a file
 * beside it, readable by its owner only: the server runs as a service
 * with no keyring. A desk receives it at each online sign-in, sealed to
 * the desk's own key pair, and keeps it in the session's keyring; without
 * it a desk works on, but shows, prints and makes no first password.
 * Every reader and writer of a first password goes through
 * _sesame_seal_password() and _sesame_seal_unseal_password().
 */
#include "config.h"

#define G_LOG_DOMAIN "sesame-accounts"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <sodium.h>
#include <string.h>
#include <sys/stat.h>

#include "sesame-error.h"
#include "sesame-secrets.h"
#include "sesame-seal-private.h"

#define KEY_BYTES crypto_secretbox_KEYBYTES

/* The keys at hand in this process, by the canonical path of their store,
 * each in memory libsodium guards and never swaps. Every connection to a
 * store shares it: a desk signs in on one and prints on another. */
static GMutex      keys_lock;
static GHashTable *keys;

static void
key_free (gpointer key)
{
  sodium_free (key);
}

static char *
store_key_name (SesameStore *self)
{
  const char *path = sesame_store_get_path (self);

  return path != NULL ? g_canonicalize_filename (path, NULL) : NULL;
}

static gboolean
cached_key (SesameStore *self,
            guint8      *key)
{
  g_autofree char *name = store_key_name (self);
  const guint8 *found = NULL;

  if (name == NULL)
    return FALSE;
  g_mutex_lock (&keys_lock);
  if (keys != NULL)
    found = g_hash_table_lookup (keys, name);
  if (found != NULL)
    memcpy (key, found, KEY_BYTES);
  g_mutex_unlock (&keys_lock);
  return found != NULL;
}

static void
cache_key (SesameStore  *self,
           const guint8 *key)
{
  char *name = store_key_name (self);
  guint8 *copy;

  if (name == NULL)
    return;
  copy = sodium_malloc (KEY_BYTES);
  g_assert (copy != NULL);
  memcpy (copy, key, KEY_BYTES);
  g_mutex_lock (&keys_lock);
  if (keys == NULL)
    keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, key_free);
  g_hash_table_replace (keys, name, copy);
  g_mutex_unlock (&keys_lock);
}

/**
 * _sesame_seal_forget_key:
 * @self: a #SesameStore
 *
 * Forgets the key this process holds for the store; the next use reads it
 * again from the server's key file or the desk's keyring.
 */
void
_sesame_seal_forget_key (SesameStore *self)
{
  g_autofree char *name = store_key_name (self);

  if (name == NULL)
    return;
  g_mutex_lock (&keys_lock);
  if (keys != NULL)
    g_hash_table_remove (keys, name);
  g_mutex_unlock (&keys_lock);
}

/**
 * sesame_seal_dup_key_path:
 * @store_path: the file of a server's store
 *
 * Where the establishment's key of a server's store is kept: a file
 * beside it, readable by its owner only. Back it up with the store: the
 * first passwords the store holds cannot be read without it.
 *
 * Returns: (transfer full): the key file's path
 */
char *
sesame_seal_dup_key_path (const char *store_path)
{
  g_return_val_if_fail (store_path != NULL, NULL);
  return g_strconcat (store_path, ".seal-key", NULL);
}

/**
 * _sesame_seal_get_mode:
 * @self: a #SesameStore
 *
 * Whether the store's first passwords are sealed: a server's store and a
 * desk joined to one seal them, a standalone store does not. Read from
 * the store each time: joining makes a desk of a copy of the server's
 * store while it is open.
 *
 * Returns: the store's #SesameSealMode
 */
SesameSealMode
_sesame_seal_get_mode (SesameStore *self)
{
  SesameSealMode mode = SESAME_SEAL_MODE_STANDALONE;
  sqlite3_stmt *stmt;

  stmt = _sesame_store_prepare (self,
                                "SELECT EXISTS (SELECT 1 FROM sync_state WHERE key = 'server'),"
                                " EXISTS (SELECT 1 FROM sync_state WHERE key = 'feed' AND value = 'server')",
                                NULL);
  if (stmt == NULL)
    return mode;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      if (sqlite3_column_int (stmt, 0) != 0)
        mode = SESAME_SEAL_MODE_DESK;
      else if (sqlite3_column_int (stmt, 1) != 0)
        mode = SESAME_SEAL_MODE_SERVER;
    }
  sqlite3_reset (stmt);
  return mode;
}

static gboolean
parse_key (const char *text,
           guint8     *key)
{
  size_t length = 0;
  const char *end = NULL;

  if (sodium_hex2bin (key, KEY_BYTES, text, strlen (text), NULL, &length, &end) != 0 ||
      length != KEY_BYTES)
    return FALSE;
  /* Nothing but a line end may follow. */
  return end == NULL || strspn (end, "\r\n") == strlen (end);
}

/* The server's key file: 64 hexadecimal digits, readable by its owner
 * only. */
static gboolean
read_key_file (const char  *path,
               guint8      *key,
               GError     **error)
{
  g_autofree char *contents = NULL;
  gsize length = 0;
  GStatBuf st;
  gboolean ok;

  if (g_stat (path, &st) != 0)
    {
      int saved = errno;

      g_set_error (error, SESAME_ERROR, SESAME_ERROR_FAILED,
                   _("Cannot read the key of the first passwords, %s: %s. It is made when sesame-server first starts on the store; restore it from the server's backup."),
                   path, g_strerror (saved));
      return FALSE;
    }
  if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0)
    {
      g_set_error (error, SESAME_ERROR, SESAME_ERROR_FAILED,
                   _("The key of the first passwords, %s, can be read by other users of the server: make it the server's own with “chmod 600 %s”."),
                   path, path);
      return FALSE;
    }
  if (!g_file_get_contents (path, &contents, &length, error))
    {
      g_prefix_error (error, _("Cannot read the key of the first passwords, %s: "), path);
      return FALSE;
    }
  ok = strlen (contents) == length && parse_key (contents, key);
  sodium_memzero (contents, length);
  if (!ok)
    {
      g_set_error (error, SESAME_ERROR, SESAME_ERROR_FAILED,
                   _("%s, line 1: the key of the first passwords is damaged (64 hexadecimal digits were expected). Restore it from the server's backup."),
                   path);
      return FALSE;
    }
  return TRUE;
}

static char *
desk_id (SesameStore *self)
{
  sqlite3_stmt *stmt;
  char *id = NULL;

  stmt = _sesame_store_prepare (self, "SELECT value FROM sync_state WHERE key = 'desk'", NULL);
  if (stmt == NULL)
    return NULL;
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
    id = g_strdup (_sesame_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return id;
}

/* The key of a server's store from its file, of a desk's from the
 * keyring, once per process. */
static gboolean
load_key (SesameStore  *self,
          guint8       *key,
          GError      **error)
{
  SesameSealMode mode = _sesame_seal_get_mode (self);

  if (cached_key (self, key))
    return TRUE;

  if (mode == SESAME_SEAL_MODE_SERVER)
    {
      g_autofree char *path = NULL;

      if (sesame_store_get_path (self) == NULL)
        {
          g_set_error_literal (error, SESAME_ERROR, SESAME_ERROR_FAILED,
                               _("A server's store in memory has no key for its first passwords."));
          return FALSE;
        }
      path = sesame_seal_dup_key_path (sesame_store_get_path (self));
      if (!read_key_file (path, key, error))
        return FALSE;
      cache_key (self, key);
      return TRUE;
    }
  if (mode == SESAME_SEAL_MODE_DESK)
    {
      g_autoptr(GError) local_error = NULL;
      g_autofree char *desk = desk_id (self);
      char *text = NULL;
      gboolean ok = FALSE;

      if (desk != NULL)
        text = sesame_secrets_lookup_seal_key (sesame_store_get_id (self), desk, NULL, &local_error);
      if (local_error != NULL)
        g_debug ("No key of the first passwords from the keyring: %s", local_error->message);
      if (text != NULL)
        {
          ok = parse_key (text, key);
          sesame_secrets_free_password (text);
          if (!ok)
            g_debug ("The key of the first passwords in the keyring is damaged");
        }
      if (ok)
        {
          cache_key (self, key);
          return TRUE;
        }
    }
  g_set_error_literal (error, SESAME_ERROR, SESAME_ERROR_REFUSED,
                       _("Sign in once while the server is reachable to see first passwords."));
  return FALSE;
}

/**
 * _sesame_seal_has_key:
 * @self: a #SesameStore
 *
 * Whether first passwords can be sealed and unsealed on this store now:
 * always on a standalone store, with the establishment's key elsewhere.
 *
 * Returns: whether they can
 */
gboolean
_sesame_seal_has_key (SesameStore *self)
{
  guint8 key[KEY_BYTES];
  gboolean ok;

  if (_sesame_seal_get_mode (self) == SESAME_SEAL_MODE_STANDALONE)
    return TRUE;
  ok = load_key (self, key, NULL);
  sodium_memzero (key, sizeof key);
  return ok;
}

/**
 * _sesame_seal_is_sealed:
 * @stored: (nullable): a value of credentials.password
 *
 * Returns: whether @stored is a sealed first password
 */
gboolean
_sesame_seal_is_sealed (const char *stored)
{
  return stored != NULL && g_str_has_prefix (stored, SESAME_SEAL_PREFIX);
}

static char *
seal_with (const guint8 *key,
           const char   *password)
{
  gsize length = strlen (password);
  gsize size = crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + length;
  g_autofree guint8 *box = g_malloc (size);
  g_autofree char *encoded = NULL;

  randombytes_buf (box, crypto_secretbox_NONCEBYTES);
  crypto_secretbox_easy (box + crypto_secretbox_NONCEBYTES, (const guint8 *) password, length, box, key);
  encoded = g_base64_encode (box, size);
  return g_strconcat (SESAME_SEAL_PREFIX, encoded, NULL);
}

/**
 * _sesame_seal_password:
 * @self: a #SesameStore
 * @password: a first password, in clear
 * @error: return location for a #GError
 *
 * What credentials.password holds for @password on this store: the
 * password sealed with the establishment's key on a server's store and
 * on a desk, the password itself on a standalone store.
 *
 * Returns: (transfer full): the value to store, or %NULL with a
 *   %SESAME_ERROR_REFUSED error on a desk that does not hold the key
 */
char *
_sesame_seal_password (SesameStore  *self,
                       const char   *password,
                       GError      **error)
{
  g_autoptr(GError) local_error = NULL;
  guint8 key[KEY_BYTES];
  char *sealed;

  g_return_val_if_fail (password != NULL, NULL);

  if (_sesame_seal_get_mode (self) == SESAME_SEAL_MODE_STANDALONE)
    return g_strdup (password);
  if (!load_key (self, key, &local_error))
    {
      if (g_error_matches (local_error, SESAME_ERROR, SESAME_ERROR_REFUSED))
        g_set_error_literal (error, SESAME_ERROR, SESAME_ERROR_REFUSED,
                             _("This desk does not hold the establishment's key, so it cannot keep a new first password: sign in once while the server is reachable, then try again."));
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  sealed = seal_with (key, password);
  sodium_memzero (key, sizeof key);
  return sealed;
}

/**
 * _sesame_seal_unseal_password:
 * @self: a #SesameStore
 * @stored: a value of credentials.password
 * @error: return location for a #GError
 *
 * The first password a value of credentials.password holds: unsealed
 * with the establishment's key when it is sealed, as it is otherwise.
 * A value that does not open with the key gives an error, never garbage.
 *
 * Returns: (transfer full): the password in clear, to be wiped after use,
 *   or %NULL with a %SESAME_ERROR_REFUSED error when the key is not at
 *   hand or does not open it
 */
char *
_sesame_seal_unseal_password (SesameStore  *self,
                              const char   *stored,
                              GError      **error)
{
  guint8 key[KEY_BYTES];
  g_autofree guint8 *box = NULL;
  char *password = NULL;
  gsize size = 0;
  gboolean ok;

  g_return_val_if_fail (stored != NULL, NULL);

  if (!_sesame_seal_is_sealed (stored))
    return g_strdup (stored);
  if (!load_key (self, key, error))
    return NULL;

  box = g_base64_decode (stored + strlen (SESAME_SEAL_PREFIX), &size);
  ok = size > crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES;
  if (ok)
    {
      gsize length = size - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES;

      password = g_malloc (length + 1);
      ok = crypto_secretbox_open_easy ((guint8 *) password, box + crypto_secretbox_NONCEBYTES,
                                       size - crypto_secretbox_NONCEBYTES, box, key) == 0;
      password[ok ? length : 0] = '\0';
      ok = ok && strlen (password) == length && g_utf8_validate (password, length, NULL);
    }
  sodium_memzero (key, sizeof key);
  if (!ok)
    {
      if (password != NULL)
        {
          sodium_memzero (password, strlen (password));
          g_free (password);
        }
      g_set_error_literal (error, SESAME_ERROR, SESAME_ERROR_REFUSED,
                           _("A first password does not open with the establishment's key held here: sign in again while the server is reachable."));
      return NULL;
    }
  return password;
}

static gboolean
holds_sealed (SesameStore *self)
{
  sqlite3_stmt *stmt;
  gboolean found;

  stmt = _sesame_store_prepare (self,
                                "SELECT 1 FROM credentials WHERE password LIKE '" SESAME_SEAL_PREFIX "%' LIMIT 1",
                                NULL);
  if (stmt == NULL)
    return FALSE;
  found = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_reset (stmt);
  return found;
}

/**
 * _sesame_seal_enable_server:
 * @self: a server's #SesameStore
 * @error: return location for a #GError
 *
 * Makes the establishment's key of a server's store, the first time, in a
 * file beside the store readable by its owner only, or reads it. From
 * now on the connection seals first passwords; call
 * _sesame_seal_seal_clear() in the transaction that makes it a server's.
 *
 * Returns: %TRUE on success
 */
gboolean
_sesame_seal_enable_server (SesameStore  *self,
                            GError      **error)
{
  g_autofree char *path = NULL;
  guint8 key[KEY_BYTES];

  if (sesame_store_get_path (self) == NULL)
    {
      g_set_error_literal (error, SESAME_ERROR, SESAME_ERROR_FAILED,
                           _("A server's store in memory has no key for its first passwords."));
      return FALSE;
    }
  path = sesame_seal_dup_key_path (sesame_store_get_path (self));
  if (g_file_test (path, G_FILE_TEST_EXISTS))
    {
      if (!read_key_file (path, key, error))
        return FALSE;
    }
  else
    {
      char hex[KEY_BYTES * 2 + 2];
      gboolean ok;

      /* A new key would lock the sealed ones away for good. */
      if (holds_sealed (self))
        {
          g_set_error (error, SESAME_ERROR, SESAME_ERROR_FAILED,
                       _("The key of the first passwords, %s, is missing, yet the store's first passwords were sealed with it: restore it from the server's backup."),
                       path);
          return FALSE;
        }
      randombytes_buf (key, sizeof key);
      sodium_bin2hex (hex, sizeof hex - 1, key, sizeof key);
      strcat (hex, "\n");
      ok = g_file_set_contents_full (path, hex, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, error);
      sodium_memzero (hex, sizeof hex);
      if (!ok)
        {
          sodium_memzero (key, sizeof key);
          g_prefix_error (error, _("Cannot keep the key of the first passwords in %s: "), path);
          return FALSE;
        }
      g_message ("Made the key of the first passwords: %s", path);
    }
  cache_key (self, key);
  sodium_memzero (key, sizeof key);
  return TRUE;
}

/**
 * _sesame_seal_seal_clear:
 * @self: a server's #SesameStore, its key at hand
 * @error: return location for a #GError
 *
 * Seals, inside the caller's transaction, every first password the store
 * still holds in clear: those it had before it became a server's.
 *
 * Returns: %TRUE on success
 */
gboolean
_sesame_seal_seal_clear (SesameStore  *self,
                         GError      **error)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) clear = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;
  guint8 key[KEY_BYTES];
  gboolean ok = TRUE;

  stmt = _sesame_store_prepare (self,
                                "SELECT id, password FROM credentials WHERE password IS NOT NULL"
                                " AND password NOT LIKE '" SESAME_SEAL_PREFIX "%'",
                                error);
  if (stmt == NULL)
    return FALSE;
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_ptr_array_add (ids, g_strdup (_sesame_column_text (stmt, 0)));
      g_ptr_array_add (clear, g_strdup (_sesame_column_text (stmt, 1)));
    }
  sqlite3_reset (stmt);
  if (ids->len == 0)
    return TRUE;
  if (!load_key (self, key, error))
    return FALSE;

  stmt = _sesame_store_prepare (self, "UPDATE credentials SET password = ? WHERE id = ?", error);
  for (guint i = 0; stmt != NULL && ok && i < ids->len; i++)
    {
      char *password = g_ptr_array_index (clear, i);
      g_autofree char *sealed = seal_with (key, password);

      sodium_memzero (password, strlen (password));
      sqlite3_bind_text (stmt, 1, sealed, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, g_ptr_array_index (ids, i), -1, SQLITE_TRANSIENT);
      ok = _sesame_store_step_done (self, stmt, error);
    }
  sodium_memzero (key, sizeof key);
  if (stmt == NULL || !ok)
    return FALSE;
  g_message ("Sealed %u first passwords kept in clear", ids->len);
  return TRUE;
}

/**
 * sesame_seal_dup_key_for_desk:
 * @self: a server's #SesameStore
 * @desk_public_key: the desk's Ed25519 public key, in hexadecimal
 * @error: return location for a #GError
 *
 * The establishment's key sealed to a desk (crypto_box_seal to the
 * Curve25519 form of its key pair), for its sign-in: only that desk
 * opens it.
 *
 * Returns: (transfer full): the sealed key, in base64
 */
char *
sesame_seal_dup_key_for_desk (SesameStore  *self,
                           const char   *desk_public_key,
                           GError      **error)
{
  guint8 ed_public[crypto_sign_PUBLICKEYBYTES];
  guint8 curve_public[crypto_box_PUBLICKEYBYTES];
  guint8 sealed[crypto_box_SEALBYTES + KEY_BYTES];
  guint8 key[KEY_BYTES];
  size_t length = 0;

  g_return_val_if_fail (SESAME_IS_STORE (self), NULL);

  if (desk_public_key == NULL ||
      sodium_hex2bin (ed_public, sizeof ed_public, desk_public_key, strlen (desk_public_key),
                      NULL, &length, NULL) != 0 ||
      length != sizeof ed_public ||
      crypto_sign_ed25519_pk_to_curve25519 (curve_public, ed_public) != 0)
    {
      g_set_error_literal (error, SESAME_ERROR, SESAME_ERROR_REFUSED,
                           _("The desk's public key is damaged: enrol the desk again."));
      return NULL;
    }
  if (!load_key (self, key, error))
    return NULL;
  crypto_box_seal (sealed, key, sizeof key, curve_public);
  sodium_memzero (key, sizeof key);
  return g_base64_encode (sealed, sizeof sealed);
}

/**
 * _sesame_seal_receive_key:
 * @self: a desk's #SesameStore
 * @desk_secret_key: the desk's Ed25519 secret key
 *   (crypto_sign_SECRETKEYBYTES bytes)
 * @sealed_key: the establishment's key sealed to the desk, in base64
 * @error: return location for a #GError
 *
 * Opens the establishment's key the server sent at sign-in and keeps it:
 * in this process, and in the session's keyring for the sign-ins made
 * while the server does not answer. When the keyring cannot keep it, the
 * key still serves this process and an error says why.
 *
 * Returns: %TRUE if it was opened and kept in the keyring
 */
gboolean
_sesame_seal_receive_key (SesameStore   *self,
                          const guint8  *desk_secret_key,
                          const char    *sealed_key,
                          GError       **error)
{
  guint8 curve_secret[crypto_box_SECRETKEYBYTES];
  guint8 curve_public[crypto_box_PUBLICKEYBYTES];
  guint8 key[KEY_BYTES];
  char hex[KEY_BYTES * 2 + 1];
  g_autofree guint8 *sealed = NULL;
  g_autofree char *desk = NULL;
  gsize size = 0;
  gboolean ok;

  g_return_val_if_fail (sealed_key != NULL, FALSE);

  sealed = g_base64_decode (sealed_key, &size);
  ok = size == crypto_box_SEALBYTES + KEY_BYTES &&
       crypto_sign_ed25519_sk_to_curve25519 (curve_secret, desk_secret_key) == 0 &&
       crypto_scalarmult_base (curve_public, curve_secret) == 0 &&
       crypto_box_seal_open (key, sealed, size, curve_public, curve_secret) == 0;
  sodium_memzero (curve_secret, sizeof curve_secret);
  if (!ok)
    {
      g_set_error_literal (error, SESAME_ERROR, SESAME_ERROR_REFUSED,
                           _("The establishment's key sent by the server does not open with this desk's key: join the server again with a new code."));
      return FALSE;
    }
  cache_key (self, key);
  sodium_bin2hex (hex, sizeof hex, key, sizeof key);
  sodium_memzero (key, sizeof key);
  desk = desk_id (self);
  ok = sesame_secrets_store_seal_key (sesame_store_get_id (self), desk, hex, NULL, error);
  sodium_memzero (hex, sizeof hex);
  return ok;
}

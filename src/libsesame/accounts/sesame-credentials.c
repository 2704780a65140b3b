/* sesame-credentials.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * First passwords ("credentials"): how they are drawn, and the rows of the
 * credentials table that record them. Each regeneration is a new row,
 * never an update of the last one, so that two desks regenerating at once
 * merge; an account's first password is its newest credential not yet
 * used, revoked, purged or expired. A password is kept only while the
 * account waits for its first sign-in; it is hashed (Argon2id) the moment
 * someone signs in with it and purged. Nothing is hashed at import:
 * hashing costs ~60 ms. On a server's store and on its desks it is kept
 * sealed (sesame-seal.c): every value written here goes through
 * _sesame_seal_password(), every value read through
 * _sesame_seal_unseal_password().
 */
#include "config.h"

#define G_LOG_DOMAIN "sesame-accounts"

#include <sodium.h>
#include <string.h>

#include "sesame-credentials-private.h"
#include "sesame-seal-private.h"

/* No 0 O o 1 l I i: a first password is read off paper and typed on a phone. */
static const char password_alphabet[] = "abcdefghjkmnpqrstuvwxyz23456789";

#define DEFAULT_PASSWORD_LENGTH 8
#define DEFAULT_EXPIRY_DAYS     60

/* Random bytes for first passwords, drawn from libsodium's generator a
 * few kilobytes at a time: an import makes passwords by the hundred
 * thousand, and a call to the system's generator for each one cost more
 * than everything else about the password. Each thread has its own pool;
 * a byte is wiped as soon as it is used, and the pool when its thread
 * ends. Sésame never forks without executing another program, so no two
 * processes share a pool. */
#define RANDOM_POOL_SIZE 4096

typedef struct
{
  gsize  next;
  guint8 bytes[RANDOM_POOL_SIZE];
} RandomPool;

static void
random_pool_free (gpointer data)
{
  sodium_memzero (data, sizeof (RandomPool));
  g_free (data);
}

static GPrivate random_pool_key = G_PRIVATE_INIT (random_pool_free);

static guint8
random_byte (void)
{
  RandomPool *pool = g_private_get (&random_pool_key);
  guint8 byte;

  if (pool == NULL)
    {
      pool = g_new (RandomPool, 1);
      pool->next = RANDOM_POOL_SIZE;
      g_private_set (&random_pool_key, pool);
    }
  if (pool->next == RANDOM_POOL_SIZE)
    {
      randombytes_buf (pool->bytes, RANDOM_POOL_SIZE);
      pool->next = 0;
    }
  byte = pool->bytes[pool->next];
  pool->bytes[pool->next++] = 0;
  return byte;
}

/**
 * sesame_credentials_generate_password:
 * @length: how many characters, 1 to 64
 *
 * Draws a first password from libsodium's random generator, in an
 * alphabet without look-alikes (no 0 O o 1 l I i), every character
 * equally likely. Safe to call from any thread.
 *
 * Returns: (transfer full): the password
 */
char *
sesame_credentials_generate_password (guint length)
{
  const guint alphabet_size = sizeof password_alphabet - 1;
  /* Bytes at or above this bound are skipped, so that every character of
   * the alphabet is equally likely. */
  const guint bound = 256 - 256 % alphabet_size;
  char *password;
  guint filled = 0;

  g_return_val_if_fail (length > 0 && length <= 64, NULL);

  password = g_malloc (length + 1);
  while (filled < length)
    {
      guint8 byte = random_byte ();

      if (byte < bound)
        password[filled++] = password_alphabet[byte % alphabet_size];
    }
  password[length] = '\0';
  return password;
}

/**
 * _sesame_credentials_insert:
 * @self: a #SesameStore
 * @person_key: the directory key of a person with an account
 * @out_password: (out) (optional): the new password, to be shown once
 * @error: return location for a #GError
 *
 * Records a new first password for a person, inside the caller's
 * transaction: as long and valid for as many days as the store's
 * settings say, created by the acting operator, sealed where the store
 * seals them. It becomes the person's first password; older ones are
 * left as they are. A desk without the establishment's key makes none.
 *
 * Returns: %TRUE on success
 */
gboolean
_sesame_credentials_insert (SesameStore  *self,
                            const char   *person_key,
                            char        **out_password,
                            GError      **error)
{
  g_autofree char *uuid = _sesame_new_id ();
  g_autofree char *password = NULL;
  g_autofree char *stored = NULL;
  sqlite3_stmt *stmt;
  int length = sesame_store_settings_get_int (self, SESAME_SETTING_PASSWORD_LENGTH, DEFAULT_PASSWORD_LENGTH);
  int days = sesame_store_settings_get_int (self, SESAME_SETTING_PASSWORD_EXPIRY_DAYS, DEFAULT_EXPIRY_DAYS);
  gint64 now = sesame_store_now (self);

  password = sesame_credentials_generate_password (CLAMP (length, 6, 32));
  stored = _sesame_seal_password (self, password, error);
  if (stored == NULL)
    {
      sodium_memzero (password, strlen (password));
      return FALSE;
    }

  stmt = _sesame_store_prepare (self,
                                "INSERT INTO credentials (id, person_key, password, created_at, expires_at, created_by) "
                                "VALUES (?, ?, ?, ?, ?, ?)",
                                error);
  if (stmt == NULL)
    {
      sodium_memzero (password, strlen (password));
      return FALSE;
    }
  sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, person_key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, stored, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 4, now);
  sqlite3_bind_int64 (stmt, 5, now + (gint64) MAX (days, 1) * 24 * 3600);
  sqlite3_bind_text (stmt, 6, _sesame_store_operator_name (self), -1, SQLITE_TRANSIENT);
  sodium_memzero (stored, strlen (stored));
  if (!_sesame_store_step_done (self, stmt, error))
    {
      sodium_memzero (password, strlen (password));
      return FALSE;
    }

  if (out_password != NULL)
    *out_password = g_steal_pointer (&password);
  else
    sodium_memzero (password, strlen (password));
  return TRUE;
}

/**
 * _sesame_credentials_revoke:
 * @self: a #SesameStore
 * @person_key: the directory key of a person with an account
 * @error: return location for a #GError
 *
 * Revokes every first password of a person that was not used, inside the
 * caller's transaction: they stop working at once, and their clear text
 * is purged.
 *
 * Returns: %TRUE on success
 */
gboolean
_sesame_credentials_revoke (SesameStore  *self,
                            const char   *person_key,
                            GError      **error)
{
  sqlite3_stmt *stmt;

  stmt = _sesame_store_prepare (self,
                                "UPDATE credentials SET password = NULL, revoked_at = ?2, purged_at = ?2 "
                                "WHERE person_key = ?1 AND revoked_at IS NULL AND used_at IS NULL",
                                error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, person_key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, sesame_store_now (self));
  return _sesame_store_step_done (self, stmt, error);
}

/**
 * _sesame_credentials_find_live:
 * @self: a #SesameStore
 * @person_key: a directory key
 * @id: (out) (optional): the credential's id
 * @stored: (out) (optional): its password as the store holds it: sealed
 *   on a server's store and on a desk
 *
 * Finds the live first password of a person: the newest credential not
 * used, revoked, purged or expired.
 *
 * Returns: whether the person has one
 */
gboolean
_sesame_credentials_find_live (SesameStore  *self,
                               const char   *person_key,
                               char        **id,
                               char        **stored)
{
  sqlite3_stmt *stmt;
  gboolean found = FALSE;

  stmt = _sesame_store_prepare (self,
                                "SELECT id, password FROM credentials WHERE person_key = ?1 "
                                "AND password IS NOT NULL AND used_at IS NULL AND revoked_at IS NULL "
                                "AND expires_at > ?2 ORDER BY created_at DESC, rowid DESC LIMIT 1",
                                NULL);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, person_key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, sesame_store_now (self));
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      found = TRUE;
      if (id != NULL)
        *id = g_strdup (_sesame_column_text (stmt, 0));
      if (stored != NULL)
        *stored = g_strdup (_sesame_column_text (stmt, 1));
    }
  sqlite3_reset (stmt);
  return found;
}

/**
 * _sesame_credentials_match_live:
 * @self: a #SesameStore
 * @person_key: a directory key
 * @password: the password a person typed
 * @id: (out): the id of the credential it matches
 *
 * Compares @password, in constant time, with every live first password
 * of the person, newest first, each unsealed where the store seals them.
 * Usually there is one; two when two desks regenerated it at once,
 * offline: both work until the first sign-in.
 *
 * Returns: whether one matched
 */
gboolean
_sesame_credentials_match_live (SesameStore  *self,
                                const char   *person_key,
                                const char   *password,
                                char        **id)
{
  sqlite3_stmt *stmt;
  gsize length = strlen (password);
  gboolean matched = FALSE;

  stmt = _sesame_store_prepare (self,
                                "SELECT id, password FROM credentials WHERE person_key = ?1 "
                                "AND password IS NOT NULL AND used_at IS NULL AND revoked_at IS NULL "
                                "AND expires_at > ?2 ORDER BY created_at DESC, rowid DESC",
                                NULL);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, person_key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, sesame_store_now (self));
  while (!matched && sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_autoptr(GError) error = NULL;
      char *first = _sesame_seal_unseal_password (self, _sesame_column_text (stmt, 1), &error);

      if (first == NULL)
        {
          /* Without the key, no first password signs in here. */
          g_debug ("A first password of %s cannot be compared: %s", person_key, error->message);
          continue;
        }
      if (strlen (first) == length && sodium_memcmp (first, password, length) == 0)
        {
          *id = g_strdup (_sesame_column_text (stmt, 0));
          matched = TRUE;
        }
      sodium_memzero (first, strlen (first));
      g_free (first);
    }
  sqlite3_reset (stmt);
  return matched;
}

/**
 * _sesame_credentials_read_first_password:
 * @self: a #SesameStore
 * @person_key: a directory key
 * @error: return location for a #GError
 *
 * The first password that works now for this person, unsealed. Core use
 * only: identifier files, slips and letters, which check the operator's
 * permission themselves.
 *
 * Returns: (transfer full) (nullable): the password, to be wiped after
 *   use; %NULL without @error when the person has none that works, with
 *   a %SESAME_ERROR_REFUSED error when it cannot be unsealed here
 */
char *
_sesame_credentials_read_first_password (SesameStore  *self,
                                         const char   *person_key,
                                         GError      **error)
{
  g_autofree char *stored = NULL;
  char *password;

  if (!_sesame_credentials_find_live (self, person_key, NULL, &stored))
    return NULL;
  password = _sesame_seal_unseal_password (self, stored, error);
  sodium_memzero (stored, strlen (stored));
  return password;
}

/**
 * _sesame_credentials_dup_first_password:
 * @self: a #SesameStore
 * @person_key: a directory key
 *
 * Like _sesame_credentials_read_first_password(), for callers that only
 * need to know whether there is one to show.
 *
 * Returns: (transfer full) (nullable): the password, or %NULL when the
 *   person has none that works or it cannot be unsealed here
 */
char *
_sesame_credentials_dup_first_password (SesameStore *self,
                                        const char  *person_key)
{
  g_autoptr(GError) error = NULL;
  char *password = _sesame_credentials_read_first_password (self, person_key, &error);

  if (error != NULL)
    g_debug ("The first password of %s cannot be read: %s", person_key, error->message);
  return password;
}

/**
 * _sesame_credentials_is_live_password:
 * @self: a #SesameStore
 * @text: a text someone chose
 *
 * Whether @text is a first password of anybody still waiting to be used:
 * it was printed on a slip or sent in a file. Where the store seals them
 * and the key is not at hand, none can be compared and the answer is no.
 *
 * Returns: whether it is one
 */
gboolean
_sesame_credentials_is_live_password (SesameStore *self,
                                      const char  *text)
{
  sqlite3_stmt *stmt;
  gsize length = strlen (text);
  gboolean found = FALSE;

  if (_sesame_seal_get_mode (self) == SESAME_SEAL_MODE_STANDALONE)
    {
      stmt = _sesame_store_prepare (self,
                                    "SELECT 1 FROM credentials WHERE password IS NOT NULL AND password = ?1"
                                    " AND expires_at > ?2 LIMIT 1",
                                    NULL);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, text, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 2, sesame_store_now (self));
      found = sqlite3_step (stmt) == SQLITE_ROW;
      sqlite3_reset (stmt);
      return found;
    }
  if (!_sesame_seal_has_key (self))
    return FALSE;

  /* Sealed values differ at each sealing: each is opened in turn. */
  stmt = _sesame_store_prepare (self,
                                "SELECT password FROM credentials WHERE password IS NOT NULL AND expires_at > ?1",
                                NULL);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, sesame_store_now (self));
  while (!found && sqlite3_step (stmt) == SQLITE_ROW)
    {
      char *first = _sesame_seal_unseal_password (self, _sesame_column_text (stmt, 0), NULL);

      if (first == NULL)
        continue;
      found = strlen (first) == length && sodium_memcmp (first, text, length) == 0;
      sodium_memzero (first, strlen (first));
      g_free (first);
    }
  sqlite3_reset (stmt);
  return found;
}

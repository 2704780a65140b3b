/* sesame-sync-desks.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The desks a server knows, on the server's store. An administrator adds a
 * desk by name and hands its one-time code (valid 24 h, kept only as a
 * hash) to whoever sets it up; the desk enrols with the code and an
 * Ed25519 public key it made itself, and from then on signs every request
 * with the private key, which never leaves it. The server checks each
 * signature, the request's time and a nonce seen only once, so that a
 * request can be neither forged nor played again; a revoked desk is
 * refused from the next request on. An operator who signs in online gets a
 * ticket bound to the desk, which the desk shows with the changes made
 * under that operator's name.
 */
#include "config.h"

#include <string.h>

#include <sodium.h>

/* The ticket's refusals reach a desk's operator in the desk's language. */
#include "sesame-document-language-private.h"
#include "sesame-store-private.h"
#include "sesame-sync-desks.h"

#define CODE_LENGTH 16
#define CODE_GROUP_LENGTH 4
#define TICKET_KEY_META "sync-ticket-key"

static const char code_alphabet[] = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";

G_DEFINE_BOXED_TYPE (SesameSyncDesk, sesame_sync_desk, sesame_sync_desk_copy, sesame_sync_desk_free)

/**
 * sesame_sync_desk_copy:
 * @desk: a #SesameSyncDesk
 *
 * Duplicates a desk record, every string included, so that it outlives
 * the list it came from.
 *
 * Returns: (transfer full): a copy of @desk
 */
SesameSyncDesk *
sesame_sync_desk_copy (const SesameSyncDesk *desk)
{
  SesameSyncDesk *copy = g_new0 (SesameSyncDesk, 1);

  copy->id = g_strdup (desk->id);
  copy->name = g_strdup (desk->name);
  copy->establishments = g_strdupv (desk->establishments);
  copy->created_at = desk->created_at;
  copy->created_by = g_strdup (desk->created_by);
  copy->code_expires_at = desk->code_expires_at;
  copy->enrolled_at = desk->enrolled_at;
  copy->revoked_at = desk->revoked_at;
  copy->public_key = g_strdup (desk->public_key);
  return copy;
}

/**
 * sesame_sync_desk_free:
 * @desk: (nullable): a #SesameSyncDesk
 *
 * Frees @desk.
 */
void
sesame_sync_desk_free (SesameSyncDesk *desk)
{
  if (desk == NULL)
    return;
  g_free (desk->id);
  g_free (desk->name);
  g_strfreev (desk->establishments);
  g_free (desk->created_by);
  g_free (desk->public_key);
  g_free (desk);
}

/* Letters and digits only, upper case: "k7qm 4xtb-9prh" is K7QM4XTB9PRH. */
static char *
normalize_code (const char *code)
{
  GString *out = g_string_new (NULL);

  for (const char *p = code; p != NULL && *p != '\0'; p++)
    if (g_ascii_isalnum (*p))
      g_string_append_c (out, g_ascii_toupper (*p));
  return g_string_free (out, FALSE);
}

static char *
hash_code (const char *normalized_code)
{
  static const char context[] = "sesame-desk-code";
  crypto_generichash_state state;
  guint8 hash[crypto_generichash_BYTES];
  char hex[crypto_generichash_BYTES * 2 + 1];

  crypto_generichash_init (&state, NULL, 0, sizeof hash);
  crypto_generichash_update (&state, (const guint8 *) context, sizeof context);
  crypto_generichash_update (&state, (const guint8 *) normalized_code, strlen (normalized_code));
  crypto_generichash_final (&state, hash, sizeof hash);
  sodium_bin2hex (hex, sizeof hex, hash, sizeof hash);
  return g_strdup (hex);
}

static char *
generate_code (void)
{
  GString *code = g_string_new (NULL);

  for (guint i = 0; i < CODE_LENGTH; i++)
    {
      if (i > 0 && i % CODE_GROUP_LENGTH == 0)
        g_string_append_c (code, '-');
      g_string_append_c (code, code_alphabet[randombytes_uniform (sizeof code_alphabet - 1)]);
    }
  return g_string_free (code, FALSE);
}

static const char desk_columns[] =
  "id, name, establishments, created_at, created_by, code_expires_at,"
  " COALESCE (enrolled_at, 0), COALESCE (revoked_at, 0), public_key";

static SesameSyncDesk *
desk_from_row (sqlite3_stmt *stmt)
{
  SesameSyncDesk *desk = g_new0 (SesameSyncDesk, 1);
  const char *establishments = (const char *) sqlite3_column_text (stmt, 2);

  desk->id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  desk->name = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  desk->establishments = establishments != NULL && *establishments != '\0'
    ? g_strsplit (establishments, " ", -1) : g_new0 (char *, 1);
  desk->created_at = sqlite3_column_int64 (stmt, 3);
  desk->created_by = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
  desk->code_expires_at = sqlite3_column_int64 (stmt, 5);
  desk->enrolled_at = sqlite3_column_int64 (stmt, 6);
  desk->revoked_at = sqlite3_column_int64 (stmt, 7);
  desk->public_key = g_strdup ((const char *) sqlite3_column_text (stmt, 8));
  return desk;
}

static gboolean
valid_desk_name (const char *name)
{
  gsize length;

  if (name == NULL || !g_utf8_validate (name, -1, NULL))
    return FALSE;
  length = g_utf8_strlen (name, -1);
  if (length == 0 || length > 64)
    return FALSE;
  for (const char *p = name; *p != '\0'; p = g_utf8_next_char (p))
    if (g_unichar_iscntrl (g_utf8_get_char (p)))
      return FALSE;
  return TRUE;
}

/**
 * sesame_sync_desks_add:
 * @store: the server's #SesameStore
 * @name: a name for the desk, unique among the desks not revoked
 * @establishments: (nullable) (array zero-terminated=1): the UAIs it serves,
 *   or %NULL or empty for every establishment of the store
 * @code: (out) (transfer full): the one-time enrolment code, to hand over once
 * @error: return location for a #GError
 *
 * Adds a desk that may join the server once with @code, within
 * %SESAME_SYNC_DESK_CODE_SECONDS. Only an administrator of the whole store
 * may; the audit trail records it, never the code.
 *
 * Returns: (transfer full): the new desk, or %NULL with @error set
 */
SesameSyncDesk *
sesame_sync_desks_add (SesameStore         *store,
                       const char          *name,
                       const char * const  *establishments,
                       char               **code,
                       GError             **error)
{
  g_autofree char *id = _sesame_new_id ();
  g_autofree char *new_code = generate_code ();
  g_autofree char *normalized = normalize_code (new_code);
  g_autofree char *hash = hash_code (normalized);
  g_autofree char *uais = NULL;
  gint64 now;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (SESAME_IS_STORE (store), NULL);
  g_return_val_if_fail (code != NULL, NULL);

  if (!sesame_store_operator_check_permission (store, SESAME_PERMISSION_MANAGE_STORE, NULL, error))
    return NULL;
  if (!valid_desk_name (name))
    {
      g_set_error (error, SESAME_ERROR, SESAME_ERROR_INVALID,
                   _("“%s” is not a desk name: give 1 to 64 characters, without line breaks."),
                   name != NULL ? name : "");
      return NULL;
    }
  for (guint i = 0; establishments != NULL && establishments[i] != NULL; i++)
    {
      gboolean known;

      stmt = _sesame_store_prepare (store,
                                    "SELECT EXISTS (SELECT 1 FROM establishments WHERE uai = ? AND deleted_at IS NULL)",
                                    error);
      if (stmt == NULL)
        return NULL;
      sqlite3_bind_text (stmt, 1, establishments[i], -1, SQLITE_TRANSIENT);
      known = sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_int (stmt, 0) != 0;
      sqlite3_reset (stmt);
      if (!known)
        {
          g_set_error (error, SESAME_ERROR, SESAME_ERROR_NOT_FOUND,
                       _("No establishment has the UAI %s in this store: import its directory first, or check the UAI."),
                       establishments[i]);
          return NULL;
        }
    }
  uais = establishments != NULL ? g_strjoinv (" ", (char **) establishments) : g_strdup ("");

  if (!_sesame_store_begin (store, error))
    return NULL;
  now = sesame_store_now (store);

  stmt = _sesame_store_prepare (store,
                                "SELECT EXISTS (SELECT 1 FROM sync_desks WHERE name = ? AND revoked_at IS NULL)",
                                error);
  if (stmt == NULL)
    goto failed;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_int (stmt, 0) != 0)
    {
      sqlite3_reset (stmt);
      g_set_error (error, SESAME_ERROR, SESAME_ERROR_REFUSED,
                   _("A desk named “%s” already exists: choose another name, or revoke that desk first."),
                   name);
      goto failed;
    }
  sqlite3_reset (stmt);

  stmt = _sesame_store_prepare (store,
                                "INSERT INTO sync_desks (id, name, establishments, code_hash, code_expires_at,"
                                " created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?)",
                                error);
  if (stmt == NULL)
    goto failed;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, uais, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, hash, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 5, now + SESAME_SYNC_DESK_CODE_SECONDS);
  sqlite3_bind_int64 (stmt, 6, now);
  sqlite3_bind_text (stmt, 7, _sesame_store_operator_name (store), -1, SQLITE_TRANSIENT);
  if (!_sesame_store_step_done (store, stmt, error))
    goto failed;
  if (!_sesame_store_audit (store, "desk-add", name, uais, error))
    goto failed;
  if (!_sesame_store_commit (store, error))
    return NULL;

  sodium_memzero (normalized, strlen (normalized));
  *code = g_steal_pointer (&new_code);
  return sesame_sync_desks_lookup (store, id, error);

failed:
  _sesame_store_rollback (store);
  return NULL;
}

/**
 * sesame_sync_desks_list:
 * @store: the server's #SesameStore
 * @error: return location for a #GError
 *
 * Lists the desks, revoked ones included, oldest first. Administrators of
 * the whole store only.
 *
 * Returns: (transfer container) (element-type SesameSyncDesk): the desks,
 *   or %NULL with @error set
 */
GPtrArray *
sesame_sync_desks_list (SesameStore  *store,
                        GError      **error)
{
  g_autoptr(GPtrArray) desks = g_ptr_array_new_with_free_func ((GDestroyNotify) sesame_sync_desk_free);
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (SESAME_IS_STORE (store), NULL);

  if (!sesame_store_operator_check_permission (store, SESAME_PERMISSION_MANAGE_STORE, NULL, error))
    return NULL;
  sql = g_strdup_printf ("SELECT %s FROM sync_desks ORDER BY created_at, id", desk_columns);
  stmt = _sesame_store_prepare (store, sql, error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (desks, desk_from_row (stmt));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _sesame_store_set_error (store, error);
      return NULL;
    }
  return g_steal_pointer (&desks);
}

/**
 * sesame_sync_desks_lookup:
 * @store: the server's #SesameStore
 * @id: a desk's key
 * @error: return location for a #GError
 *
 * Finds one of the desks registered with the server by its key, revoked
 * ones included.
 *
 * Returns: (transfer full): the desk, or %NULL with a %SESAME_ERROR_NOT_FOUND
 *   error
 */
SesameSyncDesk *
sesame_sync_desks_lookup (SesameStore  *store,
                          const char   *id,
                          GError      **error)
{
  g_autofree char *sql = NULL;
  SesameSyncDesk *desk = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (SESAME_IS_STORE (store), NULL);

  sql = g_strdup_printf ("SELECT %s FROM sync_desks WHERE id = ?", desk_columns);
  stmt = _sesame_store_prepare (store, sql, error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, id != NULL ? id : "", -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    desk = desk_from_row (stmt);
  sqlite3_reset (stmt);
  if (desk == NULL)
    g_set_error (error, SESAME_ERROR, SESAME_ERROR_NOT_FOUND,
                 _("This server knows no such desk."));
  return desk;
}

/**
 * sesame_sync_desks_revoke:
 * @store: the server's #SesameStore
 * @name: the desk's name
 * @error: return location for a #GError
 *
 * Revokes a desk: from now on every request it signs is refused, and its
 * code, if not used yet, no longer enrols. Administrators of the whole
 * store only; the audit trail records it.
 *
 * Returns: %TRUE if revoked, or %FALSE with @error set
 */
gboolean
sesame_sync_desks_revoke (SesameStore  *store,
                          const char   *name,
                          GError      **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (SESAME_IS_STORE (store), FALSE);

  if (!sesame_store_operator_check_permission (store, SESAME_PERMISSION_MANAGE_STORE, NULL, error))
    return FALSE;
  if (!_sesame_store_begin (store, error))
    return FALSE;
  stmt = _sesame_store_prepare (store,
                                "UPDATE sync_desks SET revoked_at = ?2, revoked_by = ?3"
                                " WHERE name = ?1 AND revoked_at IS NULL",
                                error);
  if (stmt == NULL)
    goto failed;
  sqlite3_bind_text (stmt, 1, name != NULL ? name : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, sesame_store_now (store));
  sqlite3_bind_text (stmt, 3, _sesame_store_operator_name (store), -1, SQLITE_TRANSIENT);
  if (!_sesame_store_step_done (store, stmt, error))
    goto failed;
  if (sqlite3_changes (_sesame_store_get_db (store)) == 0)
    {
      g_set_error (error, SESAME_ERROR, SESAME_ERROR_NOT_FOUND,
                   _("No desk named “%s” is enrolled or waiting: “sesamectl desks list” shows them."),
                   name != NULL ? name : "");
      goto failed;
    }
  if (!_sesame_store_audit (store, "desk-revoke", name, NULL, error))
    goto failed;
  return _sesame_store_commit (store, error);

failed:
  _sesame_store_rollback (store);
  return FALSE;
}

static gboolean
parse_public_key (const char *hex,
                  guint8      key[crypto_sign_PUBLICKEYBYTES])
{
  size_t length = 0;

  return hex != NULL && strlen (hex) == crypto_sign_PUBLICKEYBYTES * 2 &&
         sodium_hex2bin (key, crypto_sign_PUBLICKEYBYTES, hex, strlen (hex), NULL, &length, NULL) == 0 &&
         length == crypto_sign_PUBLICKEYBYTES;
}

/**
 * sesame_sync_desks_enrol:
 * @store: the server's #SesameStore
 * @code: the one-time code the administrator handed over
 * @public_key: the desk's Ed25519 public key, in hexadecimal
 * @error: return location for a #GError
 *
 * Enrols the desk whose code this is: the code must not be used, expired
 * or revoked, and works once. The desk's public key is kept from now on.
 *
 * Returns: (transfer full): the desk, or %NULL with a
 *   %SESAME_ERROR_PERMISSION_DENIED error that does not tell a wrong code
 *   from a used one, or %SESAME_ERROR_INVALID for a malformed key
 */
SesameSyncDesk *
sesame_sync_desks_enrol (SesameStore  *store,
                         const char   *code,
                         const char   *public_key,
                         GError      **error)
{
  guint8 key[crypto_sign_PUBLICKEYBYTES];
  g_autofree char *normalized = normalize_code (code);
  g_autofree char *hash = hash_code (normalized);
  g_autofree char *id = NULL;
  g_autofree char *name = NULL;
  gint64 now;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (SESAME_IS_STORE (store), NULL);

  if (!parse_public_key (public_key, key))
    {
      g_set_error_literal (error, SESAME_ERROR, SESAME_ERROR_INVALID,
                           _("The desk's public key is not 64 hexadecimal digits."));
      return NULL;
    }

  if (!_sesame_store_begin (store, error))
    return NULL;
  now = sesame_store_now (store);
  stmt = _sesame_store_prepare (store,
                                "SELECT id, name FROM sync_desks WHERE code_hash = ?1 AND enrolled_at IS NULL"
                                " AND revoked_at IS NULL AND code_expires_at > ?2",
                                error);
  if (stmt == NULL)
    goto failed;
  sqlite3_bind_text (stmt, 1, hash, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, now);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      name = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
    }
  sqlite3_reset (stmt);
  if (id == NULL)
    {
      g_set_error_literal (error, SESAME_ERROR, SESAME_ERROR_PERMISSION_DENIED,
                           _("This enrolment code is wrong, used, expired or revoked: ask the server's administrator for a new one (“sesamectl desks add”)."));
      goto failed;
    }

  stmt = _sesame_store_prepare (store,
                                "UPDATE sync_desks SET public_key = ?2, enrolled_at = ?3 WHERE id = ?1",
                                error);
  if (stmt == NULL)
    goto failed;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, public_key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, now);
  if (!_sesame_store_step_done (store, stmt, error))
    goto failed;
  if (!_sesame_store_audit (store, "desk-enrol", name, NULL, error))
    goto failed;
  if (!_sesame_store_commit (store, error))
    return NULL;
  return sesame_sync_desks_lookup (store, id, error);

failed:
  _sesame_store_rollback (store);
  return NULL;
}

/**
 * sesame_sync_desks_request_message:
 * @method: the HTTP method
 * @path: the path and query of the request
 * @desk_id: the desk's key
 * @time: the request's time, seconds since the Unix epoch
 * @nonce: a random string never used before by this desk
 * @body: (array length=body_length) (nullable): the request's body
 * @body_length: its length
 *
 * The text a desk signs for a request, and the server checks: everything
 * that must not change on the way, the body by its BLAKE2b hash.
 *
 * Returns: (transfer full): the text to sign
 */
char *
sesame_sync_desks_request_message (const char    *method,
                                   const char    *path,
                                   const char    *desk_id,
                                   gint64         time,
                                   const char    *nonce,
                                   gconstpointer  body,
                                   gsize          body_length)
{
  guint8 hash[crypto_generichash_BYTES];
  char hex[crypto_generichash_BYTES * 2 + 1];

  crypto_generichash (hash, sizeof hash, body != NULL ? body : (gconstpointer) "", body_length, NULL, 0);
  sodium_bin2hex (hex, sizeof hex, hash, sizeof hash);
  return g_strdup_printf ("sesame-request-1\n%s\n%s\n%s\n%" G_GINT64_FORMAT "\n%s\n%s",
                          method, path, desk_id, time, nonce, hex);
}

static gboolean
refuse_request (GError     **error,
                const char  *message)
{
  g_set_error_literal (error, SESAME_ERROR, SESAME_ERROR_PERMISSION_DENIED, message);
  return FALSE;
}

/**
 * sesame_sync_desks_verify_request:
 * @store: the server's #SesameStore
 * @method: the HTTP method
 * @path: the path and query of the request
 * @desk_id: (nullable): the Sesame-Desk header
 * @time: (nullable): the Sesame-Time header
 * @nonce: (nullable): the Sesame-Nonce header
 * @signature: (nullable): the Sesame-Signature header (base64)
 * @body: (array length=body_length) (nullable): the request's body
 * @body_length: its length
 * @error: return location for a #GError
 *
 * Checks a desk's signed request: the desk is enrolled and not revoked,
 * the time is within %SESAME_SYNC_REQUEST_WINDOW_SECONDS of the server's,
 * the signature covers method, path, time, nonce and body, and the nonce
 * was never seen from this desk. The nonce is then kept, so that the same
 * request played again is refused.
 *
 * Returns: (transfer full): the desk, or %NULL with a
 *   %SESAME_ERROR_PERMISSION_DENIED error saying why
 */
SesameSyncDesk *
sesame_sync_desks_verify_request (SesameStore   *store,
                                  const char    *method,
                                  const char    *path,
                                  const char    *desk_id,
                                  const char    *time,
                                  const char    *nonce,
                                  const char    *signature,
                                  gconstpointer  body,
                                  gsize          body_length,
                                  GError       **error)
{
  g_autoptr(SesameSyncDesk) desk = NULL;
  g_autofree guint8 *raw_signature = NULL;
  g_autofree char *message = NULL;
  guint8 key[crypto_sign_PUBLICKEYBYTES];
  gsize signature_length = 0;
  gint64 request_time = 0;
  gint64 now;
  char *end = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (SESAME_IS_STORE (store), NULL);

  if (desk_id == NULL || time == NULL || nonce == NULL || signature == NULL)
    {
      refuse_request (error, _("The request is not signed by a desk."));
      return NULL;
    }
  desk = sesame_sync_desks_lookup (store, desk_id, NULL);
  if (desk == NULL || desk->public_key == NULL || !parse_public_key (desk->public_key, key))
    {
      refuse_request (error, _("This desk is not enrolled on the server."));
      return NULL;
    }
  if (desk->revoked_at != 0)
    {
      refuse_request (error, _("This desk was revoked by the server's administrator: it must be enrolled again."));
      return NULL;
    }

  request_time = g_ascii_strtoll (time, &end, 10);
  now = sesame_store_now (store);
  if (end == time || *end != '\0' ||
      request_time < now - SESAME_SYNC_REQUEST_WINDOW_SECONDS ||
      request_time > now + SESAME_SYNC_REQUEST_WINDOW_SECONDS)
    {
      refuse_request (error, _("The desk's clock and the server's differ by more than five minutes: set the desk's clock right."));
      return NULL;
    }
  if (strlen (nonce) < 16 || strlen (nonce) > 64)
    {
      refuse_request (error, _("The request's nonce is malformed."));
      return NULL;
    }

  raw_signature = g_base64_decode (signature, &signature_length);
  message = sesame_sync_desks_request_message (method, path, desk_id, request_time, nonce, body, body_length);
  if (signature_length != crypto_sign_BYTES ||
      crypto_sign_verify_detached (raw_signature, (const guint8 *) message, strlen (message), key) != 0)
    {
      refuse_request (error, _("The request's signature is wrong."));
      return NULL;
    }

  /* The nonce is kept for as long as its request could be accepted. */
  if (!_sesame_store_begin (store, error))
    return NULL;
  stmt = _sesame_store_prepare (store, "DELETE FROM sync_nonces WHERE at < ?", error);
  if (stmt == NULL)
    goto failed;
  sqlite3_bind_int64 (stmt, 1, now - 2 * SESAME_SYNC_REQUEST_WINDOW_SECONDS);
  if (!_sesame_store_step_done (store, stmt, error))
    goto failed;
  stmt = _sesame_store_prepare (store, "INSERT OR IGNORE INTO sync_nonces (desk_id, nonce, at) VALUES (?, ?, ?)", error);
  if (stmt == NULL)
    goto failed;
  sqlite3_bind_text (stmt, 1, desk_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, nonce, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, MAX (now, request_time));
  if (!_sesame_store_step_done (store, stmt, error))
    goto failed;
  if (sqlite3_changes (_sesame_store_get_db (store)) == 0)
    {
      refuse_request (error, _("This request was already received once: a request is never played twice."));
      goto failed;
    }
  if (!_sesame_store_commit (store, error))
    return NULL;
  return g_steal_pointer (&desk);

failed:
  _sesame_store_rollback (store);
  return NULL;
}

/* The server's key for tickets, made on first use. It is a secret of the
 * server's store: snapshots for desks leave it out. */
static gboolean
get_ticket_key (SesameStore  *store,
                guint8        key[crypto_auth_KEYBYTES],
                GError      **error)
{
  g_autofree char *hex = NULL;
  sqlite3_stmt *stmt;
  size_t length = 0;

  stmt = _sesame_store_prepare (store, "SELECT value FROM meta WHERE key = '" TICKET_KEY_META "'", error);
  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    hex = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);

  if (hex == NULL)
    {
      char new_hex[crypto_auth_KEYBYTES * 2 + 1];

      crypto_auth_keygen (key);
      sodium_bin2hex (new_hex, sizeof new_hex, key, crypto_auth_KEYBYTES);
      if (!_sesame_store_begin (store, error))
        return FALSE;
      stmt = _sesame_store_prepare (store, "INSERT OR IGNORE INTO meta (key, value) VALUES ('" TICKET_KEY_META "', ?)", error);
      if (stmt == NULL)
        {
          _sesame_store_rollback (store);
          return FALSE;
        }
      sqlite3_bind_text (stmt, 1, new_hex, -1, SQLITE_TRANSIENT);
      if (!_sesame_store_step_done (store, stmt, error) || !_sesame_store_commit (store, error))
        {
          _sesame_store_rollback (store);
          return FALSE;
        }
      sodium_memzero (new_hex, sizeof new_hex);
      return get_ticket_key (store, key, error);
    }

  if (sodium_hex2bin (key, crypto_auth_KEYBYTES, hex, strlen (hex), NULL, &length, NULL) != 0 ||
      length != crypto_auth_KEYBYTES)
    {
      g_set_error_literal (error, SESAME_ERROR, SESAME_ERROR_FAILED,
                           _("The server's ticket key in the store is damaged."));
      return FALSE;
    }
  sodium_memzero (hex, strlen (hex));
  return TRUE;
}

/**
 * sesame_sync_desks_issue_ticket:
 * @store: the server's #SesameStore
 * @desk_id: the desk the operator signed in on
 * @login: the operator's login, who just signed in online
 * @expires_at: (out) (optional): when the ticket stops working
 * @error: return location for a #GError
 *
 * Signs a ticket saying that @login signed in on this desk: the desk shows
 * it with the changes made under that name, valid
 * %SESAME_SYNC_TICKET_SECONDS so that an operator who signs in offline can
 * still push what they did. The server re-checks their rights on every
 * change whatever the ticket.
 *
 * Returns: (transfer full): the ticket, or %NULL with @error set
 */
char *
sesame_sync_desks_issue_ticket (SesameStore  *store,
                                const char   *desk_id,
                                const char   *login,
                                gint64       *expires_at,
                                GError      **error)
{
  guint8 key[crypto_auth_KEYBYTES];
  guint8 mac[crypto_auth_BYTES];
  char mac_hex[crypto_auth_BYTES * 2 + 1];
  g_autofree char *payload = NULL;
  g_autofree char *encoded = NULL;
  gint64 expiry;

  g_return_val_if_fail (SESAME_IS_STORE (store), NULL);

  if (!get_ticket_key (store, key, error))
    return NULL;
  expiry = sesame_store_now (store) + SESAME_SYNC_TICKET_SECONDS;
  payload = g_strdup_printf ("1\n%s\n%s\n%" G_GINT64_FORMAT, desk_id, login, expiry);
  crypto_auth (mac, (const guint8 *) payload, strlen (payload), key);
  sodium_memzero (key, sizeof key);
  sodium_bin2hex (mac_hex, sizeof mac_hex, mac, sizeof mac);
  encoded = g_base64_encode ((const guint8 *) payload, strlen (payload));
  if (expires_at != NULL)
    *expires_at = expiry;
  return g_strdup_printf ("%s.%s", encoded, mac_hex);
}

/**
 * sesame_sync_desks_check_ticket:
 * @store: the server's #SesameStore
 * @desk_id: the desk that shows the ticket
 * @ticket: the ticket
 * @error: return location for a #GError
 *
 * Checks a ticket of sesame_sync_desks_issue_ticket(): signed by this
 * server, for this desk, not expired.
 *
 * Returns: (transfer full): the operator's login, or %NULL with a
 *   %SESAME_ERROR_PERMISSION_DENIED error
 */
char *
sesame_sync_desks_check_ticket (SesameStore  *store,
                                const char   *desk_id,
                                const char   *ticket,
                                GError      **error)
{
  guint8 key[crypto_auth_KEYBYTES];
  guint8 mac[crypto_auth_BYTES];
  g_autofree char *encoded = NULL;
  g_autofree guint8 *payload = NULL;
  g_autofree char *text = NULL;
  g_auto(GStrv) fields = NULL;
  const char *dot;
  gsize payload_length = 0;
  size_t mac_length = 0;
  gboolean good;

  g_return_val_if_fail (SESAME_IS_STORE (store), NULL);

  dot = ticket != NULL ? strchr (ticket, '.') : NULL;
  if (dot == NULL ||
      sodium_hex2bin (mac, sizeof mac, dot + 1, strlen (dot + 1), NULL, &mac_length, NULL) != 0 ||
      mac_length != sizeof mac)
    {
      refuse_request (error, _("The operator's ticket is malformed: sign in online again."));
      return NULL;
    }
  encoded = g_strndup (ticket, dot - ticket);
  payload = g_base64_decode (encoded, &payload_length);
  if (!get_ticket_key (store, key, error))
    return NULL;
  good = crypto_auth_verify (mac, payload, payload_length, key) == 0;
  sodium_memzero (key, sizeof key);
  if (!good)
    {
      refuse_request (error, _("The operator's ticket was not signed by this server: sign in online again."));
      return NULL;
    }
  text = g_strndup ((const char *) payload, payload_length);
  fields = g_strsplit (text, "\n", -1);
  if (g_strv_length (fields) != 4 || !g_str_equal (fields[0], "1") || !g_str_equal (fields[1], desk_id))
    {
      refuse_request (error, _("The operator's ticket belongs to another desk."));
      return NULL;
    }
  if (g_ascii_strtoll (fields[3], NULL, 10) <= sesame_store_now (store))
    {
      refuse_request (error, _("The operator's ticket has expired: sign in online again."));
      return NULL;
    }
  return g_strdup (fields[2]);
}

/* sesame-secrets.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The mail server's password lives in the desktop keyring, under a schema
 * of Sésame's own keyed by server and user, and nowhere else: never in the
 * store, a settings file, a log or the audit trail. So does the
 * establishment's key on a desk joined to a server, which unseals the
 * first passwords of its store: a copied or stolen desk file reveals none
 * without the keyring of the session that signed in.
 */
#include "config.h"

#define G_LOG_DOMAIN "sesame-secrets"

#include <glib/gi18n-lib.h>
#include <sodium.h>
#include <string.h>

#include "sesame-error.h"
#include "sesame-secrets.h"

/**
 * sesame_secrets_get_smtp_schema:
 *
 * The schema `fr.sesame.Sesame.Smtp`, with the string attributes `server`
 * (the mail server's host name) and `user` (the user name on it).
 *
 * Returns: (transfer none): the schema
 */
const SecretSchema *
sesame_secrets_get_smtp_schema (void)
{
  static const SecretSchema schema = {
    SESAME_SECRET_SCHEMA_SMTP, SECRET_SCHEMA_NONE,
    {
      { "server", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "user", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };
  return &schema;
}

/* The secrets this file keeps: each has its schema, whose two string
 * attributes name it, and its own words for a keyring that fails. */
typedef enum
{
  SECRET_SMTP_PASSWORD,
  SECRET_SEAL_KEY,
} SecretKind;

static const SecretSchema *
schema_of (SecretKind kind)
{
  return kind == SECRET_SEAL_KEY ? sesame_secrets_get_seal_key_schema () : sesame_secrets_get_smtp_schema ();
}

/* The keyring's own errors speak of D-Bus; the office needs to know what
 * it means for them. */
static void
translate_error (SecretKind   kind,
                 GError     **error)
{
  g_autoptr(GError) original = NULL;

  if (error == NULL || *error == NULL)
    return;
  if (g_error_matches (*error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  original = g_steal_pointer (error);
  switch (kind)
    {
    case SECRET_SEAL_KEY:
      g_set_error (error, SESAME_ERROR, SESAME_ERROR_FAILED,
                   _("The keyring of your session cannot be used, so this desk cannot keep or read the key that unseals first passwords (%s). Open Sésame from your desktop session, where the keyring is unlocked when you log in."),
                   original->message);
      break;
    case SECRET_SMTP_PASSWORD:
    default:
      g_set_error (error, SESAME_ERROR, SESAME_ERROR_FAILED,
                   _("The keyring of your session cannot be used, so the password of the mail server cannot be kept or read (%s). Open Sésame from your desktop session, where the keyring is unlocked when you log in."),
                   original->message);
      break;
    }
}

/* Keeps @secret under @kind's schema, its attributes set to @first and
 * @second, replacing the one kept before. */
static gboolean
store_secret (SecretKind     kind,
              const char    *first,
              const char    *second,
              const char    *label,
              const char    *secret,
              GCancellable  *cancellable,
              GError       **error)
{
  const SecretSchema *schema = schema_of (kind);
  gboolean ok;

  ok = secret_password_store_sync (schema, SECRET_COLLECTION_DEFAULT, label, secret, cancellable, error,
                                   schema->attributes[0].name, first,
                                   schema->attributes[1].name, second, NULL);
  if (!ok)
    translate_error (kind, error);
  return ok;
}

/* The secret kept under @kind's schema for @first and @second, copied so
 * that every caller frees it the same way, wiped; NULL without an error
 * when there is none. */
static char *
lookup_secret (SecretKind     kind,
               const char    *first,
               const char    *second,
               GCancellable  *cancellable,
               GError       **error)
{
  const SecretSchema *schema = schema_of (kind);
  g_autoptr(GError) local_error = NULL;
  char *secret;
  char *copy;

  secret = secret_password_lookup_sync (schema, cancellable, &local_error,
                                        schema->attributes[0].name, first,
                                        schema->attributes[1].name, second, NULL);
  if (local_error != NULL)
    {
      translate_error (kind, &local_error);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (secret == NULL)
    return NULL;

  copy = g_strdup (secret);
  secret_password_free (secret);
  return copy;
}

/* Removes what @kind's schema keeps for @first and @second; nothing kept
 * is not an error. */
static gboolean
clear_secret (SecretKind     kind,
              const char    *first,
              const char    *second,
              GCancellable  *cancellable,
              GError       **error)
{
  const SecretSchema *schema = schema_of (kind);
  g_autoptr(GError) local_error = NULL;

  secret_password_clear_sync (schema, cancellable, &local_error,
                              schema->attributes[0].name, first,
                              schema->attributes[1].name, second, NULL);
  if (local_error != NULL)
    {
      translate_error (kind, &local_error);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_arguments (const char  *server,
                 const char  *user,
                 GError     **error)
{
  if (server == NULL || server[0] == '\0')
    {
      g_set_error_literal (error, SESAME_ERROR, SESAME_ERROR_INVALID,
                           _("Choose the mail server before its password."));
      return FALSE;
    }
  if (user == NULL)
    {
      g_set_error_literal (error, SESAME_ERROR, SESAME_ERROR_INVALID,
                           _("Give the user name of the mail server before its password."));
      return FALSE;
    }
  return TRUE;
}

static char *
make_label (const char *server,
            const char *user)
{
  /* TRANSLATORS: shown in the keyring (Passwords and Keys); user@server */
  return g_strdup_printf (_("Sésame mail server password (%s@%s)"), user, server);
}

/**
 * sesame_secrets_store_smtp_password:
 * @server: the mail server's host name
 * @user: the user name on the server
 * @password: the password
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Keeps the password in the default keyring, replacing an older one for the
 * same server and user. It blocks on the session's Secret Service over
 * D-Bus: the window calls sesame_secrets_store_smtp_password_async().
 *
 * Fails with %SESAME_ERROR_INVALID when @server is empty or @user %NULL,
 * %SESAME_ERROR_FAILED when the keyring cannot be used (its message says
 * what to do), or %G_IO_ERROR_CANCELLED.
 *
 * Returns: %TRUE on success
 */
gboolean
sesame_secrets_store_smtp_password (const char    *server,
                                    const char    *user,
                                    const char    *password,
                                    GCancellable  *cancellable,
                                    GError       **error)
{
  g_autofree char *label = NULL;

  g_return_val_if_fail (password != NULL, FALSE);

  if (!check_arguments (server, user, error))
    return FALSE;

  label = make_label (server, user);
  return store_secret (SECRET_SMTP_PASSWORD, server, user, label, password, cancellable, error);
}

static void
on_stored (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!secret_password_store_finish (result, &error))
    {
      translate_error (SECRET_SMTP_PASSWORD, &error);
      g_task_return_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

/**
 * sesame_secrets_store_smtp_password_async:
 * @server: the mail server's host name
 * @user: the user name on the server
 * @password: the password
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called in the thread-default main context when
 *   the password is kept or has failed to be
 * @user_data: (closure): data for @callback
 *
 * Keeps the password in the default keyring without blocking, as
 * sesame_secrets_store_smtp_password() does; get the outcome with
 * sesame_secrets_store_smtp_password_finish() in @callback.
 */
void
sesame_secrets_store_smtp_password_async (const char          *server,
                                          const char          *user,
                                          const char          *password,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *label = NULL;
  GError *error = NULL;

  g_return_if_fail (password != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, sesame_secrets_store_smtp_password_async);

  if (!check_arguments (server, user, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  label = make_label (server, user);
  secret_password_store (sesame_secrets_get_smtp_schema (), SECRET_COLLECTION_DEFAULT,
                         label, password, cancellable, on_stored, g_steal_pointer (&task),
                         "server", server, "user", user, NULL);
}

/**
 * sesame_secrets_store_smtp_password_finish:
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Finishes sesame_secrets_store_smtp_password_async(), with the errors of
 * sesame_secrets_store_smtp_password().
 *
 * Returns: %TRUE when the password is kept
 */
gboolean
sesame_secrets_store_smtp_password_finish (GAsyncResult  *result,
                                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * sesame_secrets_lookup_smtp_password:
 * @server: the mail server's host name
 * @user: the user name on the server
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Reads the password kept for this server and user. It blocks on the
 * session's Secret Service over D-Bus (the keyring may ask the person to
 * unlock it): the window calls sesame_secrets_lookup_smtp_password_async().
 * The errors are those of sesame_secrets_store_smtp_password().
 *
 * Returns: (transfer full) (nullable): the password, to free with
 *   sesame_secrets_free_password(); %NULL without @error when none is kept
 */
char *
sesame_secrets_lookup_smtp_password (const char    *server,
                                     const char    *user,
                                     GCancellable  *cancellable,
                                     GError       **error)
{
  if (!check_arguments (server, user, error))
    return NULL;
  return lookup_secret (SECRET_SMTP_PASSWORD, server, user, cancellable, error);
}

static void
on_looked_up (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  char *secret;

  secret = secret_password_lookup_finish (result, &error);
  if (error != NULL)
    {
      translate_error (SECRET_SMTP_PASSWORD, &error);
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, secret ? g_strdup (secret) : NULL,
                         (GDestroyNotify) sesame_secrets_free_password);
  if (secret != NULL)
    secret_password_free (secret);
}

/**
 * sesame_secrets_lookup_smtp_password_async:
 * @server: the mail server's host name
 * @user: the user name on the server
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called in the thread-default main context with
 *   the outcome
 * @user_data: (closure): data for @callback
 *
 * Reads the password kept for this server and user without blocking, as
 * sesame_secrets_lookup_smtp_password() does; get it with
 * sesame_secrets_lookup_smtp_password_finish() in @callback.
 */
void
sesame_secrets_lookup_smtp_password_async (const char          *server,
                                           const char          *user,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, sesame_secrets_lookup_smtp_password_async);

  if (!check_arguments (server, user, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  secret_password_lookup (sesame_secrets_get_smtp_schema (), cancellable,
                          on_looked_up, g_steal_pointer (&task),
                          "server", server, "user", user, NULL);
}

/**
 * sesame_secrets_lookup_smtp_password_finish:
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Finishes sesame_secrets_lookup_smtp_password_async(), with the errors of
 * sesame_secrets_lookup_smtp_password().
 *
 * Returns: (transfer full) (nullable): the password, to free with
 *   sesame_secrets_free_password(); %NULL without @error when none is kept
 */
char *
sesame_secrets_lookup_smtp_password_finish (GAsyncResult  *result,
                                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * sesame_secrets_clear_smtp_password:
 * @server: the mail server's host name
 * @user: the user name on the server
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Forgets the password of this server and user, if one is kept. It blocks
 * on the session's Secret Service over D-Bus; the errors are those of
 * sesame_secrets_store_smtp_password().
 *
 * Returns: %TRUE unless the keyring failed
 */
gboolean
sesame_secrets_clear_smtp_password (const char    *server,
                                    const char    *user,
                                    GCancellable  *cancellable,
                                    GError       **error)
{
  if (!check_arguments (server, user, error))
    return FALSE;
  return clear_secret (SECRET_SMTP_PASSWORD, server, user, cancellable, error);
}

static void
on_cleared (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  secret_password_clear_finish (result, &error);
  if (error != NULL)
    {
      translate_error (SECRET_SMTP_PASSWORD, &error);
      g_task_return_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

/**
 * sesame_secrets_clear_smtp_password_async:
 * @server: the mail server's host name
 * @user: the user name on the server
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called in the thread-default main context with
 *   the outcome
 * @user_data: (closure): data for @callback
 *
 * Forgets the password of this server and user without blocking, as
 * sesame_secrets_clear_smtp_password() does; get the outcome with
 * sesame_secrets_clear_smtp_password_finish() in @callback.
 */
void
sesame_secrets_clear_smtp_password_async (const char          *server,
                                          const char          *user,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, sesame_secrets_clear_smtp_password_async);

  if (!check_arguments (server, user, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  secret_password_clear (sesame_secrets_get_smtp_schema (), cancellable,
                         on_cleared, g_steal_pointer (&task),
                         "server", server, "user", user, NULL);
}

/**
 * sesame_secrets_clear_smtp_password_finish:
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Finishes sesame_secrets_clear_smtp_password_async(), with the errors of
 * sesame_secrets_clear_smtp_password().
 *
 * Returns: %TRUE unless the keyring failed; forgetting a password that was
 *   not kept succeeds
 */
gboolean
sesame_secrets_clear_smtp_password_finish (GAsyncResult  *result,
                                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * sesame_secrets_get_seal_key_schema:
 *
 * The schema `fr.sesame.Sesame.SealKey`, with the string attributes
 * `store` (the store's id, sesame_store_get_id()) and `desk` (the desk's
 * id on its server).
 *
 * Returns: (transfer none): the schema
 */
const SecretSchema *
sesame_secrets_get_seal_key_schema (void)
{
  static const SecretSchema schema = {
    SESAME_SECRET_SCHEMA_SEAL_KEY, SECRET_SCHEMA_NONE,
    {
      { "store", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "desk", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };
  return &schema;
}

static gboolean
check_seal_key_arguments (const char  *store_id,
                          const char  *desk_id,
                          GError     **error)
{
  if (store_id == NULL || *store_id == '\0' || desk_id == NULL || *desk_id == '\0')
    {
      g_set_error_literal (error, SESAME_ERROR, SESAME_ERROR_INVALID,
                           _("Only a desk joined to a server keeps the establishment's key."));
      return FALSE;
    }
  return TRUE;
}

/**
 * sesame_secrets_store_seal_key:
 * @store_id: the id of the desk's store
 * @desk_id: the desk's id on its server
 * @key: the key, as text (it is never shown)
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Keeps the establishment's key of a desk in the default keyring,
 * replacing the one kept before. It blocks on the session's Secret
 * Service over D-Bus.
 *
 * Returns: %TRUE on success
 */
gboolean
sesame_secrets_store_seal_key (const char    *store_id,
                               const char    *desk_id,
                               const char    *key,
                               GCancellable  *cancellable,
                               GError       **error)
{
  g_autofree char *label = NULL;

  g_return_val_if_fail (key != NULL, FALSE);

  if (!check_seal_key_arguments (store_id, desk_id, error))
    return FALSE;
  /* TRANSLATORS: shown in the keyring (Passwords and Keys) */
  label = g_strdup_printf (_("Sésame key of the first passwords (desk %s)"), desk_id);
  return store_secret (SECRET_SEAL_KEY, store_id, desk_id, label, key, cancellable, error);
}

/**
 * sesame_secrets_lookup_seal_key:
 * @store_id: the id of the desk's store
 * @desk_id: the desk's id on its server
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Reads the establishment's key a desk keeps in the keyring. A locked
 * keyring is not unlocked: the key is then missing.
 *
 * Returns: (transfer full) (nullable): the key, to be freed with
 *   sesame_secrets_free_password(), or %NULL without an error when the
 *   keyring holds none
 */
char *
sesame_secrets_lookup_seal_key (const char    *store_id,
                                const char    *desk_id,
                                GCancellable  *cancellable,
                                GError       **error)
{
  if (!check_seal_key_arguments (store_id, desk_id, error))
    return NULL;
  return lookup_secret (SECRET_SEAL_KEY, store_id, desk_id, cancellable, error);
}

/**
 * sesame_secrets_clear_seal_key:
 * @store_id: the id of the desk's store
 * @desk_id: the desk's id on its server
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Removes the establishment's key of a desk from the keyring; removing
 * one that is not there is not an error.
 *
 * Returns: %TRUE on success
 */
gboolean
sesame_secrets_clear_seal_key (const char    *store_id,
                               const char    *desk_id,
                               GCancellable  *cancellable,
                               GError       **error)
{
  if (!check_seal_key_arguments (store_id, desk_id, error))
    return FALSE;
  return clear_secret (SECRET_SEAL_KEY, store_id, desk_id, cancellable, error);
}

/**
 * sesame_secrets_free_password:
 * @password: (nullable) (transfer full): a password from this module
 *
 * Wipes the password from memory, then frees it.
 */
void
sesame_secrets_free_password (char *password)
{
  if (password == NULL)
    return;
  sodium_memzero (password, strlen (password));
  g_free (password);
}

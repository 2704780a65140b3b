/* sesame-store-settings.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The policy settings kept in the store and shared by every desk that
 * opens it: the password policy, the ENT's name and address, the letter's
 * text. Values are checked here, whatever interface sets them, so that
 * none can break passwords or letters; a write transaction reads each
 * setting once; and a change is announced to the pages showing it once
 * it is committed.
 */
#include "config.h"

#define G_LOG_DOMAIN "sesame-store"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "sesame-document-language.h"
#include "sesame-store-internal-private.h"

enum {
  SETTING_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/**
 * _sesame_store_settings_class_init:
 * @klass: the class of #SesameStore
 *
 * Installs the signal that announces changed settings.
 */
void
_sesame_store_settings_class_init (SesameStoreClass *klass)
{
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

/**
 * _sesame_store_settings_announce:
 * @self: a #SesameStore whose write transaction just committed
 *
 * Emits #SesameStore::setting-changed for each setting the transaction
 * changed. Pages listen in the main thread: a change committed elsewhere
 * (a worker thread, or outside the main loop) is announced there.
 */
void
_sesame_store_settings_announce (SesameStore *self)
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

/**
 * sesame_store_settings_dup:
 * @self: a #SesameStore
 * @key: a setting's name, e.g. %SESAME_SETTING_ENT_URL
 * @default_value: (nullable): returned when the setting was never set
 *
 * Reads a setting of the store, seeing the changes not yet committed when
 * called inside a transaction.
 *
 * Returns: (transfer full) (nullable): the setting's value
 */
char *
sesame_store_settings_dup (SesameStore *self,
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

/**
 * sesame_store_settings_get_int:
 * @self: a #SesameStore
 * @key: a setting's name, e.g. %SESAME_SETTING_PASSWORD_LENGTH
 * @default_value: returned when the setting was never set, or does not
 *   hold a whole number from 0 to %G_MAXINT
 *
 * Reads a numeric setting of the store, falling back on @default_value
 * when it is unset or not a valid number.
 *
 * Returns: the setting's value as a number
 */
int
sesame_store_settings_get_int (SesameStore *self,
                               const char  *key,
                               int          default_value)
{
  g_autofree char *value = sesame_store_settings_dup (self, key, NULL);
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
 * sesame_store_settings_set:
 * @self: a #SesameStore
 * @key: a setting's name
 * @value: its new value
 * @error: return location for a #GError
 *
 * Changes a policy setting shared by every desk, once it is checked: an
 * administrator of every establishment only (%SESAME_PERMISSION_MANAGE_STORE).
 * The change enters the audit trail, and #SesameStore::setting-changed
 * announces it once it is committed.
 *
 * Returns: %TRUE on success, or %FALSE with @error set: for example
 *   %SESAME_ERROR_PERMISSION_DENIED, or %SESAME_ERROR_INVALID for a value
 *   that would break passwords or letters
 */
gboolean
sesame_store_settings_set (SesameStore  *self,
                           const char   *key,
                           const char   *value,
                           GError      **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (SESAME_IS_STORE (self), FALSE);
  g_return_val_if_fail (key != NULL && value != NULL, FALSE);

  /* Settings are shared by every establishment of the store. */
  if (!sesame_store_operator_check_permission (self, SESAME_PERMISSION_MANAGE_STORE, NULL, error))
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


/* sesame-notices.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The operator's copy of a regenerated password. The vendor manual says
 * the operator who regenerates a password also receives the information
 * in their ENT mailbox; Sésame never mails a password, so the copy says
 * who, when and which account, and nothing that could sign in. An operator
 * who wishes it (a preference of their own) and has an address in the
 * directory gets a notice by email through the store's mail server.
 *
 * A notice is recorded with the regeneration and sent afterwards, never in
 * its way: each try is a row of its own (insert-only, like the rest of the
 * store), a temporary failure leaves the notice to be tried again, and
 * after SESAME_NOTICE_MAX_ATTEMPTS tries or a refusal it is reported as
 * failed.
 */
#include "config.h"

#define G_LOG_DOMAIN "sesame-notices"

#include <glib/gi18n-lib.h>

#include "sesame-error.h"
#include "sesame-mail-message.h"
#include "sesame-notices-private.h"
#include "sesame-smtp-client.h"
#include "sesame-store-private.h"

#define PREFERENCE_NOTICE "notice-by-email"

/* The state of each notice, from its tries. */
#define NOTICES_SQL \
  "SELECT n.id, n.operator, n.login, n.address, n.created_at," \
  " (SELECT count (*) FROM operator_notice_attempts t WHERE t.notice_id = n.id)," \
  " EXISTS (SELECT 1 FROM operator_notice_attempts t WHERE t.notice_id = n.id AND t.outcome = 'sent')," \
  " EXISTS (SELECT 1 FROM operator_notice_attempts t WHERE t.notice_id = n.id AND t.outcome = 'refused')," \
  " (SELECT t.reply FROM operator_notice_attempts t WHERE t.notice_id = n.id AND t.outcome <> 'sent'" \
  "  ORDER BY t.at DESC, t.rowid DESC LIMIT 1)" \
  " FROM operator_notices n WHERE n.operator = ?1 ORDER BY n.created_at, n.rowid"

/**
 * sesame_notice_free:
 * @notice: (nullable) (transfer full): a #SesameNotice
 *
 * Frees @notice and its strings. %NULL is ignored.
 */
void
sesame_notice_free (SesameNotice *notice)
{
  if (notice == NULL)
    return;
  g_free (notice->id);
  g_free (notice->operator);
  g_free (notice->login);
  g_free (notice->address);
  g_free (notice->last_error);
  g_free (notice);
}

/**
 * sesame_notices_get_wanted:
 * @self: a #SesameStore
 *
 * Reads the acting operator's choice in the preferences: %FALSE until they
 * make it. It reads the store, which is used by one thread at a time.
 *
 * Returns: whether the acting operator wishes a notice by email of each
 *   password they regenerate
 */
gboolean
sesame_notices_get_wanted (SesameStore *self)
{
  sqlite3_stmt *stmt;
  gboolean wanted = FALSE;

  g_return_val_if_fail (SESAME_IS_STORE (self), FALSE);

  stmt = _sesame_store_prepare (self,
                                "SELECT value FROM operator_preferences WHERE operator = ? AND key = '" PREFERENCE_NOTICE "'",
                                NULL);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, _sesame_store_operator_name (self), -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    wanted = g_strcmp0 (_sesame_column_text (stmt, 0), "true") == 0;
  sqlite3_reset (stmt);
  return wanted;
}

/**
 * sesame_notices_set_wanted:
 * @self: a #SesameStore
 * @wanted: whether to receive a notice by email
 * @error: return location for a #GError
 *
 * Sets the acting operator's own preference. Turning it on is refused
 * when the directory gives the operator no address.
 *
 * It fails with %SESAME_ERROR_REFUSED when turning notices on without an
 * address, or with the store's (%SESAME_ERROR_BUSY, %SESAME_ERROR_FAILED)
 * errors.
 *
 * Returns: %TRUE on success
 */
gboolean
sesame_notices_set_wanted (SesameStore  *self,
                           gboolean      wanted,
                           GError      **error)
{
  g_autofree char *address = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (SESAME_IS_STORE (self), FALSE);

  address = sesame_notices_dup_operator_address (self);
  if (wanted && address == NULL)
    {
      g_set_error (error, SESAME_ERROR, SESAME_ERROR_REFUSED,
                   _("The directory gives no email address for %s: the notice would have nowhere to go. "
                     "Ask for your address to be added to the academy directory."),
                   _sesame_store_operator_name (self));
      return FALSE;
    }

  stmt = _sesame_store_prepare (self,
                                "INSERT INTO operator_preferences (operator, key, value, set_at)"
                                " VALUES (?1, '" PREFERENCE_NOTICE "', ?2, ?3)"
                                " ON CONFLICT (operator, key) DO UPDATE SET value = ?2, set_at = ?3",
                                error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, _sesame_store_operator_name (self), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, wanted ? "true" : "false", -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, sesame_store_now (self));
  return _sesame_store_step_done (self, stmt, error);
}

/* The name and address the directory gives for an account's login. */
static gboolean
lookup_person (SesameStore  *self,
               const char   *login,
               char        **display_name,
               char        **address)
{
  sqlite3_stmt *stmt;
  gboolean found = FALSE;

  stmt = _sesame_store_prepare (self,
                                "SELECT p.first_name, p.last_name, p.email FROM accounts a"
                                " JOIN persons p ON p.key = a.person_key"
                                " WHERE a.login = ? AND a.deleted_at IS NULL AND p.deleted_at IS NULL",
                                NULL);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, login, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *first = _sesame_column_text (stmt, 0);
      const char *last = _sesame_column_text (stmt, 1);
      const char *email = _sesame_column_text (stmt, 2);

      found = TRUE;
      if (display_name != NULL)
        {
          g_autofree char *upper = g_utf8_strup (last, -1);
          *display_name = g_strstrip (g_strdup_printf ("%s %s", first, upper));
        }
      if (address != NULL)
        *address = sesame_mail_address_is_valid (email) ? g_strdup (email) : NULL;
    }
  sqlite3_reset (stmt);
  return found;
}

/**
 * sesame_notices_dup_operator_address:
 * @self: a #SesameStore
 *
 * Finds where the acting operator's notices go. It reads the store.
 *
 * Returns: (transfer full) (nullable): the acting operator's email address
 *   as the directory gives it, or %NULL when there is none (or the store's
 *   owner acts, who is no one in the directory)
 */
char *
sesame_notices_dup_operator_address (SesameStore *self)
{
  char *address = NULL;

  g_return_val_if_fail (SESAME_IS_STORE (self), NULL);

  if (!lookup_person (self, _sesame_store_operator_name (self), NULL, &address))
    return NULL;
  return address;
}

gboolean
_sesame_store_queue_notice (SesameStore  *self,
                            const char   *login,
                            GError      **error)
{
  g_autofree char *address = NULL;
  g_autofree char *id = NULL;
  sqlite3_stmt *stmt;

  if (!sesame_notices_get_wanted (self))
    return TRUE;
  address = sesame_notices_dup_operator_address (self);
  if (address == NULL)
    return TRUE;

  id = _sesame_new_id ();
  stmt = _sesame_store_prepare (self,
                                "INSERT INTO operator_notices (id, operator, login, address, created_at)"
                                " VALUES (?, ?, ?, ?, ?)",
                                error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, _sesame_store_operator_name (self), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, login, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, address, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 5, sesame_store_now (self));
  return _sesame_store_step_done (self, stmt, error);
}

/**
 * sesame_notices_list:
 * @self: a #SesameStore
 * @error: return location for a #GError
 *
 * The acting operator's notices, oldest first, with where each stands.
 *
 * It reads the store, which is used by one thread at a time, and fails
 * with the store's (%SESAME_ERROR_BUSY, %SESAME_ERROR_FAILED) errors only.
 *
 * Returns: (transfer full) (element-type SesameNotice): the notices, or
 *   %NULL with @error set
 */
GPtrArray *
sesame_notices_list (SesameStore  *self,
                     GError      **error)
{
  g_autoptr(GPtrArray) notices = g_ptr_array_new_with_free_func ((GDestroyNotify) sesame_notice_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (SESAME_IS_STORE (self), NULL);

  stmt = _sesame_store_prepare (self, NOTICES_SQL, error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, _sesame_store_operator_name (self), -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      SesameNotice *notice = g_new0 (SesameNotice, 1);

      notice->id = g_strdup (_sesame_column_text (stmt, 0));
      notice->operator = g_strdup (_sesame_column_text (stmt, 1));
      notice->login = g_strdup (_sesame_column_text (stmt, 2));
      notice->address = g_strdup (_sesame_column_text (stmt, 3));
      notice->created_at = sqlite3_column_int64 (stmt, 4);
      notice->attempts = sqlite3_column_int (stmt, 5);
      if (sqlite3_column_int (stmt, 6))
        notice->state = SESAME_NOTICE_SENT;
      else if (sqlite3_column_int (stmt, 7) || notice->attempts >= SESAME_NOTICE_MAX_ATTEMPTS)
        notice->state = SESAME_NOTICE_FAILED;
      else
        notice->state = SESAME_NOTICE_PENDING;
      if (sqlite3_column_type (stmt, 8) != SQLITE_NULL && notice->state != SESAME_NOTICE_SENT)
        notice->last_error = g_strdup (_sesame_column_text (stmt, 8));
      g_ptr_array_add (notices, notice);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _sesame_store_set_error (self, error);
      return NULL;
    }
  return g_steal_pointer (&notices);
}

/**
 * sesame_notices_count_pending:
 * @self: a #SesameStore
 *
 * Counts the notices that still wait to go, for the window to say so; a
 * failure to read the store counts as none.
 *
 * Returns: how many of the acting operator's notices wait to be sent
 */
guint
sesame_notices_count_pending (SesameStore *self)
{
  g_autoptr(GPtrArray) notices = NULL;
  guint pending = 0;

  g_return_val_if_fail (SESAME_IS_STORE (self), 0);

  notices = sesame_notices_list (self, NULL);
  for (guint i = 0; notices != NULL && i < notices->len; i++)
    if (((SesameNotice *) g_ptr_array_index (notices, i))->state == SESAME_NOTICE_PENDING)
      pending++;
  return pending;
}

static gboolean
record_attempt (SesameStore  *self,
                const char   *notice_id,
                const char   *outcome,
                const char   *reply,
                GError      **error)
{
  g_autofree char *id = _sesame_new_id ();
  sqlite3_stmt *stmt;

  stmt = _sesame_store_prepare (self,
                                "INSERT INTO operator_notice_attempts (id, notice_id, at, outcome, reply)"
                                " VALUES (?, ?, ?, ?, ?)",
                                error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, notice_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, sesame_store_now (self));
  sqlite3_bind_text (stmt, 4, outcome, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, reply ? reply : "", -1, SQLITE_TRANSIENT);
  return _sesame_store_step_done (self, stmt, error);
}

static GMimeMessage *
compose_notice (SesameStore         *self,
                SesameSmtpSettings  *settings,
                const SesameNotice  *notice,
                GError             **error)
{
  g_autofree char *operator_name = NULL;
  g_autofree char *person_name = NULL;
  g_autofree char *subject = NULL;
  g_autofree char *when = NULL;
  g_autoptr(GString) body = g_string_new (NULL);
  g_autoptr(GDateTime) at = g_date_time_new_from_unix_local (notice->created_at);

  lookup_person (self, notice->operator, &operator_name, NULL);
  if (!lookup_person (self, notice->login, &person_name, NULL))
    person_name = g_strdup (notice->login);
  /* TRANSLATORS: a date and time in the notice mailed to an operator */
  when = g_date_time_format (at, C_("notice date", "%Y-%m-%d at %H:%M"));

  /* TRANSLATORS: the subject of the notice mailed to the operator who
   * regenerated a password; %s is the account's login */
  subject = g_strdup_printf (_("Sésame: password regenerated for %s"), notice->login);
  /* TRANSLATORS: greeting of the operator's notice; %s is their name */
  g_string_append_printf (body, _("Hello %s,"), operator_name ? operator_name : notice->operator);
  g_string_append (body, "\n\n");
  /* TRANSLATORS: the operator's notice; a date, a person's name, a login */
  g_string_append_printf (body, _("On %s you regenerated the password of %s (login: %s) in Sésame."),
                          when, person_name, notice->login);
  g_string_append (body, "\n\n");
  g_string_append (body, _("The new password was shown to you once, on screen: for safety it is never sent by email. "
                           "Your history in Sésame (Journal, My History) says whether its slip was printed."));
  g_string_append (body, "\n\n");
  g_string_append (body, _("If you did not regenerate this password, tell your ENT administrator at once."));
  g_string_append_c (body, '\n');

  return sesame_mail_message_new (sesame_smtp_settings_get_from_name (settings),
                                  sesame_smtp_settings_get_from_address (settings),
                                  operator_name, notice->address, subject, body->str,
                                  SESAME_MAIL_FLAGS_NONE, NULL, error);
}

/**
 * sesame_notices_send:
 * @self: a #SesameStore
 * @settings: the store's mail settings
 * @password: (nullable): the mail server password, from the keyring
 * @cancellable: (nullable): a #GCancellable
 * @n_sent: (out) (optional): how many notices the server accepted
 * @error: return location for a #GError
 *
 * Sends the acting operator's notices still pending. Every try is
 * recorded. A notice refused by the server is reported as failed and the
 * others still go; when the server cannot be reached, the notices stay
 * pending for the next call and @error says why. This blocks on the
 * network: run it in a thread, after the regeneration.
 *
 * @error is in %SESAME_SMTP_ERROR when the server could not be reached or
 * refused the connection, %G_IO_ERROR_CANCELLED when @cancellable was
 * cancelled, or holds the store's (%SESAME_ERROR_BUSY,
 * %SESAME_ERROR_FAILED) errors.
 *
 * Returns: %TRUE if nothing is left pending
 */
gboolean
sesame_notices_send (SesameStore         *self,
                     SesameSmtpSettings  *settings,
                     const char          *password,
                     GCancellable        *cancellable,
                     guint               *n_sent,
                     GError             **error)
{
  g_autoptr(GPtrArray) notices = NULL;
  g_autoptr(SesameSmtpClient) client = NULL;
  guint sent = 0;
  gboolean ok = TRUE;

  g_return_val_if_fail (SESAME_IS_STORE (self), FALSE);
  g_return_val_if_fail (SESAME_IS_SMTP_SETTINGS (settings), FALSE);

  if (n_sent != NULL)
    *n_sent = 0;
  notices = sesame_notices_list (self, error);
  if (notices == NULL)
    return FALSE;

  for (guint i = 0; i < notices->len; i++)
    {
      SesameNotice *notice = g_ptr_array_index (notices, i);
      g_autoptr(GMimeMessage) message = NULL;
      g_autoptr(GError) local_error = NULL;

      if (notice->state != SESAME_NOTICE_PENDING)
        continue;

      message = compose_notice (self, settings, notice, &local_error);
      if (message == NULL)
        {
          if (!record_attempt (self, notice->id, "refused", local_error->message, error))
            return FALSE;
          continue;
        }
      if (client == NULL)
        client = sesame_smtp_client_new (settings, password);
      if (sesame_smtp_client_send_message (client, message, cancellable, &local_error))
        {
          if (!record_attempt (self, notice->id, "sent", sesame_smtp_client_get_last_reply (client), error))
            return FALSE;
          sent++;
          continue;
        }

      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          ok = FALSE;
          break;
        }
      if (!record_attempt (self, notice->id,
                           sesame_smtp_error_is_about_message (local_error) && !sesame_smtp_error_is_temporary (local_error)
                             ? "refused" : "temporary",
                           local_error->message, error))
        return FALSE;
      if (!sesame_smtp_error_is_about_message (local_error))
        {
          /* The server is out of reach: the others would fail the same. */
          g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                      _("The notice of your regenerated password could not be sent, it will be tried again: "));
          ok = FALSE;
          break;
        }
    }
  if (client != NULL)
    sesame_smtp_client_disconnect (client);
  if (n_sent != NULL)
    *n_sent = sent;
  return ok;
}

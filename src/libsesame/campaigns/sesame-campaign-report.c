/* sesame-campaign-report.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What a campaign leaves behind: the send report ("bilan d'envoi") and the
 * list of accounts without an address, which go to paper letters. Both are
 * CSV files a spreadsheet opens as they are (UTF-8 with a byte-order mark,
 * `;` separated, CRLF), where no cell can run a formula.
 */
#include "config.h"

#define G_LOG_DOMAIN "sesame-campaign"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "sesame-campaign-message-private.h"
#include "sesame-campaign-report-private.h"
#include "sesame-campaigns.h"
#include "sesame-csv.h"
#include "sesame-document-language-private.h"
#include "sesame-identifier-files.h"
#include "sesame-store-private.h"

static void
append_row (GString            *csv,
            const char * const *cells)
{
  for (guint i = 0; cells[i] != NULL; i++)
    {
      if (i > 0)
        g_string_append_c (csv, ';');
      sesame_csv_append_cell (csv, cells[i]);
    }
  g_string_append (csv, "\r\n");
}

static char *
format_time (gint64 unix_time)
{
  g_autoptr(GDateTime) dt = NULL;

  if (unix_time == 0)
    return g_strdup ("");
  dt = g_date_time_new_from_unix_local (unix_time);
  return dt ? g_date_time_format (dt, "%Y-%m-%d %H:%M:%S") : g_strdup ("");
}

/**
 * sesame_campaign_report_render:
 * @self: a #SesameStore
 * @id: the campaign's UUID
 * @error: return location for a #GError
 *
 * The send report: for each account targeted, its login, name, profile,
 * address, state, the server's reply and the time.
 *
 * Returns: (transfer full): the CSV, or %NULL with @error set
 */
GBytes *
sesame_campaign_report_render (SesameStore  *self,
                               const char   *id,
                               GError      **error)
{
  g_autoptr(GPtrArray) recipients = NULL;
  g_autoptr(GString) csv = g_string_new ("\xEF\xBB\xBF");
  const char *header[] = {
    C_("report column", "Login"), C_("report column", "Last name"), C_("report column", "First name"),
    C_("report column", "Profile"), C_("report column", "Email address"), C_("report column", "State"),
    C_("report column", "Server reply"), C_("report column", "Time"), NULL
  };

  g_return_val_if_fail (SESAME_IS_STORE (self), NULL);

  recipients = sesame_campaigns_list_recipients (self, id, error);
  if (recipients == NULL)
    return NULL;

  append_row (csv, header);
  for (guint i = 0; i < recipients->len; i++)
    {
      SesameCampaignRecipient *r = g_ptr_array_index (recipients, i);
      g_autofree char *at = format_time (r->sent_at ? r->sent_at : r->changed_at);
      const char *cells[] = {
        r->login, r->last_name, r->first_name, sesame_profile_to_label (r->profile), r->address,
        sesame_campaign_recipient_state_to_label (r->state), r->reply, at, NULL
      };

      append_row (csv, cells);
    }
  return g_string_free_to_bytes (g_steal_pointer (&csv));
}

/**
 * sesame_campaign_report_render_without_address:
 * @self: a #SesameStore
 * @id: the campaign's UUID
 * @error: return location for a #GError
 *
 * The accounts the campaign could not write to, with what a paper letter
 * needs: classes, establishment and postal address.
 *
 * Returns: (transfer full): the CSV, or %NULL with @error set
 */
GBytes *
sesame_campaign_report_render_without_address (SesameStore  *self,
                                               const char   *id,
                                               GError      **error)
{
  g_autoptr(GPtrArray) recipients = NULL;
  g_autoptr(GString) csv = g_string_new ("\xEF\xBB\xBF");
  const char *header[] = {
    C_("report column", "Login"), C_("report column", "Last name"), C_("report column", "First name"),
    C_("report column", "Profile"), C_("report column", "Classes"), C_("report column", "Establishment"),
    C_("report column", "Postal address"), C_("report column", "Postal code"), C_("report column", "City"),
    C_("report column", "Country"), C_("report column", "Reason"), NULL
  };
  sqlite3_stmt *stmt;

  g_return_val_if_fail (SESAME_IS_STORE (self), NULL);

  recipients = sesame_campaigns_list_recipients (self, id, error);
  if (recipients == NULL)
    return NULL;

  append_row (csv, header);
  for (guint i = 0; i < recipients->len; i++)
    {
      SesameCampaignRecipient *r = g_ptr_array_index (recipients, i);
      g_autofree char *address = NULL;
      g_autofree char *postal_code = NULL;
      g_autofree char *city = NULL;
      g_autofree char *country = NULL;

      if (r->state != SESAME_RECIPIENT_NO_ADDRESS)
        continue;

      stmt = _sesame_store_prepare (self,
                                    "SELECT address, postal_code, city, country FROM persons WHERE key = ?",
                                    error);
      if (stmt == NULL)
        return NULL;
      sqlite3_bind_text (stmt, 1, r->person_key, -1, SQLITE_TRANSIENT);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        {
          /* Address lines become one cell. */
          g_auto(GStrv) lines = g_strsplit (_sesame_column_text (stmt, 0), "\n", -1);

          address = g_strjoinv (", ", lines);
          postal_code = g_strdup (_sesame_column_text (stmt, 1));
          city = g_strdup (_sesame_column_text (stmt, 2));
          country = g_strdup (_sesame_column_text (stmt, 3));
        }
      sqlite3_reset (stmt);

      {
        const char *cells[] = {
          r->login, r->last_name, r->first_name, sesame_profile_to_label (r->profile), r->classes,
          r->establishment, address ? address : "", postal_code ? postal_code : "",
          city ? city : "", country ? country : "", r->reply, NULL
        };
        append_row (csv, cells);
      }
    }
  return g_string_free_to_bytes (g_steal_pointer (&csv));
}

static gboolean
write_private (const char  *path,
               GBytes      *bytes,
               GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);

  /* Names, logins and addresses: readable by the operator only. */
  if (!g_file_set_contents_full (path, data, len, G_FILE_SET_CONTENTS_CONSISTENT, 0600, &local_error))
    {
      g_set_error (error, SESAME_ERROR, SESAME_ERROR_FAILED,
                   _("Cannot write %s: %s"), path, local_error->message);
      return FALSE;
    }
  g_chmod (path, 0600);
  return TRUE;
}

/**
 * sesame_campaign_report_export:
 * @self: a #SesameStore
 * @id: the campaign's UUID
 * @path: where to write the CSV
 * @error: return location for a #GError
 *
 * Writes the send report, readable by its owner only.
 *
 * Returns: %TRUE on success
 */
gboolean
sesame_campaign_report_export (SesameStore  *self,
                               const char   *id,
                               const char   *path,
                               GError      **error)
{
  g_autoptr(GBytes) bytes = sesame_campaign_report_render (self, id, error);

  return bytes != NULL && write_private (path, bytes, error);
}

/**
 * sesame_campaign_report_export_without_address:
 * @self: a #SesameStore
 * @id: the campaign's UUID
 * @path: where to write the CSV
 * @error: return location for a #GError
 *
 * Writes the list of accounts without an address, readable by its owner
 * only.
 *
 * Returns: %TRUE on success
 */
gboolean
sesame_campaign_report_export_without_address (SesameStore  *self,
                                               const char   *id,
                                               const char   *path,
                                               GError      **error)
{
  g_autoptr(GBytes) bytes = sesame_campaign_report_render_without_address (self, id, error);

  return bytes != NULL && write_private (path, bytes, error);
}

/**
 * sesame_campaign_report_list_keys_without_address:
 * @self: a #SesameStore
 * @id: the campaign's UUID
 * @error: return location for a #GError
 *
 * Lists the recipients that could not be mailed for want of an address, so
 * that their login details can be printed on paper instead.
 *
 * Returns: (transfer full): the directory keys of the accounts without an
 *   address, for their paper letters, or %NULL with @error set
 */
char **
sesame_campaign_report_list_keys_without_address (SesameStore  *self,
                                                  const char   *id,
                                                  GError      **error)
{
  g_autoptr(GPtrArray) recipients = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  recipients = sesame_campaigns_list_recipients (self, id, error);
  if (recipients == NULL)
    return NULL;
  for (guint i = 0; i < recipients->len; i++)
    {
      SesameCampaignRecipient *r = g_ptr_array_index (recipients, i);

      if (r->state == SESAME_RECIPIENT_NO_ADDRESS)
        g_strv_builder_add (builder, r->person_key);
    }
  return g_strv_builder_end (builder);
}

static GMimeMessage *
compose_report (SesameStore         *self,
                SesameCampaign      *campaign,
                SesameSmtpSettings  *settings,
                const char          *to_name,
                const char          *to_address,
                GError             **error)
{
  const SesameCampaignCounts *counts = sesame_campaign_get_counts (campaign);
  g_autoptr(GMimeMessage) message = NULL;
  g_autoptr(GBytes) csv = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *subject = NULL;
  g_autofree char *profiles = sesame_campaign_dup_profiles_label (campaign);
  g_autofree char *filename = NULL;
  g_autofree char *short_subject = NULL;

  csv = sesame_campaign_report_render (self, sesame_campaign_get_id (campaign), error);
  if (csv == NULL)
    return NULL;

  g_string_append_printf (text, _("Send report of the identifiers email “%s” (%s).\n\n"),
                          sesame_campaign_get_subject (campaign), profiles);
  g_string_append_printf (text, _("Sent: %u\n"), counts->counts[SESAME_RECIPIENT_SENT]);
  g_string_append_printf (text, _("Failed: %u\n"), counts->counts[SESAME_RECIPIENT_FAILED]);
  g_string_append_printf (text, _("Without an address (to print on paper): %u\n"),
                          counts->counts[SESAME_RECIPIENT_NO_ADDRESS]);
  if (counts->counts[SESAME_RECIPIENT_UNCERTAIN] > 0)
    g_string_append_printf (text, _("Interrupted, perhaps delivered: %u\n"),
                            counts->counts[SESAME_RECIPIENT_UNCERTAIN]);
  if (counts->counts[SESAME_RECIPIENT_SKIPPED] > 0)
    g_string_append_printf (text, _("Activated or disabled before their turn: %u\n"),
                            counts->counts[SESAME_RECIPIENT_SKIPPED]);
  g_string_append (text, _("\nThe attached file lists every account with the server's reply.\n"));

  /* The report's subject holds the campaign's, cut to fit. */
  /* g_utf8_substring() reads past a string shorter than its end. */
  short_subject = g_utf8_substring (sesame_campaign_get_subject (campaign), 0,
                                    MIN (g_utf8_strlen (sesame_campaign_get_subject (campaign), -1), 40));
  /* TRANSLATORS: subject of the send report; %s is the campaign's subject */
  subject = g_strdup_printf (_("Send report: %s"), short_subject);
  if (g_utf8_strlen (subject, -1) > SESAME_MAIL_SUBJECT_MAX_CHARS)
    {
      g_free (subject);
      subject = g_strdup (_("Send report"));
    }

  message = sesame_mail_message_new (sesame_smtp_settings_get_from_name (settings),
                                     sesame_smtp_settings_get_from_address (settings),
                                     to_name, to_address, subject, text->str,
                                     SESAME_MAIL_FLAGS_NONE, NULL, error);
  if (message == NULL)
    return NULL;
  /* TRANSLATORS: file name of the send report; no spaces */
  filename = g_strdup_printf ("%s-%.8s.csv", _("send-report"), sesame_campaign_get_id (campaign));
  sesame_mail_message_attach (message, filename, "text/csv", csv);
  return g_steal_pointer (&message);
}

/*
 * _sesame_campaign_report_compose:
 * @self: a #SesameStore
 * @campaign: a campaign read from the store
 * @settings: the mail settings, for the sender's address
 * @to_name: the operator's name
 * @to_address: the operator's address
 * @error: return location for a #GError
 *
 * The report, its table included, is written in the document language as
 * the messages it reports on are.
 *
 * Returns: (transfer full): the message with the send report attached, or
 *   %NULL with @error set
 */
GMimeMessage *
_sesame_campaign_report_compose (SesameStore         *self,
                                 SesameCampaign      *campaign,
                                 SesameSmtpSettings  *settings,
                                 const char          *to_name,
                                 const char          *to_address,
                                 GError             **error)
{
  GMimeMessage *message;

  _sesame_store_push_document_language (self);
  message = compose_report (self, campaign, settings, to_name, to_address, error);
  _sesame_document_language_pop ();
  return message;
}

/* The acting operator's name and address, when the directory gives them
 * a valid one. */
static gboolean
dup_operator_address (SesameStore  *self,
                      char        **name,
                      char        **address)
{
  const char *key = sesame_store_operator_get_key (self);
  sqlite3_stmt *stmt;

  if (key == NULL)
    return FALSE;
  stmt = _sesame_store_prepare (self, "SELECT email, first_name, last_name FROM persons WHERE key = ?", NULL);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      *address = g_strstrip (g_strdup (_sesame_column_text (stmt, 0)));
      *name = _sesame_campaign_message_display_name (_sesame_column_text (stmt, 1), _sesame_column_text (stmt, 2));
    }
  sqlite3_reset (stmt);
  return sesame_mail_address_is_valid (*address);
}

/*
 * _sesame_campaign_report_mail_to_operator:
 * @self: a #SesameStore
 * @campaign: a finished campaign
 * @settings: the mail settings
 * @client: a client connected to the mail server, or ready to connect
 * @error: return location for a #GError
 *
 * Mails the send report to the acting operator, when the directory gives
 * them a valid address; the campaign keeps when it left, so that it
 * leaves once.
 *
 * Returns: %TRUE if the report left or there was nowhere to mail it;
 *   %FALSE with @error set, saying so to the operator, when it could not
 *   be sent
 */
gboolean
_sesame_campaign_report_mail_to_operator (SesameStore         *self,
                                          SesameCampaign      *campaign,
                                          SesameSmtpSettings  *settings,
                                          SesameSmtpClient    *client,
                                          GError             **error)
{
  g_autoptr(GMimeMessage) message = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *address = NULL;
  g_autofree char *name = NULL;
  sqlite3_stmt *stmt;

  if (!dup_operator_address (self, &name, &address))
    return TRUE;

  message = _sesame_campaign_report_compose (self, campaign, settings, name, address, &local_error);
  if (message == NULL || !sesame_smtp_client_send_message (client, message, NULL, &local_error))
    {
      g_set_error (error, SESAME_ERROR, SESAME_ERROR_FAILED,
                   _("The send report could not be mailed to %s: %s"), address, local_error->message);
      return FALSE;
    }

  stmt = _sesame_store_prepare (self, "UPDATE campaigns SET report_sent_at = ?2 WHERE id = ?1", NULL);
  if (stmt == NULL)
    return TRUE;
  sqlite3_bind_text (stmt, 1, sesame_campaign_get_id (campaign), -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, sesame_store_now (self));
  _sesame_store_step_done (self, stmt, NULL);
  return TRUE;
}

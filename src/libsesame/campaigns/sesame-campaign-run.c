/* sesame-campaign-run.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One run of a #SesameCampaignSender: the loop that sends a campaign's
 * messages one after another, off the main thread, on its own connection
 * to the store (written with synchronous = FULL, so that a power cut does
 * not forget a send) and one connection to the mail server. It waits for
 * retries and the server's rate limit, holds still while paused, and
 * stops between two messages when cancelled, so that the fate of each
 * message is known.
 *
 * The sender object that the window and sesamectl hold lives in
 * sesame-campaign-sender.c; what a run writes for each recipient is in
 * sesame-campaign-delivery.c, and the lease that keeps other runs away in
 * sesame-campaign-lease.c.
 */
#include "config.h"

#define G_LOG_DOMAIN "sesame-campaign"

#include <glib/gi18n-lib.h>
#include <sodium.h>
#include <string.h>

#include "sesame-campaign-delivery-private.h"
#include "sesame-campaign-lease-private.h"
#include "sesame-campaign-message-private.h"
#include "sesame-campaign-private.h"
#include "sesame-campaign-report-private.h"
#include "sesame-campaign-sender-private.h"
#include "sesame-campaigns-private.h"
#include "sesame-secrets.h"
#include "sesame-smtp-client.h"

/* How many times in a row an unreachable server is tried again before the
 * campaign stops. */
#define CONNECTION_RETRIES 3

struct _SesameCampaignRun
{
  SesameCampaignSender       *sender;
  SesameStore                *store;
  SesameSmtpSettings         *settings;
  SesameSmtpClient           *client;
  SesameCampaign             *campaign;
  SesameCampaignLease        *lease;
  GCancellable               *cancellable;
  gulong                      cancelled_id;
  GMainContext               *context;
  SesameCampaignProgressFunc  progress;
  gpointer                    progress_data;
  char                       *password;
  /* The recipient whose message is with the mail server, or NULL. */
  SesameCampaignDelivery     *current;
  guint                       connection_failures;
  char                       *report_error;
};

typedef SesameCampaignRun Run;

void
_sesame_campaign_run_free (SesameCampaignRun *run)
{
  if (run->cancelled_id != 0)
    g_cancellable_disconnect (run->cancellable, run->cancelled_id);
  g_clear_object (&run->client);
  g_clear_object (&run->settings);
  g_clear_object (&run->campaign);
  g_clear_pointer (&run->lease, _sesame_campaign_lease_free);
  g_clear_object (&run->store);
  g_clear_object (&run->cancellable);
  g_clear_pointer (&run->context, g_main_context_unref);
  g_clear_object (&run->sender);
  g_clear_pointer (&run->password, sesame_secrets_free_password);
  g_clear_pointer (&run->report_error, g_free);
  g_free (run);
}

static void
on_cancelled (GCancellable *cancellable,
              gpointer      user_data)
{
  SesameCampaignSender *sender = user_data;

  g_mutex_lock (&sender->lock);
  g_cond_broadcast (&sender->cond);
  g_mutex_unlock (&sender->lock);
}

/*
 * _sesame_campaign_run_new:
 * @sender: the sender starting the run
 * @cancellable: (nullable): stops the run between two messages
 * @error: return location for a #GError
 *
 * Returns: (transfer full): a run with its own connection to the store,
 *   or %NULL with @error set
 */
SesameCampaignRun *
_sesame_campaign_run_new (SesameCampaignSender  *sender,
                          GCancellable          *cancellable,
                          GError               **error)
{
  g_autoptr(SesameCampaignRun) run = g_new0 (SesameCampaignRun, 1);

  run->sender = g_object_ref (sender);
  run->cancellable = cancellable ? g_object_ref (cancellable) : g_cancellable_new ();
  run->cancelled_id = g_cancellable_connect (run->cancellable, G_CALLBACK (on_cancelled), sender, NULL);
  /* The worker has its own connection to the store. */
  run->store = sesame_store_dup (sender->store, error);
  if (run->store == NULL)
    return NULL;
  run->lease = _sesame_campaign_lease_new (run->store, sender->campaign_id);
  return g_steal_pointer (&run);
}

/* Called in the run's thread after each message. */
void
_sesame_campaign_run_set_progress_func (SesameCampaignRun          *run,
                                        SesameCampaignProgressFunc  progress,
                                        gpointer                    user_data)
{
  run->progress = progress;
  run->progress_data = user_data;
}

/* Where the sender's properties follow the progress. */
void
_sesame_campaign_run_set_context (SesameCampaignRun *run,
                                  GMainContext      *context)
{
  g_clear_pointer (&run->context, g_main_context_unref);
  run->context = context ? g_main_context_ref (context) : NULL;
}

/* Where the recipients stood at the end, or NULL when the campaign could
 * not even be read. */
const SesameCampaignCounts *
_sesame_campaign_run_get_counts (SesameCampaignRun *run)
{
  return run->campaign != NULL ? sesame_campaign_get_counts (run->campaign) : NULL;
}

/* Why the send report could not be mailed, or NULL. */
char *
_sesame_campaign_run_steal_report_error (SesameCampaignRun *run)
{
  return g_steal_pointer (&run->report_error);
}

static gboolean
run_cancelled (Run *run)
{
  return g_cancellable_is_cancelled (run->cancellable);
}

static gboolean
is_paused (SesameCampaignSender *sender)
{
  gboolean paused;

  g_mutex_lock (&sender->lock);
  paused = sender->paused;
  g_mutex_unlock (&sender->lock);
  return paused;
}

/* Waits until @deadline (monotonic), a cancellation or a pause. */
static gboolean
run_wait (Run     *run,
          gint64   deadline,
          GError **error)
{
  SesameCampaignSender *sender = run->sender;

  for (;;)
    {
      gint64 now = g_get_monotonic_time ();
      gboolean stop;

      if (now >= deadline || run_cancelled (run) || is_paused (sender))
        return TRUE;
      g_mutex_lock (&sender->lock);
      stop = sender->paused || run_cancelled (run);
      if (!stop)
        g_cond_wait_until (&sender->cond, &sender->lock, MIN (deadline, now + SESAME_CAMPAIGN_HEARTBEAT_USEC));
      g_mutex_unlock (&sender->lock);
      if (!_sesame_campaign_lease_heartbeat (run->lease, error))
        return FALSE;
    }
}

/* Holds still while the operator pauses, the campaign saying "paused". */
static gboolean
run_wait_while_paused (Run     *run,
                       GError **error)
{
  SesameCampaignSender *sender = run->sender;

  if (!is_paused (sender) || run_cancelled (run))
    return TRUE;

  /* A long pause would let the server drop the connection anyway. */
  sesame_smtp_client_disconnect (run->client);
  if (!_sesame_campaign_lease_write_state (run->lease, SESAME_CAMPAIGN_STATE_PAUSED, error))
    return FALSE;

  g_mutex_lock (&sender->lock);
  while (sender->paused && !run_cancelled (run))
    {
      g_cond_wait_until (&sender->cond, &sender->lock, g_get_monotonic_time () + SESAME_CAMPAIGN_HEARTBEAT_USEC);
      g_mutex_unlock (&sender->lock);
      if (!_sesame_campaign_lease_heartbeat (run->lease, error))
        return FALSE;
      g_mutex_lock (&sender->lock);
    }
  g_mutex_unlock (&sender->lock);

  if (run_cancelled (run))
    return TRUE;
  return _sesame_campaign_lease_write_state (run->lease, SESAME_CAMPAIGN_STATE_SENDING, error);
}

typedef struct
{
  SesameCampaignSender *sender;
  SesameCampaignCounts  counts;
} ProgressUpdate;

static gboolean
apply_progress (gpointer data)
{
  ProgressUpdate *update = data;

  _sesame_campaign_sender_apply_counts (update->sender, &update->counts);
  return G_SOURCE_REMOVE;
}

static void
progress_update_free (gpointer data)
{
  ProgressUpdate *update = data;

  g_object_unref (update->sender);
  g_free (update);
}

/* Counts the recipients again and tells the caller where they stand. */
static void
report_progress (Run *run)
{
  SesameCampaignCounts counts;

  if (!_sesame_campaigns_count_recipients (run->store, sesame_campaign_get_id (run->campaign), &counts, NULL))
    return;
  _sesame_campaign_set_counts (run->campaign, &counts);

  if (run->progress != NULL)
    run->progress (&counts, run->progress_data);
  if (run->context != NULL)
    {
      ProgressUpdate *update = g_new0 (ProgressUpdate, 1);

      update->sender = g_object_ref (run->sender);
      update->counts = counts;
      g_main_context_invoke_full (run->context, G_PRIORITY_DEFAULT, apply_progress, update,
                                  progress_update_free);
    }
}

/* Starts the run in one transaction: once no live run holds the
 * campaign, what a dead one left is settled before this run takes the
 * lease. */
static gboolean
start (Run       *run,
       gboolean  *nothing_to_do,
       GError   **error)
{
  SesameStore *store = run->store;
  const char *id = sesame_campaign_get_id (run->campaign);
  g_autofree char *detail = NULL;
  gboolean resumed = FALSE;
  guint pending = 0;

  *nothing_to_do = FALSE;
  if (!_sesame_store_begin (store, error))
    return FALSE;

  if (!_sesame_campaign_lease_check_available (run->lease, error) ||
      (run->sender->resend_uncertain && !_sesame_campaign_delivery_requeue_uncertain (store, id, error)) ||
      !_sesame_campaign_delivery_recover (store, id, error) ||
      !_sesame_campaign_delivery_count_waiting (store, id, &pending, error) ||
      !_sesame_campaign_lease_take (run->lease, pending, &resumed, error))
    goto fail;

  detail = g_strdup_printf ("%s; %u to send", resumed ? "resume" : "start", pending);
  if (!_sesame_store_audit (store, "campaign-start", id, detail, error))
    goto fail;

  if (!_sesame_store_commit (store, error))
    return FALSE;
  *nothing_to_do = pending == 0;
  return TRUE;

fail:
  _sesame_store_rollback (store);
  return FALSE;
}

/* Ends the run in one transaction: the campaign's final state, with the
 * lease released, and the figures in the audit trail. */
static gboolean
finish (Run                  *run,
        SesameCampaignState   state,
        const char           *last_error,
        GError              **error)
{
  const SesameCampaignCounts *c;
  g_autofree char *detail = NULL;

  report_progress (run);
  c = sesame_campaign_get_counts (run->campaign);
  detail = g_strdup_printf ("%s; sent %u, failed %u, without address %u, uncertain %u, skipped %u, waiting %u",
                            sesame_campaign_state_to_token (state),
                            c->counts[SESAME_RECIPIENT_SENT], c->counts[SESAME_RECIPIENT_FAILED],
                            c->counts[SESAME_RECIPIENT_NO_ADDRESS], c->counts[SESAME_RECIPIENT_UNCERTAIN],
                            c->counts[SESAME_RECIPIENT_SKIPPED], c->counts[SESAME_RECIPIENT_WAITING]);

  if (!_sesame_store_begin (run->store, error))
    return FALSE;
  if (!_sesame_campaign_lease_release (run->lease, state, last_error, error) ||
      !_sesame_store_audit (run->store, "campaign-end", sesame_campaign_get_id (run->campaign), detail, error))
    {
      _sesame_store_rollback (run->store);
      return FALSE;
    }
  return _sesame_store_commit (run->store, error);
}

/* Called by the SMTP client just before the end of data goes out. */
static gboolean
on_data_sent (gpointer user_data)
{
  Run *run = user_data;
  g_autoptr(GError) error = NULL;

  /* The send report is no recipient's message. */
  if (run->current == NULL)
    return TRUE;
  if (_sesame_campaign_delivery_mark_data_sent (run->store, sesame_campaign_get_id (run->campaign),
                                                run->current, &error))
    return TRUE;

  /* Unrecorded, the message would be sent blind: abandon it. */
  g_warning ("Cannot record a send of campaign %s: %s", sesame_campaign_get_id (run->campaign), error->message);
  return FALSE;
}

static gboolean
end_attempt (Run                     *run,
             SesameCampaignDelivery  *delivery,
             SesameRecipientState     state,
             gboolean                 counts_as_attempt,
             gint64                   next_attempt_ms,
             const char              *reply,
             const char              *message_id,
             const char              *result,
             const char              *token_id,
             GError                 **error)
{
  SesameCampaignOutcome outcome = {
    state, counts_as_attempt, next_attempt_ms, reply, message_id, result
  };

  return _sesame_campaign_delivery_end (run->store, sesame_campaign_get_id (run->campaign), delivery,
                                        &outcome, token_id, error);
}

static gint64
backoff_ms (Run   *run,
            guint  failures)
{
  guint shift = MIN (failures > 0 ? failures - 1 : 0, 10);

  return (gint64) run->sender->retry_delay_ms << shift;
}

/* Hands one message to the mail server, the recipient's delivery marked
 * current meanwhile for on_data_sent(). */
static gboolean
hand_over (Run                     *run,
           SesameCampaignDelivery  *delivery,
           GBytes                  *bytes,
           GError                 **error)
{
  gboolean sent;

  run->current = delivery;
  sent = sesame_smtp_client_send (run->client, delivery->address, bytes, NULL, error);
  run->current = NULL;
  return sent;
}

/* Why a recipient gets no message after all, or NULL: the directory
 * changed since the campaign was recorded. */
static const char *
skip_reason (SesameCampaignDelivery *r,
             SesameRecipientState   *state)
{
  *state = SESAME_RECIPIENT_SKIPPED;
  if (r->activated)
    return _("The account was activated before its turn: nothing was sent.");
  if (r->disabled)
    return _("The account was disabled before its turn: nothing was sent.");
  *state = SESAME_RECIPIENT_NO_ADDRESS;
  if (!sesame_mail_address_is_valid (r->address))
    return r->address[0] ? _("The email address in the directory is not valid any more.")
                         : _("No email address in the directory any more.");
  return NULL;
}

/* Ends an attempt the server did not accept, as its @error says: failed
 * for good, to try again later, perhaps delivered, or waiting while the
 * server cannot be reached. Returns FALSE with @fatal set when the
 * campaign must stop. */
static gboolean
end_failed_attempt (Run                     *run,
                    SesameCampaignDelivery  *r,
                    GError                  *error,
                    const char              *token_id,
                    GError                 **fatal)
{
  g_autofree char *reply = NULL;
  guint attempts = r->attempts + 1;

  g_debug ("Sending to %s failed: %s", r->login, error->message);
  reply = g_strdup (sesame_smtp_client_get_last_code (run->client) >= 400
                    ? sesame_smtp_client_get_last_reply (run->client) : error->message);

  if (g_error_matches (error, SESAME_SMTP_ERROR, SESAME_SMTP_ERROR_PERMANENT))
    {
      run->connection_failures = 0;
      return end_attempt (run, r, SESAME_RECIPIENT_FAILED, TRUE, 0, reply, NULL, "permanent", token_id, fatal);
    }

  if (g_error_matches (error, SESAME_SMTP_ERROR, SESAME_SMTP_ERROR_TEMPORARY))
    {
      run->connection_failures = 0;
      if (attempts >= run->sender->max_attempts)
        {
          g_autofree char *gave_up = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                                   "Gave up after %u attempt: %s",
                                                                   "Gave up after %u attempts: %s",
                                                                   attempts),
                                                      attempts, reply);
          return end_attempt (run, r, SESAME_RECIPIENT_FAILED, TRUE, 0, gave_up, NULL, "temporary",
                              token_id, fatal);
        }
      return end_attempt (run, r, SESAME_RECIPIENT_WAITING, TRUE,
                          g_get_real_time () / 1000 + backoff_ms (run, attempts),
                          reply, NULL, "temporary", token_id, fatal);
    }

  if (sesame_smtp_client_get_data_sent (run->client) &&
      (g_error_matches (error, SESAME_SMTP_ERROR, SESAME_SMTP_ERROR_CONNECTION_LOST) ||
       g_error_matches (error, SESAME_SMTP_ERROR, SESAME_SMTP_ERROR_TIMEOUT)))
    {
      g_autofree char *uncertain =
        g_strdup_printf (_("The connection broke after the whole message was handed to the mail server, before its answer: it may have been delivered, so it is not sent again unless you ask. (%s)"),
                         error->message);
      return end_attempt (run, r, SESAME_RECIPIENT_UNCERTAIN, TRUE, 0, uncertain, NULL, "uncertain",
                          token_id, fatal);
    }

  /* Nothing reached the server: the recipient waits its turn again. */
  if (!end_attempt (run, r, SESAME_RECIPIENT_WAITING, FALSE, 0, "", NULL, "connection", token_id, fatal))
    return FALSE;

  if (g_error_matches (error, SESAME_SMTP_ERROR, SESAME_SMTP_ERROR_CONNECTION_LOST) ||
      g_error_matches (error, SESAME_SMTP_ERROR, SESAME_SMTP_ERROR_TIMEOUT) ||
      g_error_matches (error, SESAME_SMTP_ERROR, SESAME_SMTP_ERROR_CONNECTION_REFUSED) ||
      g_error_matches (error, SESAME_SMTP_ERROR, SESAME_SMTP_ERROR_HOST_NOT_FOUND) ||
      g_error_matches (error, SESAME_SMTP_ERROR, SESAME_SMTP_ERROR_TLS))
    {
      if (++run->connection_failures <= CONNECTION_RETRIES)
        return run_wait (run, g_get_monotonic_time () + backoff_ms (run, run->connection_failures) * 1000, fatal);
    }

  g_propagate_error (fatal, g_error_copy (error));
  return FALSE;
}

/* Sends to one recipient. Returns FALSE with @fatal set when the campaign
 * must stop (the server refuses the account, the store fails…). */
static gboolean
send_one (Run                     *run,
          SesameCampaignDelivery  *r,
          GError                 **fatal)
{
  g_autoptr(GMimeMessage) message = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *token_id = NULL;
  SesameRecipientState skipped;
  const char *reason;
  char *token;

  reason = skip_reason (r, &skipped);
  if (reason != NULL)
    return _sesame_campaign_delivery_skip (run->store, sesame_campaign_get_id (run->campaign), r, skipped,
                                           reason, fatal);

  token = _sesame_campaign_delivery_begin (run->lease, r, &token_id, fatal);
  if (token == NULL)
    return FALSE;
  message = _sesame_campaign_message_compose (run->store, run->campaign, run->settings, r->login, r->first_name,
                                              r->last_name, r->address, r->structure, token, &error);
  sodium_memzero (token, strlen (token));
  g_free (token);
  if (message == NULL)
    return end_attempt (run, r, SESAME_RECIPIENT_FAILED, FALSE, 0, error->message, NULL, "refused",
                        token_id, fatal);
  bytes = sesame_mail_message_to_bytes (message);

  if (!hand_over (run, r, bytes, &error))
    return end_failed_attempt (run, r, error, token_id, fatal);

  run->connection_failures = 0;
  return end_attempt (run, r, SESAME_RECIPIENT_SENT, TRUE, 0,
                      sesame_smtp_client_get_last_reply (run->client),
                      g_mime_message_get_message_id (message), "sent", token_id, fatal);
}

/* The mail server's password: given to the sender, or from the keyring. */
static gboolean
lookup_password (Run     *run,
                 GError **error)
{
  const char *user = sesame_smtp_settings_get_user (run->settings);
  const char *host = sesame_smtp_settings_get_host (run->settings);

  if (run->sender->has_password)
    {
      run->password = g_strdup (run->sender->password);
      return TRUE;
    }
  if (user[0] == '\0')
    return TRUE;

  run->password = sesame_secrets_lookup_smtp_password (host, user, run->cancellable, error);
  if (run->password != NULL)
    return TRUE;
  if (error != NULL && *error == NULL)
    g_set_error (error, SESAME_SMTP_ERROR, SESAME_SMTP_ERROR_NOT_CONFIGURED,
                 _("No password of %s on the mail server %s is kept in the keyring: enter it in the Preferences (or with “sesamectl smtp set”)."),
                 user, host);
  return FALSE;
}

/* Everything the run needs before it may start: the right to send, the
 * campaign, the mail server and its password. */
static gboolean
prepare (Run     *run,
         GError **error)
{
  if (!sesame_store_operator_check_permission (run->store, SESAME_PERMISSION_SEND_MAIL, NULL, error))
    return FALSE;
  /* Every send is on disk before the next one starts. */
  if (!_sesame_store_exec (run->store, "PRAGMA synchronous = FULL", error))
    return FALSE;

  run->campaign = _sesame_campaigns_load (run->store, run->sender->campaign_id, error);
  if (run->campaign == NULL)
    return FALSE;
  if (!sesame_store_operator_administers_all (run->store) &&
      !_sesame_store_check_establishment (run->store, SESAME_PERMISSION_SEND_MAIL,
                                          sesame_campaign_get_establishment (run->campaign), error))
    return FALSE;
  run->settings = run->sender->settings ? g_object_ref (run->sender->settings)
                                        : sesame_smtp_settings_load (run->store, error);
  if (run->settings == NULL)
    return FALSE;
  if (!sesame_smtp_settings_is_configured (run->settings))
    {
      g_set_error_literal (error, SESAME_SMTP_ERROR, SESAME_SMTP_ERROR_NOT_CONFIGURED,
                           _("No mail server is set up: fill in the mail part of the Preferences first."));
      return FALSE;
    }
  return lookup_password (run, error);
}

/* Sends the waiting messages until none waits, or the run must stop.
 * Returns SESAME_CAMPAIGN_STATE_CANCELLED when cancelled, else
 * SESAME_CAMPAIGN_STATE_FINISHED; with @fatal set, the campaign is
 * interrupted instead. */
static SesameCampaignState
send_all (Run     *run,
          GError **fatal)
{
  const char *id = sesame_campaign_get_id (run->campaign);

  for (;;)
    {
      g_auto(SesameCampaignDelivery) r = { 0 };
      gint64 now_ms, turn;

      if (run_cancelled (run))
        return SESAME_CAMPAIGN_STATE_CANCELLED;
      if (!run_wait_while_paused (run, fatal))
        return SESAME_CAMPAIGN_STATE_FINISHED;
      if (run_cancelled (run))
        continue;

      if (!_sesame_campaign_delivery_next (run->store, id, &r, fatal))
        return SESAME_CAMPAIGN_STATE_FINISHED;

      /* A retry after a 4xx reply waits for its time. */
      now_ms = g_get_real_time () / 1000;
      if (r.next_attempt_ms > now_ms)
        {
          if (!run_wait (run, g_get_monotonic_time () + (r.next_attempt_ms - now_ms) * 1000, fatal))
            return SESAME_CAMPAIGN_STATE_FINISHED;
          continue;
        }
      /* The rate limit holds the next message back. */
      turn = sesame_smtp_client_get_next_send_time (run->client);
      if (turn > g_get_monotonic_time ())
        {
          if (!run_wait (run, turn, fatal))
            return SESAME_CAMPAIGN_STATE_FINISHED;
          if (turn > g_get_monotonic_time ())
            continue;
        }

      if (!send_one (run, &r, fatal))
        return SESAME_CAMPAIGN_STATE_FINISHED;
      report_progress (run);
    }
}

/* Mails the send report to the operator once, at the end of a campaign. */
static void
mail_report (Run *run)
{
  g_autoptr(GError) error = NULL;

  if (!run->sender->mail_report || sesame_store_operator_get_key (run->store) == NULL ||
      sesame_campaign_get_report_sent_at (run->campaign) != 0)
    return;
  if (!_sesame_campaign_report_mail_to_operator (run->store, run->campaign, run->settings, run->client, &error))
    run->report_error = g_strdup (error->message);
}

/*
 * _sesame_campaign_run_send:
 * @run: a run
 * @error: return location for a #GError
 *
 * Sends the campaign, blocking the calling thread; see
 * sesame_campaign_sender_run().
 *
 * Returns: %TRUE once every recipient has a final state
 */
gboolean
_sesame_campaign_run_send (SesameCampaignRun  *run,
                           GError            **error)
{
  SesameCampaignState end_state = SESAME_CAMPAIGN_STATE_FINISHED;
  g_autoptr(GError) fatal = NULL;
  g_autofree char *last_error = NULL;
  gboolean nothing_to_do = FALSE;

  if (!prepare (run, error))
    return FALSE;
  if (!start (run, &nothing_to_do, error))
    return FALSE;
  report_progress (run);

  run->client = sesame_smtp_client_new (run->settings, run->password);
  if (run->sender->ca_file != NULL)
    sesame_smtp_client_set_ca_file (run->client, run->sender->ca_file);
  sesame_smtp_client_set_data_sent_func (run->client, on_data_sent, run);

  if (!nothing_to_do)
    end_state = send_all (run, &fatal);

  if (fatal != NULL)
    {
      end_state = SESAME_CAMPAIGN_STATE_INTERRUPTED;
      last_error = g_strdup (fatal->message);
    }

  if (!finish (run, end_state, last_error, error))
    {
      sesame_smtp_client_disconnect (run->client);
      return FALSE;
    }
  if (end_state == SESAME_CAMPAIGN_STATE_FINISHED)
    mail_report (run);
  sesame_smtp_client_disconnect (run->client);
  report_progress (run);

  if (fatal != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&fatal));
      return FALSE;
    }
  if (end_state == SESAME_CAMPAIGN_STATE_CANCELLED)
    {
      const SesameCampaignCounts *c = sesame_campaign_get_counts (run->campaign);

      g_set_error (error, SESAME_ERROR, SESAME_ERROR_CANCELLED,
                   g_dngettext (GETTEXT_PACKAGE,
                                "The campaign was stopped: %u message was not sent. Resume it to send it.",
                                "The campaign was stopped: %u messages were not sent. Resume it to send them.",
                                c->counts[SESAME_RECIPIENT_WAITING]),
                   c->counts[SESAME_RECIPIENT_WAITING]);
      return FALSE;
    }
  return TRUE;
}

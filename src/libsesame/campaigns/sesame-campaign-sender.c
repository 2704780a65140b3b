/* sesame-campaign-sender.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The object the window and sesamectl hold to send a campaign: its
 * settings (mail server, password, retries), the pause, and the counts it
 * shows while a run sends the messages in a worker thread. The run itself
 * is sesame-campaign-run.c: this file only starts it, hands it the pause,
 * and brings its progress back to the caller's main context.
 */
#include "config.h"

#define G_LOG_DOMAIN "sesame-campaign"

#include <glib/gi18n-lib.h>

#include "sesame-campaign-sender-private.h"
#include "sesame-error.h"
#include "sesame-secrets.h"

/**
 * SesameCampaignSender:
 *
 * Sends one campaign's waiting messages, blocking
 * (sesame_campaign_sender_run()) or in a worker thread
 * (sesame_campaign_sender_run_async()), and can be paused, cancelled and
 * run again to resume. At most one run sends a campaign at a time,
 * whichever window or desk starts it.
 */
G_DEFINE_FINAL_TYPE (SesameCampaignSender, sesame_campaign_sender, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STORE,
  PROP_CAMPAIGN_ID,
  PROP_PAUSED,
  PROP_RUNNING,
  PROP_SENT,
  PROP_FAILED,
  PROP_REMAINING,
  PROP_TOTAL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

void
_sesame_campaign_sender_apply_counts (SesameCampaignSender       *self,
                                      const SesameCampaignCounts *counts)
{
  SesameCampaignCounts old = self->counts;

  self->counts = *counts;
  if (old.counts[SESAME_RECIPIENT_SENT] != self->counts.counts[SESAME_RECIPIENT_SENT])
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SENT]);
  if (old.counts[SESAME_RECIPIENT_FAILED] != self->counts.counts[SESAME_RECIPIENT_FAILED])
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FAILED]);
  if (old.counts[SESAME_RECIPIENT_WAITING] + old.counts[SESAME_RECIPIENT_SENDING] !=
      self->counts.counts[SESAME_RECIPIENT_WAITING] + self->counts.counts[SESAME_RECIPIENT_SENDING])
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REMAINING]);
  if (old.total != self->counts.total)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOTAL]);
}

static void
set_running (SesameCampaignSender *self,
             gboolean              running)
{
  if (self->running == !!running)
    return;
  self->running = !!running;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
}

/* What a run leaves the sender: its last counts and the report's fate. */
static void
take_run_result (SesameCampaignSender *self,
                 SesameCampaignRun    *run)
{
  const SesameCampaignCounts *counts = _sesame_campaign_run_get_counts (run);

  if (counts != NULL)
    _sesame_campaign_sender_apply_counts (self, counts);
  g_free (self->report_error);
  self->report_error = _sesame_campaign_run_steal_report_error (run);
}

/**
 * sesame_campaign_sender_run:
 * @self: a #SesameCampaignSender
 * @progress: (nullable) (scope call): called after each message
 * @user_data: closure data for @progress
 * @cancellable: (nullable): stops the campaign between two messages
 * @error: return location for a #GError
 *
 * Sends the campaign's waiting messages, blocking the calling thread. A
 * campaign stopped half way resumes from where it stood: call this again.
 *
 * Returns: %TRUE once every recipient has a final state; %FALSE with
 *   @error set when the campaign was stopped (%SESAME_ERROR_CANCELLED) or
 *   interrupted by the mail server (%SESAME_SMTP_ERROR)
 */
gboolean
sesame_campaign_sender_run (SesameCampaignSender        *self,
                            SesameCampaignProgressFunc   progress,
                            gpointer                     user_data,
                            GCancellable                *cancellable,
                            GError                     **error)
{
  g_autoptr(SesameCampaignRun) run = NULL;
  gboolean ok;

  g_return_val_if_fail (SESAME_IS_CAMPAIGN_SENDER (self), FALSE);
  g_return_val_if_fail (!self->running, FALSE);

  run = _sesame_campaign_run_new (self, cancellable, error);
  if (run == NULL)
    return FALSE;
  _sesame_campaign_run_set_progress_func (run, progress, user_data);

  set_running (self, TRUE);
  ok = _sesame_campaign_run_send (run, error);
  take_run_result (self, run);
  set_running (self, FALSE);
  return ok;
}

static void
run_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  SesameCampaignRun *run = task_data;
  GError *error = NULL;

  if (!_sesame_campaign_run_send (run, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * sesame_campaign_sender_run_async:
 * @self: a #SesameCampaignSender
 * @cancellable: (nullable): stops the campaign between two messages
 * @callback: called when the campaign stops
 * @user_data: closure data
 *
 * Sends the campaign in a worker thread. The counts properties follow its
 * progress in the caller's main context; sesame_campaign_sender_set_paused()
 * pauses it.
 */
void
sesame_campaign_sender_run_async (SesameCampaignSender *self,
                                  GCancellable         *cancellable,
                                  GAsyncReadyCallback   callback,
                                  gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  SesameCampaignRun *run;

  g_return_if_fail (SESAME_IS_CAMPAIGN_SENDER (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sesame_campaign_sender_run_async);
  if (self->running)
    {
      g_task_return_new_error (task, SESAME_ERROR, SESAME_ERROR_REFUSED, "%s",
                               _("This campaign is already being sent."));
      return;
    }
  run = _sesame_campaign_run_new (self, cancellable, &error);
  if (run == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  {
    g_autoptr(GMainContext) context = g_main_context_ref_thread_default ();

    _sesame_campaign_run_set_context (run, context);
  }
  g_task_set_task_data (task, run, (GDestroyNotify) _sesame_campaign_run_free);
  /* Cancelling stops the campaign between two messages, so that the fate
   * of each is known: the task waits for its thread. */
  g_task_set_return_on_cancel (task, FALSE);
  g_task_set_check_cancellable (task, FALSE);
  set_running (self, TRUE);
  g_task_run_in_thread (task, run_thread);
}

/**
 * sesame_campaign_sender_run_finish:
 * @self: a #SesameCampaignSender
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Finishes sesame_campaign_sender_run_async(); the counts properties hold
 * where the recipients stand at the end.
 *
 * Returns: as sesame_campaign_sender_run()
 */
gboolean
sesame_campaign_sender_run_finish (SesameCampaignSender  *self,
                                   GAsyncResult          *result,
                                   GError               **error)
{
  SesameCampaignRun *run;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  run = g_task_get_task_data (G_TASK (result));
  if (run != NULL)
    take_run_result (self, run);
  set_running (self, FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
sesame_campaign_sender_dispose (GObject *object)
{
  SesameCampaignSender *self = (SesameCampaignSender *) object;

  g_clear_object (&self->store);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (sesame_campaign_sender_parent_class)->dispose (object);
}

static void
sesame_campaign_sender_finalize (GObject *object)
{
  SesameCampaignSender *self = (SesameCampaignSender *) object;

  g_clear_pointer (&self->campaign_id, g_free);
  g_clear_pointer (&self->password, sesame_secrets_free_password);
  g_clear_pointer (&self->ca_file, g_free);
  g_clear_pointer (&self->report_error, g_free);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->cond);

  G_OBJECT_CLASS (sesame_campaign_sender_parent_class)->finalize (object);
}

static void
sesame_campaign_sender_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  SesameCampaignSender *self = SESAME_CAMPAIGN_SENDER (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_CAMPAIGN_ID:
      g_value_set_string (value, self->campaign_id);
      break;
    case PROP_PAUSED:
      g_value_set_boolean (value, sesame_campaign_sender_get_paused (self));
      break;
    case PROP_RUNNING:
      g_value_set_boolean (value, self->running);
      break;
    case PROP_SENT:
      g_value_set_uint (value, sesame_campaign_sender_get_sent (self));
      break;
    case PROP_FAILED:
      g_value_set_uint (value, sesame_campaign_sender_get_failed (self));
      break;
    case PROP_REMAINING:
      g_value_set_uint (value, sesame_campaign_sender_get_remaining (self));
      break;
    case PROP_TOTAL:
      g_value_set_uint (value, self->counts.total);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sesame_campaign_sender_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  SesameCampaignSender *self = SESAME_CAMPAIGN_SENDER (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_CAMPAIGN_ID:
      self->campaign_id = g_value_dup_string (value);
      break;
    case PROP_PAUSED:
      sesame_campaign_sender_set_paused (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sesame_campaign_sender_class_init (SesameCampaignSenderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = sesame_campaign_sender_dispose;
  object_class->finalize = sesame_campaign_sender_finalize;
  object_class->get_property = sesame_campaign_sender_get_property;
  object_class->set_property = sesame_campaign_sender_set_property;

  /**
   * SesameCampaignSender:store:
   *
   * The store holding the campaign; a run opens its own connection to it.
   */
  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, SESAME_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * SesameCampaignSender:campaign-id:
   *
   * The UUID of the campaign to send.
   */
  properties[PROP_CAMPAIGN_ID] =
    g_param_spec_string ("campaign-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * SesameCampaignSender:paused:
   *
   * Whether the next messages are held back; see
   * sesame_campaign_sender_set_paused().
   */
  properties[PROP_PAUSED] =
    g_param_spec_boolean ("paused", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * SesameCampaignSender:running:
   *
   * Whether a run is sending the campaign.
   */
  properties[PROP_RUNNING] = g_param_spec_boolean ("running", NULL, NULL, FALSE, ro);
  /**
   * SesameCampaignSender:sent:
   *
   * Messages the server accepted, followed in the caller's main context.
   */
  properties[PROP_SENT] = g_param_spec_uint ("sent", NULL, NULL, 0, G_MAXUINT, 0, ro);
  /**
   * SesameCampaignSender:failed:
   *
   * Messages that failed for good.
   */
  properties[PROP_FAILED] = g_param_spec_uint ("failed", NULL, NULL, 0, G_MAXUINT, 0, ro);
  /**
   * SesameCampaignSender:remaining:
   *
   * Messages waiting or being sent.
   */
  properties[PROP_REMAINING] = g_param_spec_uint ("remaining", NULL, NULL, 0, G_MAXUINT, 0, ro);
  /**
   * SesameCampaignSender:total:
   *
   * The campaign's recipients in all, those without an address included.
   */
  properties[PROP_TOTAL] = g_param_spec_uint ("total", NULL, NULL, 0, G_MAXUINT, 0, ro);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sesame_campaign_sender_init (SesameCampaignSender *self)
{
  g_mutex_init (&self->lock);
  g_cond_init (&self->cond);
  self->retry_delay_ms = 30 * 1000;
  self->max_attempts = 5;
  self->mail_report = TRUE;
}

/**
 * sesame_campaign_sender_new:
 * @store: the store holding the campaign
 * @campaign_id: the campaign to send (or resume)
 *
 * Creates a sender for one campaign of @store; nothing is sent until a run
 * starts, and a campaign already under way resumes with the recipients still
 * waiting.
 *
 * Returns: (transfer full): a sender; the acting operator of @store must
 *   be an administrator
 */
SesameCampaignSender *
sesame_campaign_sender_new (SesameStore *store,
                            const char  *campaign_id)
{
  g_return_val_if_fail (SESAME_IS_STORE (store), NULL);
  g_return_val_if_fail (campaign_id != NULL, NULL);

  return g_object_new (SESAME_TYPE_CAMPAIGN_SENDER,
                       "store", store,
                       "campaign-id", campaign_id,
                       NULL);
}

/**
 * sesame_campaign_sender_get_campaign_id:
 * @self: a #SesameCampaignSender
 *
 * Tells which campaign the sender was created for.
 *
 * Returns: the UUID of the campaign this sender sends
 */
const char *
sesame_campaign_sender_get_campaign_id (SesameCampaignSender *self)
{
  g_return_val_if_fail (SESAME_IS_CAMPAIGN_SENDER (self), NULL);
  return self->campaign_id;
}

/**
 * sesame_campaign_sender_set_settings:
 * @self: a #SesameCampaignSender
 * @settings: (nullable): the mail server to use, or %NULL for the store's
 *
 * Chooses the mail server the campaign is sent through; takes effect at the
 * next run.
 */
void
sesame_campaign_sender_set_settings (SesameCampaignSender *self,
                                     SesameSmtpSettings   *settings)
{
  g_return_if_fail (SESAME_IS_CAMPAIGN_SENDER (self));
  g_set_object (&self->settings, settings);
}

/**
 * sesame_campaign_sender_set_password:
 * @self: a #SesameCampaignSender
 * @password: (nullable): the mail server's password, or %NULL to read it
 *   from the keyring when sending starts
 *
 * Gives the password to log in to the mail server with, for when it is not
 * kept in the keyring.
 */
void
sesame_campaign_sender_set_password (SesameCampaignSender *self,
                                     const char           *password)
{
  g_return_if_fail (SESAME_IS_CAMPAIGN_SENDER (self));

  g_clear_pointer (&self->password, sesame_secrets_free_password);
  self->password = g_strdup (password);
  self->has_password = password != NULL;
}

/**
 * sesame_campaign_sender_set_ca_file:
 * @self: a #SesameCampaignSender
 * @path: (nullable): see sesame_smtp_client_set_ca_file()
 *
 * Chooses the certificates the mail server's certificate is checked against,
 * e.g. a school's own authority.
 */
void
sesame_campaign_sender_set_ca_file (SesameCampaignSender *self,
                                    const char           *path)
{
  g_return_if_fail (SESAME_IS_CAMPAIGN_SENDER (self));
  g_free (self->ca_file);
  self->ca_file = g_strdup (path);
}

/**
 * sesame_campaign_sender_set_retry_delay:
 * @self: a #SesameCampaignSender
 * @milliseconds: the wait before the first retry; each next one waits
 *   twice as long (30 s by default)
 *
 * Applies to temporary refusals (4xx) and to a server that cannot be
 * reached, which stops the campaign after three more tries.
 */
void
sesame_campaign_sender_set_retry_delay (SesameCampaignSender *self,
                                        guint                 milliseconds)
{
  g_return_if_fail (SESAME_IS_CAMPAIGN_SENDER (self));
  self->retry_delay_ms = milliseconds;
}

/**
 * sesame_campaign_sender_set_max_attempts:
 * @self: a #SesameCampaignSender
 * @attempts: how many times a message temporarily refused is tried before
 *   it is reported as failed (5 by default)
 *
 * Limits how many times a message the server refuses for now is tried again;
 * values below 1 count as 1.
 */
void
sesame_campaign_sender_set_max_attempts (SesameCampaignSender *self,
                                         guint                 attempts)
{
  g_return_if_fail (SESAME_IS_CAMPAIGN_SENDER (self));
  self->max_attempts = MAX (attempts, 1);
}

/**
 * sesame_campaign_sender_set_resend_uncertain:
 * @self: a #SesameCampaignSender
 * @resend: whether to send again the messages whose sending was cut off
 *   after the server had them (they may arrive twice)
 *
 * Decides what the next run does with recipients left uncertain by a run
 * that was cut off; by default they are not sent again.
 */
void
sesame_campaign_sender_set_resend_uncertain (SesameCampaignSender *self,
                                             gboolean              resend)
{
  g_return_if_fail (SESAME_IS_CAMPAIGN_SENDER (self));
  self->resend_uncertain = !!resend;
}

/**
 * sesame_campaign_sender_set_mail_report:
 * @self: a #SesameCampaignSender
 * @mail_report: whether to mail the send report to the operator at the
 *   end, when they have an address (the default)
 *
 * Decides whether the operator receives the send report by mail when the run
 * ends.
 */
void
sesame_campaign_sender_set_mail_report (SesameCampaignSender *self,
                                        gboolean              mail_report)
{
  g_return_if_fail (SESAME_IS_CAMPAIGN_SENDER (self));
  self->mail_report = !!mail_report;
}

/**
 * sesame_campaign_sender_get_paused:
 * @self: a #SesameCampaignSender
 *
 * Tells whether the sender was paused with
 * sesame_campaign_sender_set_paused(). Safe to call from any thread.
 *
 * Returns: whether the next messages are held back
 */
gboolean
sesame_campaign_sender_get_paused (SesameCampaignSender *self)
{
  gboolean paused;

  g_return_val_if_fail (SESAME_IS_CAMPAIGN_SENDER (self), FALSE);

  g_mutex_lock (&self->lock);
  paused = self->paused;
  g_mutex_unlock (&self->lock);
  return paused;
}

/**
 * sesame_campaign_sender_set_paused:
 * @self: a #SesameCampaignSender
 * @paused: whether to hold the next messages back
 *
 * Pausing lets the message in progress finish; the campaign's state in the
 * store says "paused" until it goes on.
 */
void
sesame_campaign_sender_set_paused (SesameCampaignSender *self,
                                   gboolean              paused)
{
  gboolean changed;

  g_return_if_fail (SESAME_IS_CAMPAIGN_SENDER (self));

  g_mutex_lock (&self->lock);
  changed = self->paused != !!paused;
  self->paused = !!paused;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);
  if (changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAUSED]);
}

/**
 * sesame_campaign_sender_get_running:
 * @self: a #SesameCampaignSender
 *
 * Tells whether a run is under way, so that the interface can offer to pause
 * or stop it.
 *
 * Returns: whether a run is sending the campaign
 */
gboolean
sesame_campaign_sender_get_running (SesameCampaignSender *self)
{
  g_return_val_if_fail (SESAME_IS_CAMPAIGN_SENDER (self), FALSE);
  return self->running;
}

/**
 * sesame_campaign_sender_get_counts:
 * @self: a #SesameCampaignSender
 *
 * Gives the recipients' tally by state as of the last progress the run
 * reported.
 *
 * Returns: (transfer none): where the recipients stood at the last progress
 */
const SesameCampaignCounts *
sesame_campaign_sender_get_counts (SesameCampaignSender *self)
{
  g_return_val_if_fail (SESAME_IS_CAMPAIGN_SENDER (self), NULL);
  return &self->counts;
}

/**
 * sesame_campaign_sender_get_sent:
 * @self: a #SesameCampaignSender
 *
 * Counts the messages already delivered to the mail server, for a progress
 * bar.
 *
 * Returns: how many messages the server accepted, at the last progress
 */
guint
sesame_campaign_sender_get_sent (SesameCampaignSender *self)
{
  g_return_val_if_fail (SESAME_IS_CAMPAIGN_SENDER (self), 0);
  return self->counts.counts[SESAME_RECIPIENT_SENT];
}

/**
 * sesame_campaign_sender_get_failed:
 * @self: a #SesameCampaignSender
 *
 * Counts the messages that will not be sent, the server having refused them
 * or the attempts having run out.
 *
 * Returns: how many messages failed for good, at the last progress
 */
guint
sesame_campaign_sender_get_failed (SesameCampaignSender *self)
{
  g_return_val_if_fail (SESAME_IS_CAMPAIGN_SENDER (self), 0);
  return self->counts.counts[SESAME_RECIPIENT_FAILED];
}

/**
 * sesame_campaign_sender_get_remaining:
 * @self: a #SesameCampaignSender
 *
 * Counts the messages still to send, for a progress bar.
 *
 * Returns: how many messages wait or are being sent, at the last progress
 */
guint
sesame_campaign_sender_get_remaining (SesameCampaignSender *self)
{
  g_return_val_if_fail (SESAME_IS_CAMPAIGN_SENDER (self), 0);
  return self->counts.counts[SESAME_RECIPIENT_WAITING] + self->counts.counts[SESAME_RECIPIENT_SENDING];
}

/**
 * sesame_campaign_sender_get_total:
 * @self: a #SesameCampaignSender
 *
 * Counts every recipient of the campaign, whatever their state.
 *
 * Returns: how many recipients the campaign has, at the last progress
 */
guint
sesame_campaign_sender_get_total (SesameCampaignSender *self)
{
  g_return_val_if_fail (SESAME_IS_CAMPAIGN_SENDER (self), 0);
  return self->counts.total;
}

/**
 * sesame_campaign_sender_get_report_error:
 * @self: a #SesameCampaignSender
 *
 * Tells why the operator did not receive the send report by mail, although
 * the campaign itself may have gone out.
 *
 * Returns: (nullable): why the send report could not be mailed to the
 *   operator at the end of the last run, or %NULL
 */
const char *
sesame_campaign_sender_get_report_error (SesameCampaignSender *self)
{
  g_return_val_if_fail (SESAME_IS_CAMPAIGN_SENDER (self), NULL);
  return self->report_error;
}

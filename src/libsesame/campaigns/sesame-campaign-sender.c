/* sesame-campaign-sender.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Sends a campaign, off the main thread, on its own connection to the store
 * (written with synchronous = FULL, so that a power cut does not forget a
 * send) and one connection to the mail server.
 *
 * No message twice. Each recipient's row is written before and after its
 * send: 'sending' before, then 'sent', 'failed' or back to 'waiting'. A run
 * killed in between (a crash, SIGKILL, a power cut) leaves the row in
 * 'sending', and the next run has to decide whether the server got the
 * message. It can tell: just before libcurl sends the end of data (the
 * "." that lets the server deliver), the row's data_sent_at is written.
 * - 'sending' without data_sent_at: the server never got the end of data,
 *   so it delivered nothing (RFC 5321 §4.1.1.4). The row goes back to
 *   'waiting' and its unsent token is revoked.
 * - 'sending' with data_sent_at: the server may have delivered it and its
 *   answer was lost. Sending again could give the person two messages, so
 *   the row becomes 'uncertain', its token stays valid, and the report
 *   shows it; the operator may ask to resend those explicitly. The window
 *   is the server's answer to the end of data: milliseconds.
 *
 * One run at a time. The run holds the campaign (run_id, its host and
 * process, a heartbeat); another run starts only once the holder has
 * finished or is dead (its process gone on this machine, or silent for
 * SESAME_CAMPAIGN_STALE_SECONDS on another desk).
 */
#include "config.h"

#define G_LOG_DOMAIN "sesame-campaign"

#include <glib/gi18n-lib.h>
#include <sodium.h>
#include <string.h>
#include <unistd.h>

#include "sesame-campaign-private.h"
#include "sesame-campaign-sender.h"
#include "sesame-secrets.h"
#include "sesame-smtp-client.h"

#define HEARTBEAT_USEC       (30 * G_USEC_PER_SEC)
#define CONNECTION_RETRIES   3

struct _SesameCampaignSender
{
  GObject               parent_instance;

  SesameStore          *store;
  char                 *campaign_id;
  SesameSmtpSettings   *settings;
  char                 *password;
  char                 *ca_file;
  guint                 retry_delay_ms;
  guint                 max_attempts;
  guint                 resend_uncertain : 1;
  guint                 mail_report : 1;
  guint                 has_password : 1;
  guint                 running : 1;

  /* Shared with the worker. */
  GMutex                lock;
  GCond                 cond;
  gboolean              paused;

  SesameCampaignCounts  counts;
  char                 *report_error;
};

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

typedef struct
{
  SesameCampaignSender       *sender;
  SesameStore                *store;
  SesameSmtpSettings         *settings;
  SesameSmtpClient           *client;
  SesameCampaign             *campaign;
  GCancellable               *cancellable;
  gulong                      cancelled_id;
  GMainContext               *context;
  SesameCampaignProgressFunc  progress;
  gpointer                    progress_data;
  char                       *run_id;
  char                       *password;
  char                       *current_key;
  char                       *current_attempt;
  gint64                      last_heartbeat;
  guint                       connection_failures;
  char                       *report_error;
} Run;

static void
run_free (Run *run)
{
  if (run->cancelled_id != 0)
    g_cancellable_disconnect (run->cancellable, run->cancelled_id);
  g_clear_object (&run->client);
  g_clear_object (&run->settings);
  g_clear_object (&run->campaign);
  g_clear_object (&run->store);
  g_clear_object (&run->cancellable);
  g_clear_pointer (&run->context, g_main_context_unref);
  g_clear_object (&run->sender);
  g_clear_pointer (&run->run_id, g_free);
  g_clear_pointer (&run->password, sesame_secrets_free_password);
  g_clear_pointer (&run->current_key, g_free);
  g_clear_pointer (&run->current_attempt, g_free);
  g_clear_pointer (&run->report_error, g_free);
  g_free (run);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Run, run_free)

static gboolean
run_cancelled (Run *run)
{
  return g_cancellable_is_cancelled (run->cancellable);
}

static void
wake_up (SesameCampaignSender *self)
{
  g_mutex_lock (&self->lock);
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);
}

static void
on_cancelled (GCancellable *cancellable,
              gpointer      user_data)
{
  wake_up (user_data);
}

static gboolean
is_paused (SesameCampaignSender *self)
{
  gboolean paused;

  g_mutex_lock (&self->lock);
  paused = self->paused;
  g_mutex_unlock (&self->lock);
  return paused;
}

/* Campaign-level writes, always checking that this run still holds it. */
static gboolean
write_campaign_state (Run                  *run,
                      SesameCampaignState   state,
                      const char           *last_error,
                      gboolean              release,
                      GError              **error)
{
  sqlite3_stmt *stmt;
  gint64 now = sesame_store_now (run->store);

  stmt = _sesame_store_prepare (run->store,
                                "UPDATE campaigns SET state = ?3, state_changed_at = ?4, run_heartbeat_at = ?4,"
                                " last_error = ?5,"
                                " finished_at = CASE WHEN ?3 = 'finished' THEN ?4 ELSE finished_at END,"
                                " run_id = CASE WHEN ?6 THEN NULL ELSE run_id END,"
                                " run_host = CASE WHEN ?6 THEN NULL ELSE run_host END,"
                                " run_pid = CASE WHEN ?6 THEN NULL ELSE run_pid END"
                                " WHERE id = ?1 AND run_id = ?2",
                                error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, sesame_campaign_get_id (run->campaign), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, run->run_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, sesame_campaign_state_to_token (state), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, now);
  sqlite3_bind_text (stmt, 5, last_error ? last_error : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 6, release);
  if (!_sesame_store_step_done (run->store, stmt, error))
    return FALSE;
  if (sqlite3_changes (_sesame_store_get_db (run->store)) != 1)
    {
      g_set_error_literal (error, SESAME_ERROR, SESAME_ERROR_REFUSED,
                           _("Another window or desk took over this campaign: this one stops sending."));
      return FALSE;
    }
  run->last_heartbeat = g_get_monotonic_time ();
  return TRUE;
}

static gboolean
heartbeat (Run     *run,
           GError **error)
{
  sqlite3_stmt *stmt;

  if (g_get_monotonic_time () - run->last_heartbeat < HEARTBEAT_USEC)
    return TRUE;
  stmt = _sesame_store_prepare (run->store,
                                "UPDATE campaigns SET run_heartbeat_at = ?3 WHERE id = ?1 AND run_id = ?2",
                                error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, sesame_campaign_get_id (run->campaign), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, run->run_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, sesame_store_now (run->store));
  if (!_sesame_store_step_done (run->store, stmt, error))
    return FALSE;
  run->last_heartbeat = g_get_monotonic_time ();
  return TRUE;
}

/* Waits until @deadline (monotonic), a cancellation or a pause. */
static gboolean
run_wait (Run     *run,
          gint64   deadline,
          GError **error)
{
  SesameCampaignSender *self = run->sender;

  for (;;)
    {
      gint64 now = g_get_monotonic_time ();
      gboolean stop;

      if (now >= deadline || run_cancelled (run) || is_paused (self))
        return TRUE;
      g_mutex_lock (&self->lock);
      stop = self->paused || run_cancelled (run);
      if (!stop)
        g_cond_wait_until (&self->cond, &self->lock, MIN (deadline, now + HEARTBEAT_USEC));
      g_mutex_unlock (&self->lock);
      if (!heartbeat (run, error))
        return FALSE;
    }
}

static gboolean
run_handle_pause (Run     *run,
                  GError **error)
{
  SesameCampaignSender *self = run->sender;

  if (!is_paused (self) || run_cancelled (run))
    return TRUE;

  /* A long pause would let the server drop the connection anyway. */
  sesame_smtp_client_disconnect (run->client);
  if (!write_campaign_state (run, SESAME_CAMPAIGN_STATE_PAUSED, NULL, FALSE, error))
    return FALSE;

  g_mutex_lock (&self->lock);
  while (self->paused && !run_cancelled (run))
    {
      g_cond_wait_until (&self->cond, &self->lock, g_get_monotonic_time () + HEARTBEAT_USEC);
      g_mutex_unlock (&self->lock);
      if (!heartbeat (run, error))
        return FALSE;
      g_mutex_lock (&self->lock);
    }
  g_mutex_unlock (&self->lock);

  if (run_cancelled (run))
    return TRUE;
  return write_campaign_state (run, SESAME_CAMPAIGN_STATE_SENDING, NULL, FALSE, error);
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
  SesameCampaignSender *self = update->sender;
  SesameCampaignCounts old = self->counts;

  self->counts = update->counts;
  if (old.counts[SESAME_RECIPIENT_SENT] != self->counts.counts[SESAME_RECIPIENT_SENT])
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SENT]);
  if (old.counts[SESAME_RECIPIENT_FAILED] != self->counts.counts[SESAME_RECIPIENT_FAILED])
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FAILED]);
  if (old.counts[SESAME_RECIPIENT_WAITING] + old.counts[SESAME_RECIPIENT_SENDING] !=
      self->counts.counts[SESAME_RECIPIENT_WAITING] + self->counts.counts[SESAME_RECIPIENT_SENDING])
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REMAINING]);
  if (old.total != self->counts.total)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOTAL]);
  return G_SOURCE_REMOVE;
}

static void
progress_update_free (gpointer data)
{
  ProgressUpdate *update = data;

  g_object_unref (update->sender);
  g_free (update);
}

static void
report_progress (Run *run)
{
  SesameCampaignCounts counts;

  if (!_sesame_store_count_recipients (run->store, sesame_campaign_get_id (run->campaign), &counts, NULL))
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

/* Takes the campaign for this run and settles what a dead run left. */
static gboolean
acquire (Run       *run,
         gboolean  *nothing_to_do,
         GError   **error)
{
  SesameStore *store = run->store;
  const char *id = sesame_campaign_get_id (run->campaign);
  gint64 now = sesame_store_now (store);
  g_autofree char *holder_host = NULL;
  g_autofree char *detail = NULL;
  gboolean held = FALSE;
  gboolean resumed = FALSE;
  gint64 holder_pid = 0, holder_beat = 0;
  guint pending = 0;
  sqlite3_stmt *stmt;

  *nothing_to_do = FALSE;
  if (!_sesame_store_begin (store, error))
    return FALSE;

  stmt = _sesame_store_prepare (store,
                                "SELECT run_id IS NOT NULL, run_host, run_pid, run_heartbeat_at, started_at IS NOT NULL"
                                " FROM campaigns WHERE id = ?",
                                error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      held = sqlite3_column_int (stmt, 0) != 0;
      holder_host = g_strdup (_sesame_column_text (stmt, 1));
      holder_pid = sqlite3_column_int64 (stmt, 2);
      holder_beat = sqlite3_column_int64 (stmt, 3);
      resumed = sqlite3_column_int (stmt, 4) != 0;
    }
  sqlite3_reset (stmt);

  if (held && _sesame_campaign_run_is_alive (holder_host, holder_pid, holder_beat, now))
    {
      g_set_error (error, SESAME_ERROR, SESAME_ERROR_REFUSED,
                   _("This campaign is being sent from another window or desk (%s). Wait until it ends, or pause it there."),
                   holder_host);
      goto fail;
    }

  if (run->sender->resend_uncertain)
    {
      stmt = _sesame_store_prepare (store,
                                    "UPDATE campaign_recipients SET state = 'waiting', state_changed_at = ?2, reply = ''"
                                    " WHERE campaign_id = ?1 AND state = 'uncertain'",
                                    error);
      if (stmt == NULL)
        goto fail;
      sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 2, now);
      if (!_sesame_store_step_done (store, stmt, error))
        goto fail;
    }

  /* What the dead run left half done: see the comment at the top. */
  stmt = _sesame_store_prepare (store,
                                "SELECT person_key FROM campaign_recipients"
                                " WHERE campaign_id = ? AND state = 'sending' AND data_sent_at IS NULL",
                                error);
  if (stmt == NULL)
    goto fail;
  {
    g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func (g_free);

    sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
    while (sqlite3_step (stmt) == SQLITE_ROW)
      g_ptr_array_add (keys, g_strdup (_sesame_column_text (stmt, 0)));
    sqlite3_reset (stmt);
    for (guint i = 0; i < keys->len; i++)
      if (!_sesame_store_revoke_campaign_tokens (store, id, g_ptr_array_index (keys, i), error))
        goto fail;
  }
  stmt = _sesame_store_prepare (store,
                                "UPDATE campaign_recipients SET"
                                " state = CASE WHEN data_sent_at IS NULL THEN 'waiting' ELSE 'uncertain' END,"
                                " reply = CASE WHEN data_sent_at IS NULL THEN reply ELSE ?3 END,"
                                " attempts = attempts + (data_sent_at IS NOT NULL),"
                                " state_changed_at = ?2"
                                " WHERE campaign_id = ?1 AND state = 'sending'",
                                error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, now);
  sqlite3_bind_text (stmt, 3,
                     _("Sending was cut off after the whole message was handed to the mail server, before its answer: it may have been delivered, so it is not sent again unless you ask."),
                     -1, SQLITE_TRANSIENT);
  if (!_sesame_store_step_done (store, stmt, error))
    goto fail;

  stmt = _sesame_store_prepare (store,
                                "UPDATE campaign_attempts SET finished_at = ?2, result = 'interrupted'"
                                " WHERE campaign_id = ?1 AND finished_at IS NULL",
                                error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, now);
  if (!_sesame_store_step_done (store, stmt, error))
    goto fail;

  stmt = _sesame_store_prepare (store,
                                "SELECT count(*) FROM campaign_recipients WHERE campaign_id = ? AND state = 'waiting'",
                                error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    pending = sqlite3_column_int (stmt, 0);
  sqlite3_reset (stmt);

  stmt = _sesame_store_prepare (store,
                                "UPDATE campaigns SET run_id = ?2, run_host = ?3, run_pid = ?4, run_heartbeat_at = ?5,"
                                " state = CASE WHEN ?6 = 0 AND finished_at IS NOT NULL THEN state ELSE 'sending' END,"
                                " state_changed_at = ?5, started_at = COALESCE (started_at, ?5), last_error = ''"
                                " WHERE id = ?1",
                                error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, run->run_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, g_get_host_name (), -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 4, getpid ());
  sqlite3_bind_int64 (stmt, 5, now);
  sqlite3_bind_int (stmt, 6, pending);
  if (!_sesame_store_step_done (store, stmt, error))
    goto fail;

  detail = g_strdup_printf ("%s; %u to send", resumed ? "resume" : "start", pending);
  if (!_sesame_store_audit (store, "campaign-start", id, detail, error))
    goto fail;

  if (!_sesame_store_commit (store, error))
    return FALSE;
  run->last_heartbeat = g_get_monotonic_time ();
  *nothing_to_do = pending == 0;
  return TRUE;

fail:
  _sesame_store_rollback (store);
  return FALSE;
}

static gboolean
release (Run                  *run,
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
  if (!write_campaign_state (run, state, last_error, TRUE, error) ||
      !_sesame_store_audit (run->store, "campaign-end", sesame_campaign_get_id (run->campaign), detail, error))
    {
      _sesame_store_rollback (run->store);
      return FALSE;
    }
  return _sesame_store_commit (run->store, error);
}

typedef struct
{
  char   *person_key;
  char   *login;
  char   *first_name;
  char   *last_name;
  char   *address;
  char   *structure;
  guint   attempts;
  gint64  next_attempt_ms;
  gboolean activated;
  gboolean disabled;
} Recipient;

static void
recipient_clear (Recipient *r)
{
  g_free (r->person_key);
  g_free (r->login);
  g_free (r->first_name);
  g_free (r->last_name);
  g_free (r->address);
  g_free (r->structure);
  memset (r, 0, sizeof *r);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Recipient, recipient_clear)

/* The waiting recipient due first, with the person as the directory now
 * has them: a login corrected or an address changed since the campaign
 * was recorded is what the message uses. */
static gboolean
pick_next (Run        *run,
           Recipient  *r,
           GError    **error)
{
  sqlite3_stmt *stmt;
  gboolean found = FALSE;

  stmt = _sesame_store_prepare (run->store,
                                "SELECT r.person_key, COALESCE (a.login, r.login), COALESCE (p.first_name, r.first_name),"
                                " COALESCE (p.last_name, r.last_name), COALESCE (p.email, ''), r.structure, r.attempts,"
                                " COALESCE (r.next_attempt_ms, 0), a.first_sign_in_at IS NOT NULL,"
                                " a.login IS NULL OR a.disabled_at IS NOT NULL OR p.left_at IS NOT NULL"
                                " FROM campaign_recipients r"
                                " LEFT JOIN persons p ON p.key = r.person_key AND p.deleted_at IS NULL"
                                " LEFT JOIN accounts a ON a.person_key = r.person_key AND a.deleted_at IS NULL"
                                " WHERE r.campaign_id = ? AND r.state = 'waiting'"
                                " ORDER BY COALESCE (r.next_attempt_ms, 0), r.position LIMIT 1",
                                error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, sesame_campaign_get_id (run->campaign), -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      r->person_key = g_strdup (_sesame_column_text (stmt, 0));
      r->login = g_strdup (_sesame_column_text (stmt, 1));
      r->first_name = g_strdup (_sesame_column_text (stmt, 2));
      r->last_name = g_strdup (_sesame_column_text (stmt, 3));
      r->address = g_strstrip (g_strdup (_sesame_column_text (stmt, 4)));
      r->structure = g_strdup (_sesame_column_text (stmt, 5));
      r->attempts = sqlite3_column_int (stmt, 6);
      r->next_attempt_ms = sqlite3_column_int64 (stmt, 7);
      r->activated = sqlite3_column_int (stmt, 8) != 0;
      r->disabled = sqlite3_column_int (stmt, 9) != 0;
      found = TRUE;
    }
  sqlite3_reset (stmt);
  return found;
}

/* A final state reached without sending. */
static gboolean
settle_without_sending (Run                  *run,
                        Recipient            *r,
                        SesameRecipientState  state,
                        const char           *reply,
                        GError              **error)
{
  sqlite3_stmt *stmt;

  stmt = _sesame_store_prepare (run->store,
                                "UPDATE campaign_recipients SET state = ?3, reply = ?4, state_changed_at = ?5,"
                                " address = ?6 WHERE campaign_id = ?1 AND person_key = ?2",
                                error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, sesame_campaign_get_id (run->campaign), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, r->person_key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, sesame_recipient_state_to_token (state), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, reply, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 5, sesame_store_now (run->store));
  sqlite3_bind_text (stmt, 6, r->address, -1, SQLITE_TRANSIENT);
  return _sesame_store_step_done (run->store, stmt, error);
}

/* Before: the row says 'sending', an attempt is logged, a token issued. */
static char *
before_send (Run        *run,
             Recipient  *r,
             char      **token_id,
             GError    **error)
{
  const char *id = sesame_campaign_get_id (run->campaign);
  g_autofree char *attempt = _sesame_new_id ();
  g_autofree char *token = NULL;
  gint64 now = sesame_store_now (run->store);
  sqlite3_stmt *stmt;

  if (!_sesame_store_begin (run->store, error))
    return NULL;

  token = _sesame_store_issue_activation_token (run->store, r->person_key, id, token_id, error);
  if (token == NULL)
    goto fail;

  stmt = _sesame_store_prepare (run->store,
                                "INSERT INTO campaign_attempts (id, campaign_id, person_key, run_id, started_at)"
                                " VALUES (?, ?, ?, ?, ?)",
                                error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, attempt, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, r->person_key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, run->run_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 5, now);
  if (!_sesame_store_step_done (run->store, stmt, error))
    goto fail;

  stmt = _sesame_store_prepare (run->store,
                                "UPDATE campaign_recipients SET state = 'sending', state_changed_at = ?3,"
                                " data_sent_at = NULL, next_attempt_ms = NULL, login = ?4, first_name = ?5,"
                                " last_name = ?6, address = ?7"
                                " WHERE campaign_id = ?1 AND person_key = ?2",
                                error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, r->person_key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, now);
  sqlite3_bind_text (stmt, 4, r->login, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, r->first_name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 6, r->last_name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 7, r->address, -1, SQLITE_TRANSIENT);
  if (!_sesame_store_step_done (run->store, stmt, error))
    goto fail;

  /* Also proves this run still holds the campaign. */
  if (!write_campaign_state (run, SESAME_CAMPAIGN_STATE_SENDING, NULL, FALSE, error))
    goto fail;
  if (!_sesame_store_commit (run->store, error))
    {
      sodium_memzero (token, strlen (token));
      return NULL;
    }

  g_free (run->current_key);
  run->current_key = g_strdup (r->person_key);
  g_free (run->current_attempt);
  run->current_attempt = g_steal_pointer (&attempt);
  return g_steal_pointer (&token);

fail:
  _sesame_store_rollback (run->store);
  if (token != NULL)
    sodium_memzero (token, strlen (token));
  return NULL;
}

/* Called by the SMTP client just before the end of data goes out. */
static gboolean
on_data_sent (gpointer user_data)
{
  Run *run = user_data;
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt;
  gint64 now = sesame_store_now (run->store);

  if (!_sesame_store_begin (run->store, &error))
    goto fail;
  stmt = _sesame_store_prepare (run->store,
                                "UPDATE campaign_recipients SET data_sent_at = ?3 WHERE campaign_id = ?1 AND person_key = ?2",
                                &error);
  if (stmt == NULL)
    goto rollback;
  sqlite3_bind_text (stmt, 1, sesame_campaign_get_id (run->campaign), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, run->current_key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, now);
  if (!_sesame_store_step_done (run->store, stmt, &error))
    goto rollback;
  stmt = _sesame_store_prepare (run->store,
                                "UPDATE campaign_attempts SET data_sent_at = ?2 WHERE id = ?1",
                                &error);
  if (stmt == NULL)
    goto rollback;
  sqlite3_bind_text (stmt, 1, run->current_attempt, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, now);
  if (!_sesame_store_step_done (run->store, stmt, &error))
    goto rollback;
  if (_sesame_store_commit (run->store, &error))
    return TRUE;
  goto fail;

rollback:
  _sesame_store_rollback (run->store);
fail:
  /* Unrecorded, the message would be sent blind: abandon it. */
  g_warning ("Cannot record a send of campaign %s: %s", sesame_campaign_get_id (run->campaign), error->message);
  return FALSE;
}

/* After: the row's final state (or back to waiting) and the attempt's end. */
static gboolean
after_send (Run                  *run,
            Recipient            *r,
            SesameRecipientState  state,
            gboolean              counts_as_attempt,
            gint64                next_attempt_ms,
            const char           *reply,
            const char           *message_id,
            const char           *result,
            const char           *token_id,
            GError              **error)
{
  const char *id = sesame_campaign_get_id (run->campaign);
  gint64 now = sesame_store_now (run->store);
  sqlite3_stmt *stmt;

  if (!_sesame_store_begin (run->store, error))
    return FALSE;

  stmt = _sesame_store_prepare (run->store,
                                "UPDATE campaign_recipients SET state = ?3, state_changed_at = ?4,"
                                " attempts = attempts + ?5, next_attempt_ms = ?6, reply = ?7,"
                                " message_id = CASE WHEN ?3 = 'sent' THEN ?8 ELSE message_id END,"
                                " sent_at = CASE WHEN ?3 = 'sent' THEN ?4 ELSE sent_at END,"
                                " data_sent_at = CASE WHEN ?3 = 'waiting' THEN NULL ELSE data_sent_at END"
                                " WHERE campaign_id = ?1 AND person_key = ?2",
                                error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, r->person_key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, sesame_recipient_state_to_token (state), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, now);
  sqlite3_bind_int (stmt, 5, counts_as_attempt ? 1 : 0);
  if (next_attempt_ms > 0)
    sqlite3_bind_int64 (stmt, 6, next_attempt_ms);
  sqlite3_bind_text (stmt, 7, reply ? reply : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 8, message_id ? message_id : "", -1, SQLITE_TRANSIENT);
  if (!_sesame_store_step_done (run->store, stmt, error))
    goto fail;

  stmt = _sesame_store_prepare (run->store,
                                "UPDATE campaign_attempts SET finished_at = ?2, result = ?3, reply = ?4 WHERE id = ?1",
                                error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, run->current_attempt, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, now);
  sqlite3_bind_text (stmt, 3, result, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, reply ? reply : "", -1, SQLITE_TRANSIENT);
  if (!_sesame_store_step_done (run->store, stmt, error))
    goto fail;

  /* A message that never left takes its link with it. */
  if (token_id != NULL && state != SESAME_RECIPIENT_SENT && state != SESAME_RECIPIENT_UNCERTAIN &&
      !_sesame_store_revoke_activation_token (run->store, token_id, error))
    goto fail;

  return _sesame_store_commit (run->store, error);

fail:
  _sesame_store_rollback (run->store);
  return FALSE;
}

static gint64
backoff_ms (Run   *run,
            guint  failures)
{
  guint shift = MIN (failures > 0 ? failures - 1 : 0, 10);

  return (gint64) run->sender->retry_delay_ms << shift;
}

/* Sends to one recipient. Returns FALSE with @fatal set when the campaign
 * must stop (the server refuses the account, the store fails…). */
static gboolean
send_one (Run        *run,
          Recipient  *r,
          GError    **fatal)
{
  g_autoptr(GMimeMessage) message = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *token_id = NULL;
  g_autofree char *reply = NULL;
  char *token;
  gboolean sent;
  guint attempts = r->attempts + 1;

  if (r->activated)
    return settle_without_sending (run, r, SESAME_RECIPIENT_SKIPPED,
                                   _("The account was activated before its turn: nothing was sent."), fatal);
  if (r->disabled)
    return settle_without_sending (run, r, SESAME_RECIPIENT_SKIPPED,
                                   _("The account was disabled before its turn: nothing was sent."), fatal);
  if (!sesame_mail_address_is_valid (r->address))
    return settle_without_sending (run, r, SESAME_RECIPIENT_NO_ADDRESS,
                                   r->address[0] ? _("The email address in the directory is not valid any more.")
                                                 : _("No email address in the directory any more."),
                                   fatal);

  token = before_send (run, r, &token_id, fatal);
  if (token == NULL)
    return FALSE;
  message = _sesame_campaign_compose (run->store, run->campaign, run->settings, r->login, r->first_name,
                                      r->last_name, r->address, r->structure, token, &error);
  sodium_memzero (token, strlen (token));
  g_free (token);
  if (message == NULL)
    return after_send (run, r, SESAME_RECIPIENT_FAILED, FALSE, 0, error->message, NULL, "refused",
                       token_id, fatal);
  bytes = sesame_mail_message_to_bytes (message);

  sent = sesame_smtp_client_send (run->client, r->address, bytes, NULL, &error);
  if (sent)
    {
      run->connection_failures = 0;
      return after_send (run, r, SESAME_RECIPIENT_SENT, TRUE, 0,
                         sesame_smtp_client_get_last_reply (run->client),
                         g_mime_message_get_message_id (message), "sent", token_id, fatal);
    }

  g_debug ("Sending to %s failed: %s", r->login, error->message);
  reply = g_strdup (sesame_smtp_client_get_last_code (run->client) >= 400
                    ? sesame_smtp_client_get_last_reply (run->client) : error->message);

  if (g_error_matches (error, SESAME_SMTP_ERROR, SESAME_SMTP_ERROR_PERMANENT))
    {
      run->connection_failures = 0;
      return after_send (run, r, SESAME_RECIPIENT_FAILED, TRUE, 0, reply, NULL, "permanent", token_id, fatal);
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
          return after_send (run, r, SESAME_RECIPIENT_FAILED, TRUE, 0, gave_up, NULL, "temporary",
                             token_id, fatal);
        }
      return after_send (run, r, SESAME_RECIPIENT_WAITING, TRUE,
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
      return after_send (run, r, SESAME_RECIPIENT_UNCERTAIN, TRUE, 0, uncertain, NULL, "uncertain",
                         token_id, fatal);
    }

  /* Nothing reached the server: the recipient waits its turn again. */
  if (!after_send (run, r, SESAME_RECIPIENT_WAITING, FALSE, 0, "", NULL, "connection", token_id, fatal))
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

  g_propagate_error (fatal, g_steal_pointer (&error));
  return FALSE;
}

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

static void
mail_report (Run *run)
{
  const char *key = sesame_store_operator_get_key (run->store);
  g_autoptr(GMimeMessage) message = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *address = NULL;
  g_autofree char *name = NULL;
  sqlite3_stmt *stmt;

  if (!run->sender->mail_report || key == NULL || sesame_campaign_get_report_sent_at (run->campaign) != 0)
    return;

  stmt = _sesame_store_prepare (run->store, "SELECT email, first_name, last_name FROM persons WHERE key = ?", NULL);
  if (stmt == NULL)
    return;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      address = g_strstrip (g_strdup (_sesame_column_text (stmt, 0)));
      name = _sesame_person_display_name (_sesame_column_text (stmt, 1), _sesame_column_text (stmt, 2));
    }
  sqlite3_reset (stmt);
  if (!sesame_mail_address_is_valid (address))
    return;

  message = _sesame_campaign_compose_report (run->store, run->campaign, run->settings, name, address, &error);
  if (message == NULL || !sesame_smtp_client_send_message (run->client, message, NULL, &error))
    {
      run->report_error = g_strdup_printf (_("The send report could not be mailed to %s: %s"),
                                           address, error->message);
      return;
    }

  stmt = _sesame_store_prepare (run->store, "UPDATE campaigns SET report_sent_at = ?2 WHERE id = ?1", NULL);
  if (stmt == NULL)
    return;
  sqlite3_bind_text (stmt, 1, sesame_campaign_get_id (run->campaign), -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, sesame_store_now (run->store));
  _sesame_store_step_done (run->store, stmt, NULL);
}

static gboolean
run_campaign (Run     *run,
              GError **error)
{
  SesameCampaignState end_state = SESAME_CAMPAIGN_STATE_FINISHED;
  g_autoptr(GError) fatal = NULL;
  g_autofree char *last_error = NULL;
  gboolean nothing_to_do = FALSE;

  if (!sesame_store_operator_check_permission (run->store, SESAME_PERMISSION_SEND_MAIL, NULL, error))
    return FALSE;
  /* Every send is on disk before the next one starts. */
  if (!_sesame_store_exec (run->store, "PRAGMA synchronous = FULL", error))
    return FALSE;

  run->campaign = _sesame_store_load_campaign (run->store, run->sender->campaign_id, error);
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
  if (!lookup_password (run, error))
    return FALSE;

  if (!acquire (run, &nothing_to_do, error))
    return FALSE;
  report_progress (run);

  run->client = sesame_smtp_client_new (run->settings, run->password);
  if (run->sender->ca_file != NULL)
    sesame_smtp_client_set_ca_file (run->client, run->sender->ca_file);
  sesame_smtp_client_set_data_sent_func (run->client, on_data_sent, run);

  while (!nothing_to_do)
    {
      g_auto(Recipient) r = { 0 };
      gint64 now_ms, turn;

      if (run_cancelled (run))
        {
          end_state = SESAME_CAMPAIGN_STATE_CANCELLED;
          break;
        }
      if (!run_handle_pause (run, &fatal))
        break;
      if (run_cancelled (run))
        continue;

      if (!pick_next (run, &r, &fatal))
        {
          if (fatal == NULL)
            end_state = SESAME_CAMPAIGN_STATE_FINISHED;
          break;
        }

      /* A retry after a 4xx reply waits for its time. */
      now_ms = g_get_real_time () / 1000;
      if (r.next_attempt_ms > now_ms)
        {
          if (!run_wait (run, g_get_monotonic_time () + (r.next_attempt_ms - now_ms) * 1000, &fatal))
            break;
          continue;
        }
      /* The rate limit holds the next message back. */
      turn = sesame_smtp_client_get_next_send_time (run->client);
      if (turn > g_get_monotonic_time ())
        {
          if (!run_wait (run, turn, &fatal))
            break;
          if (turn > g_get_monotonic_time ())
            continue;
        }

      if (!send_one (run, &r, &fatal))
        break;
      report_progress (run);
    }

  if (fatal != NULL)
    {
      end_state = SESAME_CAMPAIGN_STATE_INTERRUPTED;
      last_error = g_strdup (fatal->message);
    }

  if (!release (run, end_state, last_error, error))
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

static Run *
run_new (SesameCampaignSender *self,
         GCancellable         *cancellable,
         GError              **error)
{
  g_autoptr(Run) run = g_new0 (Run, 1);

  run->sender = g_object_ref (self);
  run->cancellable = cancellable ? g_object_ref (cancellable) : g_cancellable_new ();
  run->run_id = _sesame_new_id ();
  run->cancelled_id = g_cancellable_connect (run->cancellable, G_CALLBACK (on_cancelled), self, NULL);
  /* The worker has its own connection to the store. */
  run->store = sesame_store_dup (self->store, error);
  if (run->store == NULL)
    return NULL;
  return g_steal_pointer (&run);
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

static void
take_report_error (SesameCampaignSender *self,
                   Run                  *run)
{
  g_free (self->report_error);
  self->report_error = g_steal_pointer (&run->report_error);
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
  g_autoptr(Run) run = NULL;
  gboolean ok;

  g_return_val_if_fail (SESAME_IS_CAMPAIGN_SENDER (self), FALSE);
  g_return_val_if_fail (!self->running, FALSE);

  run = run_new (self, cancellable, error);
  if (run == NULL)
    return FALSE;
  run->progress = progress;
  run->progress_data = user_data;

  set_running (self, TRUE);
  ok = run_campaign (run, error);
  if (run->campaign != NULL)
    apply_progress (&(ProgressUpdate) { self, *sesame_campaign_get_counts (run->campaign) });
  take_report_error (self, run);
  set_running (self, FALSE);
  return ok;
}

static void
run_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  Run *run = task_data;
  GError *error = NULL;

  if (!run_campaign (run, &error))
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
  Run *run;

  g_return_if_fail (SESAME_IS_CAMPAIGN_SENDER (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sesame_campaign_sender_run_async);
  if (self->running)
    {
      g_task_return_new_error (task, SESAME_ERROR, SESAME_ERROR_REFUSED, "%s",
                               _("This campaign is already being sent."));
      return;
    }
  run = run_new (self, cancellable, &error);
  if (run == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  run->context = g_main_context_ref_thread_default ();
  g_task_set_task_data (task, run, (GDestroyNotify) run_free);
  /* Cancelling stops the campaign between two messages, so that the fate
   * of each is known: the task waits for its thread. */
  g_task_set_return_on_cancel (task, FALSE);
  g_task_set_check_cancellable (task, FALSE);
  set_running (self, TRUE);
  g_task_run_in_thread (task, run_thread);
}

gboolean
sesame_campaign_sender_run_finish (SesameCampaignSender  *self,
                                   GAsyncResult          *result,
                                   GError               **error)
{
  Run *run;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  run = g_task_get_task_data (G_TASK (result));
  if (run != NULL)
    {
      if (run->campaign != NULL)
        apply_progress (&(ProgressUpdate) { self, *sesame_campaign_get_counts (run->campaign) });
      take_report_error (self, run);
    }
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

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, SESAME_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CAMPAIGN_ID] =
    g_param_spec_string ("campaign-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PAUSED] =
    g_param_spec_boolean ("paused", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_RUNNING] = g_param_spec_boolean ("running", NULL, NULL, FALSE, ro);
  properties[PROP_SENT] = g_param_spec_uint ("sent", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_FAILED] = g_param_spec_uint ("failed", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_REMAINING] = g_param_spec_uint ("remaining", NULL, NULL, 0, G_MAXUINT, 0, ro);
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
 */
void
sesame_campaign_sender_set_mail_report (SesameCampaignSender *self,
                                        gboolean              mail_report)
{
  g_return_if_fail (SESAME_IS_CAMPAIGN_SENDER (self));
  self->mail_report = !!mail_report;
}

gboolean
sesame_campaign_sender_get_paused (SesameCampaignSender *self)
{
  g_return_val_if_fail (SESAME_IS_CAMPAIGN_SENDER (self), FALSE);
  return is_paused (self);
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
 * Returns: (transfer none): where the recipients stood at the last progress
 */
const SesameCampaignCounts *
sesame_campaign_sender_get_counts (SesameCampaignSender *self)
{
  g_return_val_if_fail (SESAME_IS_CAMPAIGN_SENDER (self), NULL);
  return &self->counts;
}

guint
sesame_campaign_sender_get_sent (SesameCampaignSender *self)
{
  g_return_val_if_fail (SESAME_IS_CAMPAIGN_SENDER (self), 0);
  return self->counts.counts[SESAME_RECIPIENT_SENT];
}

guint
sesame_campaign_sender_get_failed (SesameCampaignSender *self)
{
  g_return_val_if_fail (SESAME_IS_CAMPAIGN_SENDER (self), 0);
  return self->counts.counts[SESAME_RECIPIENT_FAILED];
}

guint
sesame_campaign_sender_get_remaining (SesameCampaignSender *self)
{
  g_return_val_if_fail (SESAME_IS_CAMPAIGN_SENDER (self), 0);
  return self->counts.counts[SESAME_RECIPIENT_WAITING] + self->counts.counts[SESAME_RECIPIENT_SENDING];
}

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
 * Returns: (nullable): why the send report could not be mailed to the
 *   operator at the end of the last run, or %NULL
 */
const char *
sesame_campaign_sender_get_report_error (SesameCampaignSender *self)
{
  g_return_val_if_fail (SESAME_IS_CAMPAIGN_SENDER (self), NULL);
  return self->report_error;
}

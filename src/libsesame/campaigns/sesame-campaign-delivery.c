/* sesame-campaign-delivery.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * No message twice. A campaign's sending may stop anywhere (a crash,
 * SIGKILL, a power cut) and be resumed, and each recipient must still get
 * their message once. This file writes each recipient's row before and
 * after its send, and settles what a dead run left; the loop that sends
 * is sesame-campaign-sender-run.c, the lease that says which run may send
 * is sesame-campaign-lease.c.
 *
 * The row says 'sending' before the send, then 'sent', 'failed' or back
 * to 'waiting'. A run killed in between leaves the row in 'sending', and
 * the next run has to decide whether the server got the message. It can
 * tell: just before libcurl sends the end of data (the "." that lets the
 * server deliver), the row's data_sent_at is written.
 * - 'sending' without data_sent_at: the server never got the end of data,
 *   so it delivered nothing (RFC 5321 §4.1.1.4). The row goes back to
 *   'waiting' and its unsent token is revoked.
 * - 'sending' with data_sent_at: the server may have delivered it and its
 *   answer was lost. Sending again could give the person two messages, so
 *   the row becomes 'uncertain', its token stays valid, and the report
 *   shows it; the operator may ask to resend those explicitly. The window
 *   is the server's answer to the end of data: milliseconds.
 *
 * Each try is also an insert-only row of campaign_attempts.
 */
#include "config.h"

#define G_LOG_DOMAIN "sesame-campaign"

#include <glib/gi18n-lib.h>
#include <sodium.h>
#include <string.h>

#include "sesame-activation-tokens-private.h"
#include "sesame-campaign-delivery-private.h"

void
_sesame_campaign_delivery_clear (SesameCampaignDelivery *delivery)
{
  g_free (delivery->person_key);
  g_free (delivery->login);
  g_free (delivery->first_name);
  g_free (delivery->last_name);
  g_free (delivery->address);
  g_free (delivery->structure);
  g_free (delivery->attempt_id);
  memset (delivery, 0, sizeof *delivery);
}

/*
 * _sesame_campaign_delivery_requeue_uncertain:
 * @store: the run's store, in a transaction
 * @campaign_id: the campaign
 * @error: return location for a #GError
 *
 * Puts the recipients whose message may have been delivered back in the
 * queue, when the operator asks to send those again.
 *
 * Returns: %TRUE on success
 */
gboolean
_sesame_campaign_delivery_requeue_uncertain (SesameStore  *store,
                                             const char   *campaign_id,
                                             GError      **error)
{
  sqlite3_stmt *stmt;

  stmt = _sesame_store_prepare (store,
                                "UPDATE campaign_recipients SET state = 'waiting', state_changed_at = ?2, reply = ''"
                                " WHERE campaign_id = ?1 AND state = 'uncertain'",
                                error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, campaign_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, sesame_store_now (store));
  return _sesame_store_step_done (store, stmt, error);
}

/*
 * _sesame_campaign_delivery_recover:
 * @store: the run's store, in a transaction
 * @campaign_id: a campaign no live run holds
 * @error: return location for a #GError
 *
 * Settles what a dead run left: rows in 'sending', as the comment at the
 * top of this file says, and attempts without an end.
 *
 * Returns: %TRUE on success
 */
gboolean
_sesame_campaign_delivery_recover (SesameStore  *store,
                                   const char   *campaign_id,
                                   GError      **error)
{
  g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func (g_free);
  gint64 now = sesame_store_now (store);
  sqlite3_stmt *stmt;

  /* The links of messages the server never got stop working. */
  stmt = _sesame_store_prepare (store,
                                "SELECT person_key FROM campaign_recipients"
                                " WHERE campaign_id = ? AND state = 'sending' AND data_sent_at IS NULL",
                                error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, campaign_id, -1, SQLITE_TRANSIENT);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (keys, g_strdup (_sesame_column_text (stmt, 0)));
  sqlite3_reset (stmt);
  for (guint i = 0; i < keys->len; i++)
    if (!_sesame_activation_tokens_revoke_for_campaign (store, campaign_id, g_ptr_array_index (keys, i), error))
      return FALSE;

  stmt = _sesame_store_prepare (store,
                                "UPDATE campaign_recipients SET"
                                " state = CASE WHEN data_sent_at IS NULL THEN 'waiting' ELSE 'uncertain' END,"
                                " reply = CASE WHEN data_sent_at IS NULL THEN reply ELSE ?3 END,"
                                " attempts = attempts + (data_sent_at IS NOT NULL),"
                                " state_changed_at = ?2"
                                " WHERE campaign_id = ?1 AND state = 'sending'",
                                error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, campaign_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, now);
  sqlite3_bind_text (stmt, 3,
                     _("Sending was cut off after the whole message was handed to the mail server, before its answer: it may have been delivered, so it is not sent again unless you ask."),
                     -1, SQLITE_TRANSIENT);
  if (!_sesame_store_step_done (store, stmt, error))
    return FALSE;

  stmt = _sesame_store_prepare (store,
                                "UPDATE campaign_attempts SET finished_at = ?2, result = 'interrupted'"
                                " WHERE campaign_id = ?1 AND finished_at IS NULL",
                                error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, campaign_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, now);
  return _sesame_store_step_done (store, stmt, error);
}

/*
 * _sesame_campaign_delivery_count_waiting:
 * @store: the run's store
 * @campaign_id: the campaign
 * @waiting: (out): how many recipients wait for their message
 * @error: return location for a #GError
 *
 * Returns: %TRUE on success
 */
gboolean
_sesame_campaign_delivery_count_waiting (SesameStore  *store,
                                         const char   *campaign_id,
                                         guint        *waiting,
                                         GError      **error)
{
  sqlite3_stmt *stmt;

  *waiting = 0;
  stmt = _sesame_store_prepare (store,
                                "SELECT count(*) FROM campaign_recipients WHERE campaign_id = ? AND state = 'waiting'",
                                error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, campaign_id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    *waiting = sqlite3_column_int (stmt, 0);
  sqlite3_reset (stmt);
  return TRUE;
}

/*
 * _sesame_campaign_delivery_next:
 * @store: the run's store
 * @campaign_id: the campaign
 * @delivery: (out caller-allocates): the recipient due first
 * @error: return location for a #GError
 *
 * Reads the waiting recipient due first, with the person as the directory
 * now has them: a login corrected or an address changed since the
 * campaign was recorded is what the message uses.
 *
 * Returns: %TRUE if a recipient waits; %FALSE when none does, or with
 *   @error set when the store fails
 */
gboolean
_sesame_campaign_delivery_next (SesameStore             *store,
                                const char              *campaign_id,
                                SesameCampaignDelivery  *delivery,
                                GError                 **error)
{
  sqlite3_stmt *stmt;
  gboolean found = FALSE;

  stmt = _sesame_store_prepare (store,
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
  sqlite3_bind_text (stmt, 1, campaign_id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      delivery->person_key = g_strdup (_sesame_column_text (stmt, 0));
      delivery->login = g_strdup (_sesame_column_text (stmt, 1));
      delivery->first_name = g_strdup (_sesame_column_text (stmt, 2));
      delivery->last_name = g_strdup (_sesame_column_text (stmt, 3));
      delivery->address = g_strstrip (g_strdup (_sesame_column_text (stmt, 4)));
      delivery->structure = g_strdup (_sesame_column_text (stmt, 5));
      delivery->attempts = sqlite3_column_int (stmt, 6);
      delivery->next_attempt_ms = sqlite3_column_int64 (stmt, 7);
      delivery->activated = sqlite3_column_int (stmt, 8) != 0;
      delivery->disabled = sqlite3_column_int (stmt, 9) != 0;
      found = TRUE;
    }
  sqlite3_reset (stmt);
  return found;
}

/*
 * _sesame_campaign_delivery_skip:
 * @store: the run's store
 * @campaign_id: the campaign
 * @delivery: the recipient
 * @state: the final state reached without sending
 * @reply: why nothing was sent
 * @error: return location for a #GError
 *
 * Returns: %TRUE on success
 */
gboolean
_sesame_campaign_delivery_skip (SesameStore             *store,
                                const char              *campaign_id,
                                SesameCampaignDelivery  *delivery,
                                SesameRecipientState     state,
                                const char              *reply,
                                GError                 **error)
{
  sqlite3_stmt *stmt;

  stmt = _sesame_store_prepare (store,
                                "UPDATE campaign_recipients SET state = ?3, reply = ?4, state_changed_at = ?5,"
                                " address = ?6 WHERE campaign_id = ?1 AND person_key = ?2",
                                error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, campaign_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, delivery->person_key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, sesame_campaign_recipient_state_to_token (state), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, reply, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 5, sesame_store_now (store));
  sqlite3_bind_text (stmt, 6, delivery->address, -1, SQLITE_TRANSIENT);
  return _sesame_store_step_done (store, stmt, error);
}

/*
 * _sesame_campaign_delivery_begin:
 * @lease: the run's lease on the campaign
 * @delivery: the recipient about to be sent their message
 * @token_id: (out): the id of the token issued
 * @error: return location for a #GError
 *
 * Records an attempt before it is made, in one transaction: the row says
 * 'sending', the attempt is logged, a token is issued, and the lease is
 * proved still held.
 *
 * Returns: (transfer full): the token for the message's link, to wipe
 *   once written into it, or %NULL with @error set
 */
char *
_sesame_campaign_delivery_begin (SesameCampaignLease     *lease,
                                 SesameCampaignDelivery  *delivery,
                                 char                   **token_id,
                                 GError                 **error)
{
  SesameStore *store = _sesame_campaign_lease_get_store (lease);
  const char *id = _sesame_campaign_lease_get_campaign_id (lease);
  g_autofree char *attempt = _sesame_new_id ();
  g_autofree char *token = NULL;
  gint64 now = sesame_store_now (store);
  sqlite3_stmt *stmt;

  if (!_sesame_store_begin (store, error))
    return NULL;

  token = _sesame_activation_tokens_issue (store, delivery->person_key, id, token_id, error);
  if (token == NULL)
    goto fail;

  stmt = _sesame_store_prepare (store,
                                "INSERT INTO campaign_attempts (id, campaign_id, person_key, run_id, started_at)"
                                " VALUES (?, ?, ?, ?, ?)",
                                error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, attempt, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, delivery->person_key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, _sesame_campaign_lease_get_run_id (lease), -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 5, now);
  if (!_sesame_store_step_done (store, stmt, error))
    goto fail;

  stmt = _sesame_store_prepare (store,
                                "UPDATE campaign_recipients SET state = 'sending', state_changed_at = ?3,"
                                " data_sent_at = NULL, next_attempt_ms = NULL, login = ?4, first_name = ?5,"
                                " last_name = ?6, address = ?7"
                                " WHERE campaign_id = ?1 AND person_key = ?2",
                                error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, delivery->person_key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, now);
  sqlite3_bind_text (stmt, 4, delivery->login, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, delivery->first_name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 6, delivery->last_name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 7, delivery->address, -1, SQLITE_TRANSIENT);
  if (!_sesame_store_step_done (store, stmt, error))
    goto fail;

  if (!_sesame_campaign_lease_write_state (lease, SESAME_CAMPAIGN_STATE_SENDING, error))
    goto fail;
  if (!_sesame_store_commit (store, error))
    {
      sodium_memzero (token, strlen (token));
      return NULL;
    }

  g_free (delivery->attempt_id);
  delivery->attempt_id = g_steal_pointer (&attempt);
  return g_steal_pointer (&token);

fail:
  _sesame_store_rollback (store);
  if (token != NULL)
    sodium_memzero (token, strlen (token));
  return NULL;
}

/*
 * _sesame_campaign_delivery_mark_data_sent:
 * @store: the run's store
 * @campaign_id: the campaign
 * @delivery: the recipient being sent their message
 * @error: return location for a #GError
 *
 * Records that the end of data is about to leave: from now on the server
 * may deliver the message. Called by the SMTP client at that moment.
 *
 * Returns: %TRUE on success; on failure the message must not be finished
 */
gboolean
_sesame_campaign_delivery_mark_data_sent (SesameStore             *store,
                                          const char              *campaign_id,
                                          SesameCampaignDelivery  *delivery,
                                          GError                 **error)
{
  sqlite3_stmt *stmt;
  gint64 now = sesame_store_now (store);

  if (!_sesame_store_begin (store, error))
    return FALSE;
  stmt = _sesame_store_prepare (store,
                                "UPDATE campaign_recipients SET data_sent_at = ?3 WHERE campaign_id = ?1 AND person_key = ?2",
                                error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, campaign_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, delivery->person_key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, now);
  if (!_sesame_store_step_done (store, stmt, error))
    goto fail;
  stmt = _sesame_store_prepare (store,
                                "UPDATE campaign_attempts SET data_sent_at = ?2 WHERE id = ?1",
                                error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, delivery->attempt_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, now);
  if (!_sesame_store_step_done (store, stmt, error))
    goto fail;
  return _sesame_store_commit (store, error);

fail:
  _sesame_store_rollback (store);
  return FALSE;
}

/*
 * _sesame_campaign_delivery_end:
 * @store: the run's store
 * @campaign_id: the campaign
 * @delivery: the recipient whose attempt began
 * @outcome: how the attempt ended
 * @token_id: (nullable): the token the message carried
 * @error: return location for a #GError
 *
 * Records the end of an attempt: the row's final state (or back to
 * waiting) and the attempt's result. A message that never left takes its
 * link with it.
 *
 * Returns: %TRUE on success
 */
gboolean
_sesame_campaign_delivery_end (SesameStore                  *store,
                               const char                   *campaign_id,
                               SesameCampaignDelivery       *delivery,
                               const SesameCampaignOutcome  *outcome,
                               const char                   *token_id,
                               GError                      **error)
{
  gint64 now = sesame_store_now (store);
  sqlite3_stmt *stmt;

  if (!_sesame_store_begin (store, error))
    return FALSE;

  stmt = _sesame_store_prepare (store,
                                "UPDATE campaign_recipients SET state = ?3, state_changed_at = ?4,"
                                " attempts = attempts + ?5, next_attempt_ms = ?6, reply = ?7,"
                                " message_id = CASE WHEN ?3 = 'sent' THEN ?8 ELSE message_id END,"
                                " sent_at = CASE WHEN ?3 = 'sent' THEN ?4 ELSE sent_at END,"
                                " data_sent_at = CASE WHEN ?3 = 'waiting' THEN NULL ELSE data_sent_at END"
                                " WHERE campaign_id = ?1 AND person_key = ?2",
                                error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, campaign_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, delivery->person_key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, sesame_campaign_recipient_state_to_token (outcome->state), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, now);
  sqlite3_bind_int (stmt, 5, outcome->counts_as_attempt ? 1 : 0);
  if (outcome->next_attempt_ms > 0)
    sqlite3_bind_int64 (stmt, 6, outcome->next_attempt_ms);
  sqlite3_bind_text (stmt, 7, outcome->reply ? outcome->reply : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 8, outcome->message_id ? outcome->message_id : "", -1, SQLITE_TRANSIENT);
  if (!_sesame_store_step_done (store, stmt, error))
    goto fail;

  stmt = _sesame_store_prepare (store,
                                "UPDATE campaign_attempts SET finished_at = ?2, result = ?3, reply = ?4 WHERE id = ?1",
                                error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, delivery->attempt_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, now);
  sqlite3_bind_text (stmt, 3, outcome->result, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, outcome->reply ? outcome->reply : "", -1, SQLITE_TRANSIENT);
  if (!_sesame_store_step_done (store, stmt, error))
    goto fail;

  if (token_id != NULL && outcome->state != SESAME_RECIPIENT_SENT && outcome->state != SESAME_RECIPIENT_UNCERTAIN &&
      !_sesame_activation_tokens_revoke (store, token_id, error))
    goto fail;

  return _sesame_store_commit (store, error);

fail:
  _sesame_store_rollback (store);
  return FALSE;
}
